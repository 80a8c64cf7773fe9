package http

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// auditQuery reads the audit log's filters: person and actor ids, from and
// to dates (YYYY-MM-DD, to inclusive). An empty value does not filter; a
// value that is no id or no date, or a "to" before "from", is an error of
// that field (EINVALID), never a filter silently dropped.
func auditQuery(c *gin.Context) (postgres.AuditQuery, error) {
	q := postgres.AuditQuery{Limit: 200}
	var v tsunagu.Validation
	id := func(field string) int64 {
		s := c.Query(field)
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			v.Add(field, "error.invalid_number", nil)
			return 0
		}
		return n
	}
	date := func(field string) time.Time {
		s := c.Query(field)
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			v.Add(field, "admin.audit_error_date", nil)
		}
		return t
	}
	q.Person, q.Actor = id("person"), id("actor")
	q.From = date("from")
	if to := date("to"); !to.IsZero() {
		if !q.From.IsZero() && to.Before(q.From) {
			v.Add("to", "admin.audit_error_order", nil)
		}
		q.To = to.AddDate(0, 0, 1)
	}
	return q, v.Err()
}
