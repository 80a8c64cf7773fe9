package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/e2e"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/web"
)

// TestBrowserRecordedConsent (issue 12): in Japanese and in English, on a
// phone, a coordinator enters a candidate without an account by the form,
// opens their case, suggests them for a role, and records the consent
// they gave by phone; the company then follows the name in its pipeline
// to the full profile with contact details, and the view is audited.
// (Inviting the person and their claiming the profile are another part.)
func TestBrowserRecordedConsent(t *testing.T) {
	b := e2e.NewBrowser(t)
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	cat, err := i18n.Load(web.Locales)
	if err != nil {
		t.Fatal(err)
	}
	// The demo company account is a member of a verified company with an
	// open role.
	company, err := db.UserByEmail(ctx, seed.DemoUsers[1].Email)
	if err != nil {
		t.Fatal(err)
	}
	var co, role int64
	if err := db.GetContext(ctx, &co, `INSERT INTO companies (name) VALUES ('Sakura Logistics E2E') RETURNING id`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO company_members (company_id, user_id) VALUES ($1, $2)`, co, company.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.GetContext(ctx, &role, `INSERT INTO roles (company_id, title, description, workplace, employment_type, salary_min, salary_max, prefecture, status)
		VALUES ($1, 'Accounting staff', 'Bookkeeping for our Tokyo office.', 'onsite', 'full_time', 3000000, 4200000, 'Tokyo', 'open') RETURNING id`, co); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ lang, name, email, phone string }{
		{"ja", "Hamid Rahimi", "hamid.e2e@example.org", "090-1111-2222"},
		{"en", "Mariam Haddad", "mariam.e2e@example.org", "080-3333-4444"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			T := func(id string, data ...any) string { return cat.Printer(tc.lang).T(id, data...) }
			coord := b.NewTab(t)
			coord.Do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
			coord.SignIn(env.URL, seed.DemoUsers[2].Email, seed.DemoPassword)
			coord.SetLanguage(tc.lang)

			// A candidate without an account, entered by the form.
			coord.Navigate(env.URL + "/coordinator/candidates/new")
			coord.Do(
				chromedp.SetValue(chromedp.CSS(`#f-name`), tc.name),
				chromedp.SetValue(chromedp.CSS(`#f-email`), tc.email),
				chromedp.SetValue(chromedp.CSS(`#f-phone`), tc.phone),
				chromedp.SetValue(chromedp.CSS(`#f-headline`), "Accountant"),
			)
			coord.Submit(`form[action="/coordinator/candidates"] button[type=submit]`)
			var cand int64
			if err := db.GetContext(ctx, &cand, `SELECT id FROM candidates WHERE name = $1 AND user_id IS NULL`, tc.name); err != nil {
				t.Fatalf("candidate not entered: %v", err)
			}

			// Open the case, suggest the role.
			coord.Navigate(env.URL + "/coordinator/cases/new")
			coord.Do(chromedp.SetValue(chromedp.CSS(`#f-candidate_id`), fmt.Sprint(cand)))
			coord.Submit(`form[action="/coordinator/cases"] button[type=submit]`)
			casePath := coord.Path()
			if !strings.HasPrefix(casePath, "/coordinator/cases/") {
				t.Fatalf("after opening the case at %s", casePath)
			}
			coord.Do(chromedp.SetValue(chromedp.CSS(`#f-role`), fmt.Sprint(role)))
			coord.Submit(`form[action$="/introductions"] button[type=submit]`)

			// Record the consent given by phone.
			coord.Submit(`a.record-consent`)
			if got := coord.Text("main h1"); got != T("cases.record.title") {
				t.Fatalf("record form heading %q, want %q", got, T("cases.record.title"))
			}
			coord.Do(
				chromedp.Click(chromedp.CSS(`input[name=answer][value=consent]`), chromedp.NodeVisible),
				chromedp.SetValue(chromedp.CSS(`#f-method`), "phone"),
				chromedp.SetValue(chromedp.CSS(`#f-words`), "Yes, please introduce me (phone call with the coordinator)."),
			)
			if sw := e2e.Run(coord, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); sw > 375 {
				t.Errorf("record form is %d px wide on a 375 px phone", sw)
			}
			coord.Submit(`form.record-consent-form button[type=submit]`)
			if got := coord.Path(); got != casePath {
				t.Fatalf("after recording at %s, want %s", got, casePath)
			}
			if got, want := coord.Text(".recorded-consent"), T("cases.method.phone"); !strings.Contains(got, want) {
				t.Errorf("case page shows %q, want the method %q", got, want)
			}
			if got, want := coord.Text("ol.timeline"), T("cases.ev.recorded_candidate_consented", map[string]any{"Method": T("cases.method.phone"), "Role": "Accounting staff · Sakura Logistics E2E"}); !strings.Contains(got, want) {
				t.Errorf("timeline lacks %q:\n%s", want, got)
			}

			// The company opens the full profile from its pipeline.
			comp := b.NewTab(t)
			comp.Do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
			comp.SignIn(env.URL, company.Email, seed.DemoPassword)
			comp.SetLanguage(tc.lang)
			comp.Navigate(env.URL + "/company/pipeline")
			if got := comp.Text("main"); !strings.Contains(got, T("cases.pipeline.recorded")) {
				t.Errorf("pipeline lacks %q", T("cases.pipeline.recorded"))
			}
			comp.Submit(fmt.Sprintf(`a.full-profile[href="/company/candidates/%d/profile"]`, cand))
			if got, want := comp.Path(), fmt.Sprintf("/company/candidates/%d/profile", cand); got != want {
				t.Fatalf("at %s, want %s", got, want)
			}
			page := comp.Text("main")
			for _, want := range []string{tc.name, tc.email, tc.phone} {
				if !strings.Contains(page, want) {
					t.Errorf("full profile lacks %q", want)
				}
			}
			if sw := e2e.Run(comp, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); sw > 375 {
				t.Errorf("profile page is %d px wide on a 375 px phone", sw)
			}
			var views int
			if err := db.GetContext(ctx, &views, `SELECT count(*) FROM audit_log WHERE action = 'candidate.view_full' AND subject_id = $1 AND actor_id = $2`, fmt.Sprint(cand), company.ID); err != nil {
				t.Fatal(err)
			}
			if views != 1 {
				t.Errorf("audited views: %d, want 1", views)
			}
		})
	}
}
