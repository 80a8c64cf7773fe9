package tsunagu_test

import (
	"errors"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestSessionOutsideShowsJapanTime: a session entered at 10:00 Japan time
// (01:00 UTC) outside the cohort's dates is named in the error as it was
// entered, 10:00.
func TestSessionOutsideShowsJapanTime(t *testing.T) {
	c := &tsunagu.Cohort{Name: "Spring", Capacity: 5, OnlineURL: "https://example.org/meet",
		StartsOn: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC),
		Sessions: []*tsunagu.CohortSession{{StartsAt: time.Date(2026, 6, 1, 1, 0, 0, 0, time.UTC)}}}
	err := c.Validate(&tsunagu.Programme{Format: tsunagu.FormatOnline})
	var e *tsunagu.Error
	if !errors.As(err, &e) {
		t.Fatalf("Validate = %v, want the session outside the dates", err)
	}
	f, ok := e.Fields["sessions"]
	if !ok || f.ID != "training.error.session_outside" {
		t.Fatalf("fields %+v", e.Fields)
	}
	if got, want := f.Data["Value"], "2026-06-01 10:00"; got != want {
		t.Errorf("Value %q, want %q", got, want)
	}
}
