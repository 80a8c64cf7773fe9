package app

import (
	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/cases/casehttp"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/training"
	"github.com/tsunagu-org/tsunagu/internal/training/traininghttp"
	"github.com/tsunagu-org/tsunagu/internal/workshop"
	"github.com/tsunagu-org/tsunagu/internal/workshop/workshophttp"
	"github.com/tsunagu-org/tsunagu/web"
)

// wireTraining builds the training and workshop services, the workshop
// reminder handler, and their pages and API. Completing training moves a
// case through the cases service (cases.Service.MoveCase, via
// training.MoveCases), so the stage machine and case history apply.
func (a *App) wireTraining() error {
	b, err := i18n.Load(web.Locales)
	if err != nil {
		return err
	}
	tr := training.New(a.DB)
	tr.Log = a.Log
	moves := cases.New(a.DB)
	moves.Log = a.Log
	tr.Cases = training.MoveCases{Cases: moves, Find: a.DB}
	if tax, err := taxonomy.Load(); err == nil {
		tr.Vocab = skillVocab{tax}
	} else {
		a.Log.Warn("training: taxonomy not loaded; ESCO skills checked for shape only", "err", err)
	}
	ws := workshop.New(a.DB)
	ws.Log = a.Log
	ws.Translate = func(lang, id string, data map[string]any) string { return b.Printer(lang).T(id, data) }

	workshop.RegisterTasks(&a.Tasks, ws)
	a.Routes = append(a.Routes,
		(&traininghttp.Handlers{Training: tr}).Register,
		(&workshophttp.Handlers{Workshops: ws}).Register)
	return nil
}

// skillVocab checks and names ESCO skills for training.
type skillVocab struct{ t *taxonomy.Taxonomy }

func (v skillVocab) SkillExists(uri string) bool { _, ok := v.t.Skill(uri); return ok }

func (v skillVocab) SkillLabel(uri, lang string) string {
	s, ok := v.t.Skill(uri)
	if !ok {
		return ""
	}
	return v.t.Label(s, lang)
}

// trainingOutcomes puts the training and workshop figures on the shared
// outcomes page (/coordinator/outcomes, its CSV and /api/v1/outcomes):
// casehttp takes them as a casehttp.OutcomeSource and imports neither
// training package. The figures need only the database.
func (a *App) trainingOutcomes() casehttp.OutcomeSource {
	tr := training.New(a.DB)
	tr.Log = a.Log
	return traininghttp.OutcomeSource{Training: tr}
}
