package app

import (
	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/cases/casehttp"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/metrics"
	"github.com/tsunagu-org/tsunagu/internal/workshop"
	"github.com/tsunagu-org/tsunagu/web"
)

// wireCases builds the cases service, its task handlers and schedule, its
// pages and API, and the operations endpoints (/metrics, /admin/queues).
func (a *App) wireCases() error {
	b, err := i18n.Load(web.Locales)
	if err != nil {
		return err
	}
	svc := cases.New(a.DB)
	svc.Log = a.Log
	svc.Mail = a.Auth
	svc.BaseURL = a.Config.BaseURL
	svc.Translate = func(lang, id string, data map[string]any) string { return b.Printer(lang).T(id, data) }
	a.Cases = svc

	cases.RegisterTasks(&a.Tasks, svc)

	a.Metrics = metrics.New(metrics.Options{DB: a.DB, Redis: a.Redis})
	a.Middleware = append(a.Middleware, a.Metrics.Middleware())
	a.WrapHandlers = a.Metrics.WrapJobs

	h := &casehttp.Handlers{Cases: svc, DB: a.DB, Redis: a.Redis, Metrics: a.Metrics, Workshops: workshop.New(a.DB)}
	h.Outcomes = append(h.Outcomes, a.trainingOutcomes())
	a.Routes = append(a.Routes, h.Register)
	return nil
}
