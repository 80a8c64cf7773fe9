package http

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
)

// auditQuery reads the audit log's filters: person and actor ids, from and
// to dates (YYYY-MM-DD, to inclusive). A value that is no id or date does
// not filter.
func auditQuery(c *gin.Context) postgres.AuditQuery {
	q := postgres.AuditQuery{Limit: 200}
	q.Person, _ = strconv.ParseInt(c.Query("person"), 10, 64)
	q.Actor, _ = strconv.ParseInt(c.Query("actor"), 10, 64)
	if t, err := time.Parse(time.DateOnly, c.Query("from")); err == nil {
		q.From = t
	}
	if t, err := time.Parse(time.DateOnly, c.Query("to")); err == nil {
		q.To = t.AddDate(0, 0, 1)
	}
	return q
}
