package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/e2e"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestBrowserPendingCompany: in Japanese and in English, on a 375 px
// phone, a company that signs up by itself is told it is being checked;
// its card list, its matches' API and the card API answer 403 and the
// page says why instead of listing cards; after a coordinator verifies it
// in their browser, the same company lists the cards. Screenshots go to
// $TSUNAGU_SHOTS when set.
func TestBrowserPendingCompany(t *testing.T) {
	b := e2e.NewBrowser(t)
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	cand := &tsunagu.Candidate{Name: "Amina K.", Headline: "Bookkeeper", Visibility: tsunagu.VisibilityCompanies}
	if err := env.App.DB.SaveCandidate(ctx, cand); err != nil {
		t.Fatal(err)
	}
	var coordEmail string
	for _, d := range seed.DemoUsers {
		if d.Role == tsunagu.RoleCoordinator {
			coordEmail = d.Email
		}
	}
	pendingTitle := map[string]string{"ja": "貴社を確認しています", "en": "Your company is being checked"}
	pendingWhy := map[string]string{"ja": "確認中です", "en": "still being checked"}
	shots := os.Getenv("TSUNAGU_SHOTS")
	shot := func(t *testing.T, tab *e2e.Tab, name string) {
		t.Helper()
		if w := e2e.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 375 {
			t.Errorf("%s: the page is %d px wide on a 375 px phone", name, w)
		}
		if shots == "" {
			return
		}
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), e2e.Run(tab, chromedp.CaptureScreenshot()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	status := func(tab *e2e.Tab, path string) int {
		js := fmt.Sprintf(`fetch(%q, {credentials: "same-origin", redirect: "manual"}).then(r => r.status)`, path)
		return e2e.Run(tab, chromedp.Evaluate[int](js, chromedp.EvalAwaitPromise))
	}
	for _, lang := range []string{"ja", "en"} {
		t.Run(lang, func(t *testing.T) {
			name := "Pending Trading " + lang
			email := "pending-" + lang + "@newco.example"
			tab := b.NewTab(t)
			tab.Do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
			tab.Navigate(env.URL + "/signup")
			tab.SetLanguage(lang)
			tab.Navigate(env.URL + "/signup")
			pw := "Rain on Fuji 2026!"
			tab.Do(
				chromedp.Click(chromedp.CSS(`input[name="role"][value="company"]`), chromedp.NodeVisible),
				chromedp.SetValue(chromedp.CSS("#f-display_name"), "Kenji"),
				chromedp.SetValue(chromedp.CSS("#f-email"), email),
				chromedp.SetValue(chromedp.CSS("#f-company_name"), name),
				chromedp.SetValue(chromedp.CSS("#f-password"), pw),
				chromedp.SetValue(chromedp.CSS("#f-password_confirm"), pw),
			)
			tab.Submit(`form[action="/signup"] button[type="submit"]`)
			tab.Navigate(env.URL + "/company")
			if body := tab.Text("main"); !strings.Contains(body, pendingTitle[lang]) || !strings.Contains(body, name) {
				t.Fatalf("the company home does not say it is being checked: %q", body)
			}
			shot(t, tab, lang+"-pending-home")

			tab.Navigate(env.URL + "/company/candidates")
			if body := tab.Text("main"); !strings.Contains(body, pendingWhy[lang]) {
				t.Errorf("the card list of a pending company says not why: %q", body)
			}
			if n := e2e.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll('main a[href^="/company/candidates/"]').length`)); n != 0 {
				t.Errorf("a pending company sees %d card links", n)
			}
			shot(t, tab, lang+"-pending-cards")
			for _, p := range []string{"/company/candidates", "/api/v1/candidate-cards"} {
				if got := status(tab, p); got != 403 {
					t.Errorf("%s before verification: status %d, want 403", p, got)
				}
			}
			// One card answers as if there were none (404), as for any
			// card a company may not see.
			if got := status(tab, "/api/v1/candidates/"+strconv.FormatInt(cand.ID, 10)+"/card"); got != 403 && got != 404 {
				t.Errorf("one card before verification: status %d, want 403 or 404", got)
			}

			co, err := env.App.DB.CompanyByName(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			staff := b.NewTab(t)
			staff.SignIn(env.URL, coordEmail, seed.DemoPassword)
			staff.SetLanguage(lang)
			staff.Navigate(env.URL + "/companies/" + strconv.FormatInt(co.ID, 10))
			staff.Do(chromedp.SetValue(chromedp.CSS("#f-verification-note"), "Registry entry checked; called the office"))
			staff.Submit(`form[action$="/verify"] button[type="submit"]`)

			tab.Navigate(env.URL + "/company/candidates")
			if body := tab.Text("main"); strings.Contains(body, pendingWhy[lang]) {
				t.Errorf("after verification the card list: %q", body)
			}
			if n := e2e.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll('main a[href^="/company/candidates/"]').length`)); n == 0 {
				t.Errorf("after verification no card is listed")
			}
			if got := status(tab, "/api/v1/candidate-cards"); got != 200 {
				t.Errorf("cards after verification: status %d, want 200", got)
			}
			shot(t, tab, lang+"-verified-cards")
		})
	}
}
