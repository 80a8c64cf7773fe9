package http

import (
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Messages of the period and report filters.
const (
	MsgPeriodDay   = "error.period_day"   // not a day as YYYY-MM-DD; Data: Value
	MsgPeriodOrder = "error.period_order" // the last day comes before the first
)

// PeriodQuery reads a period from the query parameters from and to: days
// as YYYY-MM-DD in the viewer's zone, both included. It returns the first
// instant of from and the first instant after to; an empty value is an
// open end (zero). A value that is no day, or a to before from, is a
// per-field error.
func PeriodQuery(c *gin.Context) (from, to time.Time, err error) {
	var v tsunagu.Validation
	day := func(field string) time.Time {
		s := strings.TrimSpace(c.Query(field))
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(i18n.DateLayout, s, i18n.Zone)
		if err != nil || t.Year() < 1990 || t.Year() > 2099 {
			v.Add(field, MsgPeriodDay, map[string]any{"Value": s})
			return time.Time{}
		}
		return t
	}
	from, last := day("from"), day("to")
	if !last.IsZero() {
		to = last.AddDate(0, 0, 1)
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		v.Add("to", MsgPeriodOrder, nil)
	}
	return from, to, v.Err()
}

// OutcomeFilterQuery reads the outcome figures' filter from the query:
// the period (PeriodQuery) and programme, a programme id or empty for
// every programme. Whether the programme exists is the caller's to check.
func OutcomeFilterQuery(c *gin.Context) (tsunagu.OutcomeFilter, error) {
	var (
		f   tsunagu.OutcomeFilter
		v   tsunagu.Validation
		err error
	)
	f.From, f.To, err = PeriodQuery(c)
	v.Merge(err) // only per-field errors
	if s := strings.TrimSpace(c.Query("programme")); s != "" {
		id, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil || id < 0 {
			v.Add("programme", "error.invalid_number", nil)
		}
		f.ProgrammeID = id
	}
	return f, v.Err()
}
