package app

import (
	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/cases/casehttp"
	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/importer"
	"github.com/tsunagu-org/tsunagu/internal/matching"
	"github.com/tsunagu-org/tsunagu/internal/matching/matchhttp"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/profile/profilehttp"
	"github.com/tsunagu-org/tsunagu/internal/training/traininghttp"
	"github.com/tsunagu-org/tsunagu/internal/workshop"
	"github.com/tsunagu-org/tsunagu/internal/workshop/workshophttp"
)

// wire builds every service once (services.go), then hands them to the
// job wiring and the HTTP wiring, which build nothing.
func (a *App) wire() error {
	s, err := a.buildServices()
	if err != nil {
		return err
	}
	a.Cases, a.Matching, a.Metrics, a.suggest = s.cases, s.matching, s.metrics, s.suggest
	a.registerTasks(s)
	a.registerRoutes(s)
	return nil
}

// registerTasks hands each feature's background tasks (defined in the
// feature's tasks.go) to the worker.
func (a *App) registerTasks(s *services) {
	cases.RegisterTasks(&a.Tasks, s.cases)
	importer.RegisterTasks(&a.Tasks, a.DB, s.profiles, s.profiles, a.Log)
	workshop.RegisterTasks(&a.Tasks, s.workshops)
	profile.RegisterTasks(&a.Tasks, s.profiles)
	matching.RegisterTasks(&a.Tasks, s.matching)
	a.WrapHandlers = s.metrics.WrapJobs
}

// registerRoutes adds each feature's pages and API, and the request
// metrics.
func (a *App) registerRoutes(s *services) {
	a.Middleware = append(a.Middleware, s.metrics.Middleware())
	cs := &casehttp.Handlers{Cases: s.cases, DB: a.DB, Redis: a.Redis, Metrics: s.metrics, Workshops: s.workshops,
		// The training and workshop figures on the shared outcomes page:
		// casehttp takes them as a thttp.OutcomeSource and imports neither
		// training package.
		Outcomes: []thttp.OutcomeSource{traininghttp.OutcomeSource{Training: s.training}}}
	a.Routes = append(a.Routes,
		profilehttp.TaxonomyRoutes(s.suggest),
		cs.Register,
		a.profileRoutes(s),
		(&traininghttp.Handlers{Training: s.training}).Register,
		(&workshophttp.Handlers{Workshops: s.workshops}).Register,
		(&matchhttp.Handlers{Matching: s.matching}).Register)
}
