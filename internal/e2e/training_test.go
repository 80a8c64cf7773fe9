package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/e2e"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
	"github.com/tsunagu-org/tsunagu/web"
)

// TestBrowserTrainingOnPhone: on a 375 px phone, in Japanese, the demo
// coordinator lowers a programme's capacity below a running cohort's
// places (the page explains and asks; ticking the box saves it), and the
// outcomes page with the training tables fits the screen; the demo
// candidate opens /training#programme-N and lands on that programme.
func TestBrowserTrainingOnPhone(t *testing.T) {
	b := e2e.NewBrowser(t)
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	cat, err := i18n.Load(web.Locales)
	if err != nil {
		t.Fatal(err)
	}
	ja := cat.Printer("ja")
	tax, err := taxonomy.Load()
	if err != nil {
		t.Fatal(err)
	}

	var progID int64
	if err := db.GetContext(ctx, &progID, `INSERT INTO training_programmes (title_ja, title_en, kind, format, capacity, description_ja)
		VALUES ('ビジネス日本語', 'Business Japanese', 'soft', 'online', 5, '職場で使う日本語を学びます。') RETURNING id`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO training_programme_skills (programme_id, position, esco_uri, label)
		VALUES ($1, 1, $2, 'Japanese')`, progID, tax.Skills()[0].URI); err != nil {
		t.Fatal(err)
	}
	var cohortID int64
	if err := db.GetContext(ctx, &cohortID, `INSERT INTO training_cohorts (programme_id, name, starts_on, ends_on, online_url, capacity)
		VALUES ($1, '春のクラス', current_date + 7, current_date + 40, 'https://example.org/meet', 5) RETURNING id`, progID); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Amina K.", "Omar B."} {
		c := &tsunagu.Candidate{Name: name, Headline: "Clerk", Visibility: tsunagu.VisibilityCoordinators}
		if err := db.SaveCandidate(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO training_enrolments (cohort_id, candidate_id, status, seated_at) VALUES ($1, $2, 'enrolled', now())`, cohortID, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	fits := func(tab *e2e.Tab, what string) {
		t.Helper()
		if sw := e2e.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); sw > 375 {
			t.Errorf("%s is %d px wide on a 375 px phone", what, sw)
		}
	}

	tab := b.NewTab(t)
	tab.Do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	tab.SignIn(env.URL, seed.DemoUsers[2].Email, seed.DemoPassword)
	progPath := fmt.Sprintf("/coordinator/training/programmes/%d", progID)
	tab.Navigate(env.URL + progPath + "/edit")
	fits(tab, "the edit form")
	tab.Do(chromedp.SetValue(chromedp.CSS(`#f-capacity`), "1"))
	resp, err := chromedp.RunResponse(tab.Context(), chromedp.Click(chromedp.CSS(`form[action="`+progPath+`"] button[type=submit]`), chromedp.NodeVisible))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("lowering the capacity unconfirmed answered %d", resp.Status)
	}
	msg := tab.Text("#capacity-error")
	if want := ja.T("training.error.capacity_confirm", "Cohort", "春のクラス", "Seated", 2, "Capacity", 1); msg != want {
		t.Errorf("capacity error %q, want %q", msg, want)
	}
	fits(tab, "the edit form with the confirmation")
	tab.Do(chromedp.Click(chromedp.CSS(`input[name=confirm_capacity]`), chromedp.NodeVisible))
	tab.Submit(`form[action="` + progPath + `"] button[type=submit]`)
	if got := tab.Path(); got != progPath {
		t.Fatalf("after confirming at %s, want %s", got, progPath)
	}
	var capacity, seated int
	db.GetContext(ctx, &capacity, `SELECT capacity FROM training_programmes WHERE id = $1`, progID)
	db.GetContext(ctx, &seated, `SELECT count(*) FROM training_enrolments WHERE cohort_id = $1 AND status = 'enrolled'`, cohortID)
	if capacity != 1 || seated != 2 {
		t.Fatalf("capacity %d, seated %d; want 1 and 2", capacity, seated)
	}

	tab.Navigate(env.URL + "/coordinator/outcomes")
	if got := tab.Text("#training h2"); got != ja.T("training.outcomes.title") {
		t.Errorf("training section heading %q", got)
	}
	fits(tab, "the outcomes page")

	cand := b.NewTab(t)
	cand.Do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	cand.SignIn(env.URL, seed.DemoUsers[0].Email, seed.DemoPassword)
	cand.Navigate(fmt.Sprintf("%s/training#programme-%d", env.URL, progID))
	if got := cand.Text(fmt.Sprintf("#programme-%d h3", progID)); !strings.Contains(got, "Japanese") && !strings.Contains(got, "日本語") {
		t.Errorf("anchor's programme heading %q", got)
	}
	top := e2e.Run(cand, chromedp.Evaluate[float64](fmt.Sprintf(`document.getElementById("programme-%d").getBoundingClientRect().top`, progID)))
	if top < -1 || top > 812 {
		t.Errorf("the programme is %v px from the top of the screen after following its link", top)
	}
	fits(cand, "the catalogue")
}
