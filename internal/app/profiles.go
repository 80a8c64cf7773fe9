package app

import (
	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/importer"
	"github.com/tsunagu-org/tsunagu/internal/profile/profilehttp"
)

// profileRoutes returns the candidate, company and role pages and API over
// the services buildServices built.
func (a *App) profileRoutes(s *services) func(r *thttp.Router) {
	return (&profilehttp.Handlers{
		Candidates: s.profiles, Companies: s.profiles, Roles: s.profiles, Checker: s.profiles, Duplicates: s.profiles,
		Imports: a.DB, ImportTask: importer.TaskImport, OccupationLabel: s.vocab.OccupationLabel,
		Workshops: s.workshops, ResolveSkill: s.profiles.ResolveSkill, DB: a.DB,
	}).Register
}
