// Package casehttp serves the pages and JSON API of cases, introductions,
// follow-ups, notifications and outcomes, and the operations endpoints
// (/metrics, the queue dashboard at /admin/queues). It follows the
// conventions of internal/http (see server.go) and registers through
// thttp.Router: parse → validate → call the service → respond, every
// failure through Server.Fail or RenderForm, every string from
// web/locales/cases.<lang>.json.
package casehttp

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/cases"
	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/metrics"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
)

// Handlers holds what the pages call.
type Handlers struct {
	Cases   *cases.Service
	DB      *postgres.DB
	Redis   asynq.RedisConnOpt
	Metrics *metrics.Metrics
	// Workshops adds a lecturer's workshop milestones to the case timeline
	// (nil: none).
	Workshops CaseWorkshops
	// Outcomes add other areas' figures to the outcomes page (outcomes.go).
	Outcomes []thttp.OutcomeSource

	s *thttp.Server
}

// Register adds every route (an app.Routes entry).
func (h *Handlers) Register(r *thttp.Router) {
	h.s = r.Server
	h.registerBoard(r)
	h.registerCandidate(r)
	h.registerCompany(r)
	h.registerRecordedConsent(r)
	h.registerFollowups(r)
	h.registerOutcomes(r)
	h.registerAPI(r)
	h.registerOps(r)
}

func formInt(c *gin.Context, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(c.PostForm(name)), 10, 64)
	return n
}

// stageName translates a case stage.
func stageName(p *i18n.Printer, s string) string { return p.T("cases.stage." + s) }

func introStageName(p *i18n.Printer, s string) string { return p.T("cases.intro." + s) }
