package traininghttp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

var idRe = regexp.MustCompile(`/(\d+)$`)

func lastID(t *testing.T, loc string) string {
	t.Helper()
	m := idRe.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("no id in %q", loc)
	}
	return m[1]
}

// TestTrainingJourney walks the demo coordinator through the real router:
// programme, cohort, enrolment, attendance, completion; the skill shows as
// verified on the candidate's profile and the case moves to job-ready.
// Bad input answers per field in the user's language.
func TestTrainingJourney(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	tax, err := taxonomy.Load()
	if err != nil {
		t.Fatal(err)
	}
	skill := tax.Skills()[0].URI

	candUser, err := db.UserByEmail(ctx, seed.DemoUsers[0].Email)
	if err != nil {
		t.Fatal(err)
	}
	cand := &tsunagu.Candidate{Name: "Amina K.", UserID: &candUser.ID, Headline: "Bookkeeper", Visibility: tsunagu.VisibilityCompanies}
	if err := db.SaveCandidate(ctx, cand); err != nil {
		t.Fatal(err)
	}
	coordUser, _ := db.UserByEmail(ctx, seed.DemoUsers[2].Email)
	var caseID int64
	if err := db.GetContext(ctx, &caseID, `INSERT INTO cases (candidate_id, stage, coordinator_id) VALUES ($1, 'training', $2) RETURNING id`, cand.ID, coordUser.ID); err != nil {
		t.Fatal(err)
	}

	c := env.ClientFor(t)
	c.SignInDemo("coordinator")

	t.Run("ErrValidationInJapanese", func(t *testing.T) {
		c.Lang = "ja"
		r := c.PostForm("/coordinator/training/programmes", "/coordinator/training/programmes/new", url.Values{"capacity": {"0"}, "kind": {"hard"}, "format": {"online"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", r.Status)
		}
		for _, want := range []string{"日本語か英語のタイトルを入力してください", "1 から 500 までの数を入力してください", "習得できるスキルを1つ以上指定してください"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		api := env.ClientFor(t)
		api.SignInDemo("coordinator")
		api.Lang = "en"
		req, _ := http.NewRequest(http.MethodPost, "/api/v1/training/programmes", strings.NewReader(`{"kind":"hard","format":"online","capacity":0,"skills":[]}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", api.CSRF("/coordinator/training"))
		resp := api.Do(req)
		if resp.Status != http.StatusUnprocessableEntity || !strings.Contains(resp.Body, `"capacity"`) {
			t.Fatalf("api status %d body %s", resp.Status, resp.Body)
		}
	})
	// The demo coordinator reads Japanese (their account's language).
	r := c.PostForm("/coordinator/training/programmes", "/coordinator/training/programmes/new", url.Values{
		"title_ja": {"ビジネス日本語"}, "title_en": {"Business Japanese"}, "kind": {"soft"}, "format": {"in_person"},
		"capacity": {"1"}, "min_attendance": {"50"}, "skills": {skill}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create programme: %d %s", r.Status, r.Body)
	}
	progPath := r.Location
	r = c.PostForm(progPath+"/cohorts", progPath, url.Values{"name": {"May"}, "starts_on": {"2030-05-01"}, "ends_on": {"2030-05-31"},
		"place": {"Shinjuku"}, "sessions": {"2030-05-02 10:00\n2030-05-09 10:00"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create cohort: %d %s", r.Status, r.Body)
	}
	cohortPath := r.Location
	cohortID := lastID(t, cohortPath)

	r = c.PostForm(cohortPath+"/enrol", cohortPath, url.Values{"candidate_id": {fmt.Sprint(cand.ID)}, "required": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("enrol: %d %s", r.Status, r.Body)
	}
	// The cohort holds one: a second candidate waits.
	other := &tsunagu.Candidate{Name: "Omar B.", Headline: "Welder", Visibility: tsunagu.VisibilityCoordinators}
	if err := db.SaveCandidate(ctx, other); err != nil {
		t.Fatal(err)
	}
	r = c.PostForm(cohortPath+"/enrol", cohortPath, url.Values{"candidate_id": {fmt.Sprint(other.ID)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("enrol second: %d", r.Status)
	}
	page := c.Get(cohortPath)
	if !strings.Contains(page.Body, "キャンセル待ち #1") {
		t.Fatalf("cohort page lacks the waiting list:\n%s", page.Body)
	}

	var enrolmentID, sessionID int64
	db.GetContext(ctx, &enrolmentID, `SELECT id FROM training_enrolments WHERE cohort_id = $1 AND candidate_id = $2`, cohortID, cand.ID)
	db.GetContext(ctx, &sessionID, `SELECT id FROM training_sessions WHERE cohort_id = $1 ORDER BY starts_at LIMIT 1`, cohortID)
	r = c.PostForm(fmt.Sprintf("%s/sessions/%d/attendance", cohortPath, sessionID), cohortPath, url.Values{"present": {fmt.Sprint(enrolmentID)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("attendance: %d %s", r.Status, r.Body)
	}
	r = c.PostForm(fmt.Sprintf("/coordinator/training/enrolments/%d/complete", enrolmentID), cohortPath, nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("complete: %d %s", r.Status, r.Body)
	}
	if page := c.Get(r.Location); !strings.Contains(page.Body, "ケースを「就労準備完了」に進めました") {
		t.Fatalf("no job-ready flash on %s", r.Location)
	}

	got, _ := db.CandidateByID(ctx, cand.ID)
	verified := false
	for _, s := range got.Skills {
		verified = verified || (s.ESCOURI == skill && s.Verified == "Business Japanese")
	}
	if !verified {
		t.Fatalf("profile skills = %+v, want %s verified", got.Skills, skill)
	}
	var stage string
	db.GetContext(ctx, &stage, `SELECT stage FROM cases WHERE id = $1`, caseID)
	if stage != string(tsunagu.StageJobReady) {
		t.Fatalf("case stage = %s, want job_ready", stage)
	}

	t.Run("CandidateCatalogue", func(t *testing.T) {
		cc := env.ClientFor(t)
		cc.SignInDemo("candidate")
		p := cc.Get("/training")
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "ビジネス日本語") {
			t.Fatalf("catalogue %d", p.Status)
		}
		if r := cc.Get("/coordinator/training"); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
			t.Fatalf("candidate on the coordinator page: %d", r.Status)
		}
	})

	t.Run("Outcomes", func(t *testing.T) {
		p := c.Get("/coordinator/outcomes/csv/training_programmes")
		if p.Status != http.StatusOK || !strings.Contains(p.Body, ",ビジネス日本語,1,1,1,1.000") {
			t.Fatalf("csv %d:\n%s", p.Status, p.Body)
		}
	})
}
