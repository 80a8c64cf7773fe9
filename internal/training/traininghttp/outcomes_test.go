package traininghttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestOutcomesOnSharedPage crafts training and workshop history with
// known timestamps and checks that /coordinator/outcomes, its CSV exports
// and /api/v1/outcomes show the figures worked out by hand below; the old
// training outcomes addresses lead there.
func TestOutcomesOnSharedPage(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	now := time.Now().UTC().Truncate(time.Second)
	day := func(n int) time.Time { return now.AddDate(0, 0, -n) }
	exec := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := db.GetContext(ctx, &id, q+` RETURNING id`, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	cand := map[string]int64{}
	for _, n := range []string{"c1", "c2", "c3", "c4", "c5", "c6"} {
		c := &tsunagu.Candidate{Name: n, Headline: "Clerk", Visibility: tsunagu.VisibilityCoordinators}
		if err := db.SaveCandidate(ctx, c); err != nil {
			t.Fatal(err)
		}
		cand[n] = c.ID
	}
	alpha := exec(`INSERT INTO training_programmes (title_ja, title_en, kind, format, capacity) VALUES ('アルファ', 'Alpha', 'hard', 'online', 10)`)
	beta := exec(`INSERT INTO training_programmes (title_en, kind, format, capacity) VALUES ('Beta', 'soft', 'online', 10)`)
	ca := exec(`INSERT INTO training_cohorts (programme_id, name, starts_on, ends_on, capacity) VALUES ($1, 'A1', $2, $3, 10)`, alpha, day(300), day(200))
	cb := exec(`INSERT INTO training_cohorts (programme_id, name, starts_on, ends_on, capacity) VALUES ($1, 'B1', $2, $3, 10)`, beta, day(100), day(10))
	enrol := func(cohort int64, who, status string, seated, completed *time.Time) {
		exec(`INSERT INTO training_enrolments (cohort_id, candidate_id, status, seated_at, completed_at) VALUES ($1, $2, $3, $4, $5)`,
			cohort, cand[who], status, seated, completed)
	}
	at := func(n int) *time.Time { d := day(n); return &d }
	// Alpha: four took a place and all four finished, two completed
	// (c1, c6); c4 only waits. Beta: c1 completed, c5 is still in it.
	enrol(ca, "c1", "completed", at(300), at(250))
	enrol(ca, "c2", "not_completed", at(300), nil)
	enrol(ca, "c3", "withdrawn", at(300), nil)
	enrol(ca, "c4", "waitlisted", nil, nil)
	enrol(ca, "c6", "completed", at(300), at(220))
	enrol(cb, "c1", "completed", at(100), at(60))
	enrol(cb, "c5", "enrolled", at(50), nil)
	// Job-ready after a first place: c1 after 60 days, c5 after 30; c2's
	// job-ready came before any place and does not count. Median 45.
	cases := map[string]int64{}
	for _, n := range []string{"c1", "c2", "c5", "c6"} {
		cases[n] = exec(`INSERT INTO cases (candidate_id, stage) VALUES ($1, 'job_search')`, cand[n])
	}
	for n, d := range map[string]int{"c1": 240, "c5": 20, "c2": 400} {
		exec(`INSERT INTO case_events (case_id, kind, from_state, to_state, at) VALUES ($1, 'stage', 'training', 'job_ready', $2)`, cases[n], day(d))
	}
	// Completed six months ago or more: c1 (day 250) and c6 (day 220). c1
	// was hired 50 days after; c6 210 days after, too late. 1 of 2.
	company := exec(`INSERT INTO companies (name) VALUES ('Sakura')`)
	role := exec(`INSERT INTO roles (company_id, title, workplace) VALUES ($1, 'Clerk', 'onsite')`, company)
	role2 := exec(`INSERT INTO roles (company_id, title, workplace) VALUES ($1, 'Clerk 2', 'onsite')`, company)
	exec(`INSERT INTO introductions (case_id, candidate_id, role_id, company_id, stage, hired_at) VALUES ($1, $2, $3, $4, 'hired', $5)`, cases["c1"], cand["c1"], role, company, day(200))
	exec(`INSERT INTO introductions (case_id, candidate_id, role_id, company_id, stage, hired_at) VALUES ($1, $2, $3, $4, 'hired', $5)`, cases["c6"], cand["c6"], role2, company, day(10))
	// Workshops: two delivered (20 and 15 participants) taught by c1 and
	// c2 (c3 was only proposed); one scheduled and one cancelled do not count.
	ws := func(status string, participants int) int64 {
		return exec(`INSERT INTO workshops (company_id, topic, audience, language, status, scheduled_at, participants) VALUES ($1, 'Topic', 30, 'ja', $2, $3, $4)`,
			company, status, day(30), participants)
	}
	w1, w2 := ws("delivered", 20), ws("delivered", 15)
	ws("scheduled", 0)
	ws("cancelled", 0)
	lecture := func(w int64, who, status string) {
		if _, err := db.ExecContext(ctx, `INSERT INTO workshop_lecturers (workshop_id, candidate_id, status) VALUES ($1, $2, $3)`, w, cand[who], status); err != nil {
			t.Fatal(err)
		}
	}
	lecture(w1, "c1", "accepted")
	lecture(w1, "c2", "accepted")
	lecture(w2, "c1", "accepted")
	lecture(w2, "c3", "proposed")

	c := env.ClientFor(t)
	c.SignInDemo("coordinator")
	setLang(t, c, "en")

	wantCSV := map[string]string{
		"training_programmes": fmt.Sprintf("programme_id,programme,seated,ended,completed,completion_rate\n%d,Alpha,4,4,2,0.500\n%d,Beta,2,1,1,1.000\n", alpha, beta),
		"training": "figure,value\ncompletion_rate,0.600\njob_ready_after_training,2\nmedian_days_enrolment_to_job_ready,45.0\n" +
			"completed_candidates_6_months_ago,2\nhired_within_6_months_of_completion,1\nhire_rate_within_6_months,0.500\n",
		"workshops": "figure,value\nworkshops_delivered,2\nworkshop_participants,35\nworkshop_lecturers,2\n",
	}
	for name, want := range wantCSV {
		r := c.Get("/coordinator/outcomes/csv/" + name)
		mustStatus(t, r, http.StatusOK, name+" csv")
		if got, ok := strings.CutPrefix(r.Body, "\ufeff"); !ok || got != want {
			t.Errorf("%s csv:\n%s\nwant:\n%s", name, got, want)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("%s content type %q", name, ct)
		}
	}

	p := c.Get("/coordinator/outcomes")
	mustStatus(t, p, http.StatusOK, "outcomes page")
	mustContain(t, p.Body, `id="training"`, "Training and workshop outcomes",
		`<tr><th scope="row">Alpha</th><td>4</td><td>4</td><td>2</td><td>50%</td></tr>`,
		`<tr><th scope="row">Beta</th><td>2</td><td>1</td><td>1</td><td>100%</td></tr>`,
		`<tr><th scope="row">Completion rate, all programmes</th><td>60%</td></tr>`,
		`<tr><th scope="row">People job-ready after taking a place</th><td>2</td></tr>`,
		`<tr><th scope="row">Median time from enrolment to job-ready</th><td>45.0 days</td></tr>`,
		`<tr><th scope="row">People who completed a programme 6 months ago or more</th><td>2</td></tr>`,
		`<tr><th scope="row">Of them, hired within 6 months of completing</th><td>1</td></tr>`,
		`<tr><th scope="row">Workshops delivered</th><td>2</td></tr>`,
		`<tr><th scope="row">Participants reached</th><td>35</td></tr>`,
		`<tr><th scope="row">Refugee lecturers who taught</th><td>2</td></tr>`,
		`href="/coordinator/outcomes/csv/training_programmes"`, `href="/coordinator/outcomes/csv/workshops"`,
		// The cases' own sections stay.
		`href="/coordinator/outcomes/csv/headline"`)

	t.Run("Japanese", func(t *testing.T) {
		setLang(t, c, "ja")
		r := c.Get("/coordinator/outcomes/csv/training_programmes")
		mustContain(t, r.Body, fmt.Sprintf("%d,アルファ,4,4,2,0.500\n%d,Beta,2,1,1,1.000", alpha, beta))
		mustContain(t, c.Get("/coordinator/outcomes").Body, "育成・共創の成果", `<tr><th scope="row">実施したワークショップ</th><td>2</td></tr>`)
	})

	t.Run("API", func(t *testing.T) {
		var out struct {
			PeopleConnected *int `json:"people_connected"`
			Training        struct {
				CompletionRate       float64 `json:"completion_rate"`
				MedianDaysToJobReady float64 `json:"median_days_to_job_ready"`
				HiredWithin6Months   int     `json:"hired_within_6_months"`
				WorkshopsDelivered   int     `json:"workshops_delivered"`
				Participants         int     `json:"participants"`
				Programmes           []struct {
					ID        int64 `json:"id"`
					Completed int   `json:"completed"`
				} `json:"programmes"`
			} `json:"training"`
		}
		r := c.Get("/api/v1/outcomes")
		mustStatus(t, r, http.StatusOK, "api outcomes")
		if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
			t.Fatal(err)
		}
		tr := out.Training
		if out.PeopleConnected == nil || tr.CompletionRate != 0.6 || tr.MedianDaysToJobReady != 45 || tr.HiredWithin6Months != 1 ||
			tr.WorkshopsDelivered != 2 || tr.Participants != 35 || len(tr.Programmes) != 2 || tr.Programmes[0].Completed != 2 {
			t.Fatalf("api outcomes = %s", r.Body)
		}
	})

	t.Run("OldAddressesLeadThere", func(t *testing.T) {
		for from, to := range map[string]string{"/coordinator/training/outcomes": "/coordinator/outcomes#training",
			"/coordinator/training/outcomes.csv": "/coordinator/outcomes/csv/training"} {
			r := c.Get(from)
			if r.Status != http.StatusMovedPermanently || r.Location != to {
				t.Errorf("%s: %d to %q, want %q", from, r.Status, r.Location, to)
			}
		}
	})

	t.Run("NotForCandidates", func(t *testing.T) {
		cc := env.ClientFor(t)
		cc.SignInDemo("candidate")
		for _, path := range []string{"/coordinator/outcomes/csv/training", "/api/v1/outcomes"} {
			if r := cc.Get(path); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
				t.Errorf("candidate on %s: %d", path, r.Status)
			}
		}
	})
}
