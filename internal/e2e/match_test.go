package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/e2e"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/matching"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
	"github.com/tsunagu-org/tsunagu/web"
)

// TestBrowserMatches: over the demo data, the demo company signs in, opens
// one of its roles, follows "matched talent", and sees an anonymised card
// with the reasons, on a phone, in Japanese, then narrows it with the
// filter form.
func TestBrowserMatches(t *testing.T) {
	b := e2e.NewBrowser(t)
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	if err := seed.Profiles(ctx, env.App.DB); err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load(web.Locales)
	if err != nil {
		t.Fatal(err)
	}
	T := func(id string) string { return cat.Printer("ja").T(id) }

	// Wait for the index, then pick a role of the demo company with matches.
	seq, err := env.App.DB.LastChangeSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := env.App.Search().WaitApplied(wctx, seq); err != nil {
		t.Fatal(err)
	}
	company, err := env.App.DB.UserByEmail(ctx, seed.DemoUsers[1].Email)
	if err != nil {
		t.Fatal(err)
	}
	var roles []int64
	if err := env.App.DB.SelectContext(ctx, &roles, `SELECT r.id FROM roles r JOIN company_members m ON m.company_id = r.company_id
		WHERE m.user_id = $1 AND r.status = 'open' ORDER BY r.id`, company.ID); err != nil {
		t.Fatal(err)
	}
	role := int64(0)
	for _, id := range roles {
		rm, err := env.App.Matching.CandidatesForRole(tsunagu.NewContextWithUser(ctx, company), id, matching.MatchQuery{IncludeNear: true}, "ja")
		if err != nil {
			t.Fatal(err)
		}
		if len(rm.Cards) > 0 && len(rm.Cards[0].Matched) > 0 {
			role = id
			break
		}
	}
	if role == 0 {
		t.Fatalf("no role of the demo company has a match with matched skills (%d roles)", len(roles))
	}

	tab := b.NewTab(t)
	tab.Do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	tab.SignIn(env.URL, company.Email, seed.DemoPassword)
	tab.Navigate(fmt.Sprintf("%s/roles/%d", env.URL, role))
	tab.Submit(fmt.Sprintf(`a[href="/roles/%d/matches"]`, role))
	if got, want := tab.Path(), fmt.Sprintf("/roles/%d/matches", role); got != want {
		t.Fatalf("at %s, want %s", got, want)
	}
	if got := tab.Text("main h1"); !strings.HasPrefix(got, cat.Printer("ja").T("match.role.title", "Role", "")) {
		t.Errorf("heading %q", got)
	}
	card := tab.Text("article.match-card")
	for _, want := range []string{T("match.reasons.matched"), T("match.breakdown"), T("match.request")} {
		if !strings.Contains(card, want) {
			t.Errorf("first card lacks %q:\n%s", want, card)
		}
	}
	if strings.Contains(card, "@") {
		t.Errorf("card shows an e-mail address:\n%s", card)
	}
	sw := e2e.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if sw > 375 {
		t.Errorf("matches page is %d px wide on a 375 px phone", sw)
	}

	// Only candidates meeting every requirement (htmx swaps the list in place).
	tab.Do(
		chromedp.Click(chromedp.CSS(`details > summary`), chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(`input[type=checkbox][name=near]`), chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`), chromedp.NodeVisible),
		chromedp.Sleep(500*time.Millisecond),
		chromedp.WaitVisible(chromedp.CSS(`#matches`), chromedp.NodeVisible),
	)
	if got := tab.Path(); !strings.Contains(got, "near=") {
		t.Errorf("after filtering at %s, want the filters in the URL", got)
	}
	if strings.Contains(tab.Text("#matches"), T("match.unmet.japanese_level")) {
		t.Errorf("near matches still shown after switching them off")
	}
}
