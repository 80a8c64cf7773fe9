package http_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestTimesInJapanTime: a time entered in a form (Japan time) is stored in
// UTC and shown as it was entered, on the same day, with the zone named on
// the page: a workshop at 14:00, a training session at 10:00, and a
// workshop at 08:30, which is the day before in UTC.
func TestTimesInJapanTime(t *testing.T) {
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	coord := env.ClientFor(t)
	coord.SignInDemo("coordinator")
	if r := coord.PostForm("/lang", "/about", url.Values{"lang": {"en"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("language: %d", r.Status)
	}
	// Ten days ahead, as a Japanese calendar day.
	day := time.Now().In(i18n.Zone).AddDate(0, 0, 10)
	ymd := day.Format("2006-01-02")
	next := day.AddDate(0, 0, 1).Format("2006-01-02")

	// A workshop with an accepted lecturer, ready to be scheduled.
	var company, cand int64
	must(db.GetContext(ctx, &company, `INSERT INTO companies (name) VALUES ('Zone Test KK') RETURNING id`))
	must(db.GetContext(ctx, &cand, `INSERT INTO candidates (name, headline, locale, visibility, speaker_opt_in)
		VALUES ('Lecturer', 'Teacher', 'en', 'companies', TRUE) RETURNING id`))
	newWorkshop := func(topic string) string {
		t.Helper()
		w := &tsunagu.Workshop{CompanyID: company, Topic: topic, Audience: 20, PreferredDates: []time.Time{day}, Language: "en"}
		must(db.CreateWorkshop(ctx, w, ""))
		now := time.Now()
		must(db.InTx(ctx, func(tx *postgres.Tx) error {
			if err := postgres.ProposeLecturer(ctx, tx, w.ID, cand, nil, now); err != nil {
				return err
			}
			return postgres.SetLecturerStatus(ctx, tx, w.ID, cand, tsunagu.LecturerAccepted, now)
		}))
		return fmt.Sprintf("/workshops/%d", w.ID)
	}
	stored := func(q string, args ...any) time.Time {
		t.Helper()
		var at time.Time
		must(db.GetContext(ctx, &at, q, args...))
		return at.UTC()
	}
	shows := func(path, want string, not ...string) {
		t.Helper()
		r := coord.Get(path)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, r.Status)
		}
		if !strings.Contains(r.Body, want) {
			t.Errorf("%s does not show %q", path, want)
		}
		for _, n := range not {
			if strings.Contains(r.Body, n) {
				t.Errorf("%s shows %q (UTC)", path, n)
			}
		}
		if zone := "All times are Japan time (" + i18n.ZoneName + ")."; !strings.Contains(r.Body, zone) {
			t.Errorf("%s does not name the zone: no %q", path, zone)
		}
	}

	t.Run("WorkshopAt14", func(t *testing.T) {
		ws := newWorkshop("Fourteen o'clock")
		r := coord.PostForm(ws+"/schedule", ws, url.Values{"scheduled_at": {ymd + "T14:00"}, "place": {"Tokyo office"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("schedule: %d\n%s", r.Status, r.Body)
		}
		at := stored(`SELECT scheduled_at FROM workshops WHERE id = $1`, strings.TrimPrefix(ws, "/workshops/"))
		if got, want := at.Format("2006-01-02 15:04"), ymd+" 05:00"; got != want {
			t.Errorf("stored %s UTC, want %s", got, want)
		}
		shows(ws, ymd+" 14:00", ymd+" 05:00")
		shows("/workshops", ymd+" 14:00", ymd+" 05:00")
	})

	t.Run("AcrossDateBoundary", func(t *testing.T) {
		ws := newWorkshop("Early morning")
		r := coord.PostForm(ws+"/schedule", ws, url.Values{"scheduled_at": {next + "T08:30"}, "place": {"Tokyo office"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("schedule: %d\n%s", r.Status, r.Body)
		}
		at := stored(`SELECT scheduled_at FROM workshops WHERE id = $1`, strings.TrimPrefix(ws, "/workshops/"))
		if got, want := at.Format("2006-01-02 15:04"), ymd+" 23:30"; got != want {
			t.Errorf("stored %s UTC, want %s (the day before)", got, want)
		}
		shows(ws, next+" 08:30", ymd+" 23:30")
	})

	t.Run("SessionAt10", func(t *testing.T) {
		var prog, cohort int64
		must(db.GetContext(ctx, &prog, `INSERT INTO training_programmes (title_ja, title_en, kind, format, capacity)
			VALUES ('時間', 'Timing', 'soft', 'online', 5) RETURNING id`))
		must(db.GetContext(ctx, &cohort, `INSERT INTO training_cohorts (programme_id, name, starts_on, ends_on, capacity)
			VALUES ($1, 'Zone cohort', $2::date - 5, $2::date + 5, 5) RETURNING id`, prog, ymd))
		path := fmt.Sprintf("/coordinator/training/cohorts/%d", cohort)
		r := coord.PostForm(path+"/sessions", path, url.Values{"starts_at": {ymd + "T10:00"}, "topic": {"Keigo"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("add session: %d\n%s", r.Status, r.Body)
		}
		at := stored(`SELECT starts_at FROM training_sessions WHERE cohort_id = $1`, cohort)
		if got, want := at.Format("2006-01-02 15:04"), ymd+" 01:00"; got != want {
			t.Errorf("stored %s UTC, want %s", got, want)
		}
		shows(path, ymd+" 10:00 Keigo", ymd+" 01:00")
	})
}
