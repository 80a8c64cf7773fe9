package i18n

import (
	"time"
	_ "time/tzdata" // Asia/Tokyo without the system's zoneinfo (slim images)
)

// One time zone rule for the platform: instants (timestamptz) are stored in
// UTC; a person enters them and reads them in the viewer's zone, which is
// Zone (Japan time) until accounts carry a zone of their own; and the page
// names the zone. Calendar dates (DATE columns: a cohort's first day, a
// residence card's expiry) are days, not instants, and are never shifted.

// ZoneName is the IANA name of the zone pages show and forms read times in.
const ZoneName = "Asia/Tokyo"

// Zone is the location of ZoneName.
var Zone = mustLoadZone(ZoneName)

func mustLoadZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("i18n: time zone " + name + ": " + err.Error()) // embedded tzdata: cannot happen
	}
	return loc
}

// Layouts of dates and times as pages show them and forms accept them.
const (
	DateLayout     = "2006-01-02"
	DateTimeLayout = "2006-01-02 15:04"
)

// LocalTime returns t in the viewer's zone.
func LocalTime(t time.Time) time.Time { return t.In(Zone) }

// FormatDate returns the day of t in the viewer's zone: 23:30 UTC is the
// next day in Japan. A time at midnight exactly, in its own location, is a
// calendar date (read from a DATE column) and keeps its day. The zero time
// is "".
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if h, m, s := t.Clock(); h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0 {
		return t.Format(DateLayout)
	}
	return t.In(Zone).Format(DateLayout)
}

// FormatDateTime returns t as "2006-01-02 15:04" in the viewer's zone; the
// zero time is "".
func FormatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format(DateTimeLayout)
}
