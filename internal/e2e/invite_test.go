package e2e_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/e2e"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestBrowserInviteCandidate: in Japanese and in English, a coordinator
// invites a candidate who has a profile but no account (a link to hand
// over); the candidate follows it, sets a password and sees their profile.
func TestBrowserInviteCandidate(t *testing.T) {
	b := e2e.NewBrowser(t)
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	for _, lang := range []string{"ja", "en"} {
		t.Run(lang, func(t *testing.T) {
			cand := &tsunagu.Candidate{Name: "Invited " + lang, Headline: "Surveyor " + lang, Visibility: tsunagu.VisibilityCoordinators}
			if err := env.App.DB.SaveCandidate(ctx, cand); err != nil {
				t.Fatal(err)
			}
			tab := b.NewTab(t)
			var coordEmail string
			for _, d := range seed.DemoUsers {
				if d.Role == tsunagu.RoleCoordinator {
					coordEmail = d.Email
				}
			}
			tab.SignIn(env.URL, coordEmail, seed.DemoPassword)
			tab.SetLanguage(lang)
			tab.Navigate(env.URL + "/coordinator/candidates/" + strconv.FormatInt(cand.ID, 10) + "/invite")
			tab.Do(chromedp.Click(chromedp.CSS(`input[name="how"][value="link"]`), chromedp.NodeVisible))
			tab.Submit(`form[action$="/invite"] button[type="submit"]`)
			link := e2e.Run(tab, chromedp.Evaluate[string](`document.querySelector("#invite-link").value`))
			if !strings.Contains(link, "/invitations/") {
				t.Fatalf("no invitation link shown: %q", link)
			}
			tab.SignOut()
			tab.Navigate(link)
			if got := tab.Lang(); got != lang {
				t.Fatalf("invitation page in %q, want %q", got, lang)
			}
			pw := "Rain on Fuji 2026!"
			tab.Do(
				chromedp.SetValue(chromedp.CSS("#f-email"), "invited-"+lang+"@example.org"),
				chromedp.SetValue(chromedp.CSS("#f-display_name"), "Invited"),
				chromedp.SetValue(chromedp.CSS("#f-password"), pw),
				chromedp.SetValue(chromedp.CSS("#f-password_confirm"), pw),
			)
			tab.Submit(`form[action^="/invitations/"] button[type="submit"]`)
			if got := tab.Path(); got != "/me" {
				t.Fatalf("after accepting: at %s, want /me", got)
			}
			tab.Navigate(env.URL + "/me/profile")
			if body := tab.Text("main"); !strings.Contains(body, "Surveyor "+lang) {
				t.Fatalf("the candidate does not see their profile")
			}
		})
	}
}
