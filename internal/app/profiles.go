package app

import (
	"context"
	"fmt"

	"github.com/tsunagu-org/tsunagu/internal/importer"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/profile/profilehttp"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/workshop"
)

// wireProfiles builds the candidate, company and role services on the
// taxonomy, registers their pages and API, and the worker's upload task.
func (a *App) wireProfiles(ctx context.Context, opts ...profile.Option) error {
	tax, err := taxonomy.Load()
	if err != nil {
		return fmt.Errorf("profiles: %w", err)
	}
	vocab := profile.TaxonomyVocabulary{T: tax}
	opts = append([]profile.Option{profile.WithVocabulary(vocab), profile.WithResolver(profile.NewLabelResolver(tax))}, opts...)
	svc := profile.New(a.DB, opts...)
	a.Routes = append(a.Routes, (&profilehttp.Handlers{
		Candidates: svc, Companies: svc, Roles: svc, Checker: svc,
		Imports: a.DB, ImportTask: importer.TaskImport, OccupationLabel: vocab.OccupationLabel,
		Workshops: workshop.New(a.DB), DB: a.DB,
	}).Register)
	importer.RegisterTasks(&a.Tasks, a.DB, svc, svc, a.Log)
	return nil
}
