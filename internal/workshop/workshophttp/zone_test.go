package workshophttp_test

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
// the page: a workshop at 14:00, and a workshop at 08:30, which is the day
// before in UTC. (traininghttp checks a training session at 10:00.)
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
	coord.SetLanguage("en")
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

	t.Run("WorkshopAt14", func(t *testing.T) {
		ws := newWorkshop("Fourteen o'clock")
		r := coord.PostForm(ws+"/schedule", ws, url.Values{"scheduled_at": {ymd + "T14:00"}, "place": {"Tokyo office"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("schedule: %d\n%s", r.Status, r.Body)
		}
		at := env.StoredTime(t, `SELECT scheduled_at FROM workshops WHERE id = $1`, strings.TrimPrefix(ws, "/workshops/"))
		if got, want := at.Format("2006-01-02 15:04"), ymd+" 05:00"; got != want {
			t.Errorf("stored %s UTC, want %s", got, want)
		}
		coord.JapanTimePage(ws, ymd+" 14:00", ymd+" 05:00")
		coord.JapanTimePage("/workshops", ymd+" 14:00", ymd+" 05:00")
	})

	t.Run("AcrossDateBoundary", func(t *testing.T) {
		ws := newWorkshop("Early morning")
		r := coord.PostForm(ws+"/schedule", ws, url.Values{"scheduled_at": {next + "T08:30"}, "place": {"Tokyo office"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("schedule: %d\n%s", r.Status, r.Body)
		}
		at := env.StoredTime(t, `SELECT scheduled_at FROM workshops WHERE id = $1`, strings.TrimPrefix(ws, "/workshops/"))
		if got, want := at.Format("2006-01-02 15:04"), ymd+" 23:30"; got != want {
			t.Errorf("stored %s UTC, want %s (the day before)", got, want)
		}
		coord.JapanTimePage(ws, next+" 08:30", ymd+" 23:30")
	})
}
