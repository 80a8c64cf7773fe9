package tsunagu

import (
	"fmt"
	"time"
)

// OutcomeFilter narrows the outcome figures to what happened in a period
// and to the people of one training programme: a report for a funder's
// year, or for one course.
type OutcomeFilter struct {
	// From is the first instant of the period and To the first instant
	// after it (the start of the day after the last day); zero is open.
	From, To time.Time
	// ProgrammeID keeps the people enrolled in that programme; 0 keeps
	// everyone.
	ProgrammeID int64
}

// Period returns the period's bounds for SQL: nil for an open end.
func (f OutcomeFilter) Period() (from, to *time.Time) {
	if !f.From.IsZero() {
		from = &f.From
	}
	if !f.To.IsZero() {
		to = &f.To
	}
	return from, to
}

// Suffix names the filter in a file name: "-2026-04-01_2026-09-30",
// "-from-2026-04-01", "-programme-3", or "" for everything. Days are
// those of loc, the zone the period was entered in.
func (f OutcomeFilter) Suffix(loc *time.Location) string {
	const day = "2006-01-02"
	s := ""
	switch {
	case !f.From.IsZero() && !f.To.IsZero():
		s = "-" + f.From.In(loc).Format(day) + "_" + f.To.Add(-time.Nanosecond).In(loc).Format(day)
	case !f.From.IsZero():
		s = "-from-" + f.From.In(loc).Format(day)
	case !f.To.IsZero():
		s = "-to-" + f.To.Add(-time.Nanosecond).In(loc).Format(day)
	}
	if f.ProgrammeID != 0 {
		s += fmt.Sprintf("-programme-%d", f.ProgrammeID)
	}
	return s
}
