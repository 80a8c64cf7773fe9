package i18n_test

import (
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
)

// TestZone: stored UTC instants show in Japan time, across the date
// boundary too; calendar dates keep their day; forms' input reads back as
// the same UTC instant.
func TestZone(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       time.Time
		date, dt string
	}{
		{"WorkshopAt14", time.Date(2026, 3, 5, 5, 0, 0, 0, time.UTC), "2026-03-05", "2026-03-05 14:00"},
		{"NextDay", time.Date(2026, 3, 5, 23, 30, 0, 0, time.UTC), "2026-03-06", "2026-03-06 08:30"},
		{"NewYear", time.Date(2026, 12, 31, 15, 0, 0, 0, time.UTC), "2027-01-01", "2027-01-01 00:00"},
		{"CalendarDate", time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC), "2026-04-06", "2026-04-06 09:00"},
		{"Zero", time.Time{}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := i18n.FormatDate(tc.in); got != tc.date {
				t.Errorf("FormatDate(%v) = %q, want %q", tc.in, got, tc.date)
			}
			if got := i18n.FormatDateTime(tc.in); got != tc.dt {
				t.Errorf("FormatDateTime(%v) = %q, want %q", tc.in, got, tc.dt)
			}
		})
	}
	// A calendar date west of Greenwich keeps its day too.
	ny := time.Date(2026, 4, 6, 0, 0, 0, 0, time.FixedZone("", -5*3600))
	if got := i18n.FormatDate(ny); got != "2026-04-06" {
		t.Errorf("calendar date %v shows %q", ny, got)
	}
	if got := i18n.LocalTime(time.Date(2026, 3, 5, 23, 30, 0, 0, time.UTC)); got.Day() != 6 || got.Hour() != 8 || got.Location().String() != i18n.ZoneName {
		t.Errorf("LocalTime = %v", got)
	}
}
