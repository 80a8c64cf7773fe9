package traininghttp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
)

// TestTimesInJapanTime: a training session entered at 10:00 (Japan time)
// is stored in UTC and shown as it was entered, with the zone named on the
// page. (workshophttp checks workshops, across the date boundary too.)
func TestTimesInJapanTime(t *testing.T) {
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	coord := env.ClientFor(t)
	coord.SignInDemo("coordinator")
	coord.SetLanguage("en")
	// Ten days ahead, as a Japanese calendar day.
	ymd := time.Now().In(i18n.Zone).AddDate(0, 0, 10).Format("2006-01-02")

	t.Run("SessionAt10", func(t *testing.T) {
		var prog, cohort int64
		if err := db.GetContext(ctx, &prog, `INSERT INTO training_programmes (title_ja, title_en, kind, format, capacity)
			VALUES ('時間', 'Timing', 'soft', 'online', 5) RETURNING id`); err != nil {
			t.Fatal(err)
		}
		if err := db.GetContext(ctx, &cohort, `INSERT INTO training_cohorts (programme_id, name, starts_on, ends_on, capacity)
			VALUES ($1, 'Zone cohort', $2::date - 5, $2::date + 5, 5) RETURNING id`, prog, ymd); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/coordinator/training/cohorts/%d", cohort)
		r := coord.PostForm(path+"/sessions", path, url.Values{"starts_at": {ymd + "T10:00"}, "topic": {"Keigo"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("add session: %d\n%s", r.Status, r.Body)
		}
		at := env.StoredTime(t, `SELECT starts_at FROM training_sessions WHERE cohort_id = $1`, cohort)
		if got, want := at.Format("2006-01-02 15:04"), ymd+" 01:00"; got != want {
			t.Errorf("stored %s UTC, want %s", got, want)
		}
		coord.JapanTimePage(path, ymd+" 10:00 Keigo", ymd+" 01:00")
	})
}
