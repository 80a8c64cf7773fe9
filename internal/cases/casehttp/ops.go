package casehttp

import (
	"github.com/gin-gonic/gin"
	"github.com/hibiken/asynqmon"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// queuesPath is where the Asynq dashboard is mounted.
const queuesPath = "/admin/queues"

func (h *Handlers) registerOps(r *thttp.Router) {
	if h.Metrics != nil {
		// /metrics carries no personal data: counts and durations by route
		// pattern, queue sizes, pool statistics.
		r.Engine.GET("/metrics", r.Server.MetricsAuth(), gin.WrapH(h.Metrics.Handler()))
	}
	if h.Redis != nil {
		mon := asynqmon.New(asynqmon.Options{RootPath: queuesPath, RedisConnOpt: h.Redis, ReadOnly: true})
		serve := func(c *gin.Context) {
			// The dashboard's page runs its own inline script and styles.
			c.Header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; font-src 'self' data: https://fonts.gstatic.com; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
			mon.ServeHTTP(c.Writer, c.Request)
		}
		admin := r.Server.Require(tsunagu.ActAdminArea)
		r.Engine.GET(queuesPath, admin, serve)
		r.Engine.GET(queuesPath+"/*path", admin, serve)
	}
}
