package app

import (
	"fmt"
	"path/filepath"

	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/matching"
	"github.com/tsunagu-org/tsunagu/internal/metrics"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/training"
	"github.com/tsunagu-org/tsunagu/internal/workshop"
	"github.com/tsunagu-org/tsunagu/web"
)

// services are the feature services of one process. buildServices builds
// each exactly once; the HTTP wiring (routes.go) and the job wiring
// (tasks.go) only take them from here.
type services struct {
	tax     *taxonomy.Taxonomy
	vocab   profile.TaxonomyVocabulary
	metrics *metrics.Metrics
	suggest *suggester

	cases     *cases.Service
	profiles  *profile.Service
	training  *training.Service
	workshops *workshop.Service
	matching  *matching.Service
}

// buildServices builds the services in dependency order: each line uses
// only what the lines above it built (and the database, auth and Redis
// that New opened).
func (a *App) buildServices() (*services, error) {
	s := &services{}

	// Shared by the features: translations (for mail), the ESCO
	// taxonomy, metrics, the taxonomy suggestion index.
	catalogue, err := i18n.Load(web.Locales)
	if err != nil {
		return nil, err
	}
	translate := func(lang, id string, data map[string]any) string { return catalogue.Printer(lang).T(id, data) }
	if s.tax, err = taxonomy.Load(); err != nil {
		return nil, fmt.Errorf("taxonomy: %w", err)
	}
	s.vocab = profile.TaxonomyVocabulary{T: s.tax}
	res, err := sharedResolver() // the search index's, built once per process
	if err != nil {
		return nil, err
	}
	s.metrics = metrics.New(metrics.Options{DB: a.DB, Redis: a.Redis})
	s.suggest = newSuggester(filepath.Join(a.Config.DataDir, "taxonomy"))
	a.OnClose(s.suggest.close)

	// Cases: stages, introductions, follow-ups; mails every notification
	// through auth's mail outbox.
	s.cases = cases.New(a.DB)
	s.cases.Log = a.Log
	s.cases.Mail = a.Auth
	s.cases.BaseURL = a.Config.BaseURL
	s.cases.Translate = translate

	// Profiles: candidates, companies, roles; consents come from cases.
	s.profiles = profile.New(a.DB,
		profile.WithVocabulary(s.vocab),
		profile.WithResolver(profile.NewLabelResolver(s.tax)),
		profile.WithOccupationGuesser(res),
		profile.WithConsents(s.cases))

	// Training: completing it moves the case through the cases service, so
	// the stage machine and case history apply.
	s.training = training.New(a.DB)
	s.training.Log = a.Log
	s.training.Cases = training.MoveCases{Cases: s.cases, Find: a.DB}
	s.training.Vocab = skillVocab{s.tax}

	// Workshops: reminders mailed in the recipient's language.
	s.workshops = workshop.New(a.DB)
	s.workshops.Log = a.Log
	s.workshops.Translate = translate

	// Matching over this process's search index (search.go), opened by
	// StartSearch or the first task that needs it; introductions go
	// through cases, skill gaps name training programmes.
	s.matching = &matching.Service{
		DB: a.DB, Index: lazyIndex{a}, Ready: a.searchReady, Introduction: s.cases, Training: s.training,
		SkillLabel: skillVocab{s.tax}.SkillLabel, OccupationLabel: s.vocab.OccupationLabel, Log: a.Log,
	}
	a.OnClose(a.closeSearch)
	s.metrics.IndexApplied = lazyIndex{a}.Applied
	s.metrics.IndexLag = a.indexLag
	return s, nil
}

// skillVocab checks and names ESCO skills for training and matching.
type skillVocab struct{ t *taxonomy.Taxonomy }

func (v skillVocab) SkillExists(uri string) bool { _, ok := v.t.Skill(uri); return ok }

func (v skillVocab) SkillLabel(uri, lang string) string {
	s, ok := v.t.Skill(uri)
	if !ok {
		return ""
	}
	return v.t.Label(s, lang)
}
