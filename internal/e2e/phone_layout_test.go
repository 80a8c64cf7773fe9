package e2e_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/e2e"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/seed"
)

// layoutBox is what TestBrowserPhoneLayout measures on a page.
type layoutBox struct {
	ScrollWidth  int      `json:"scrollWidth"`
	ScrollHeight int      `json:"scrollHeight"`
	HeaderHeight float64  `json:"headerHeight"`
	MainTop      float64  `json:"mainTop"`
	Steps        int      `json:"steps"`
	OpenSteps    int      `json:"openSteps"`
	Overlaps     []string `json:"overlaps"`
}

// layoutJS measures the page as it opens, and for each radio or checkbox
// "choice" (a button, its label and a line of help) whether the help
// overlaps the label or the button.
const layoutJS = `(() => {
	const r = e => e.getBoundingClientRect();
	const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
	const overlaps = [];
	for (const c of document.querySelectorAll(".choice")) {
		const i = c.querySelector("input"), l = c.querySelector("label"), h = c.querySelector("small");
		if (!i || !l || !h || r(h).width === 0) continue;
		if (hit(r(h), r(l)) || hit(r(h), r(i))) overlaps.push(l.textContent.trim());
	}
	return {
		scrollWidth: document.documentElement.scrollWidth,
		scrollHeight: document.documentElement.scrollHeight,
		headerHeight: r(document.querySelector("header")).height,
		mainTop: r(document.querySelector("main")).top,
		steps: document.querySelectorAll("details.step").length,
		openSteps: document.querySelectorAll("details.step[open]").length,
		overlaps,
	};
})()`

// TestBrowserPhoneLayout: on a 375 px phone, in a left-to-right and a
// right-to-left language (staff: ja and en), the menu takes at most a sixth of the first
// screen (it once wrapped into 290 px, 40%), the profile form opens as
// short steps (it was one 4,700 px column: now at most two and a half
// screens, with only its first step open), the visibility choices' help never overlaps their labels
// once the step is opened, and the workshop and training tables scroll
// inside themselves instead of widening the page.
func TestBrowserPhoneLayout(t *testing.T) {
	b := e2e.NewBrowser(t)
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	for _, s := range []func(context.Context, *postgres.DB) error{seed.Profiles, seed.Cases, seed.Training} {
		if err := s(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	measure := func(tab *e2e.Tab) layoutBox { return e2e.Run(tab, chromedp.Evaluate[layoutBox](layoutJS)) }

	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			tab := b.NewTab(t)
			tab.Do(chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile))
			tab.SignIn(env.URL, seed.DemoUsers[0].Email, seed.DemoPassword)
			tab.SetLanguage(lang)

			tab.Navigate(env.URL + "/me")
			home := measure(tab)
			if got, limit := home.HeaderHeight, float64(phoneHeight)/6; got > limit {
				t.Errorf("%s /me: the menu is %.0f px tall on a %d px screen, want at most %.0f", lang, got, phoneHeight, limit)
			}
			if home.ScrollWidth > phoneWidth {
				t.Errorf("%s /me: the page is %d px wide (the menu scrolls inside itself)", lang, home.ScrollWidth)
			}

			tab.Navigate(env.URL + "/me/profile/edit")
			form := measure(tab)
			if form.Steps < 8 || form.OpenSteps != 1 {
				t.Errorf("%s profile form: %d steps, %d open; want at least 8 steps, the first open", lang, form.Steps, form.OpenSteps)
			}
			if limit := phoneHeight * 5 / 2; form.ScrollHeight > limit {
				t.Errorf("%s profile form: %d px tall, want at most %d (two and a half screens)", lang, form.ScrollHeight, limit)
			}
			tab.Do(chromedp.Click(chromedp.CSS("#step-visibility > summary"), chromedp.NodeVisible))
			opened := measure(tab)
			if opened.OpenSteps != 2 {
				t.Errorf("%s profile form: %d steps open after opening visibility, want 2", lang, opened.OpenSteps)
			}
			if len(opened.Overlaps) > 0 {
				t.Errorf("%s profile form: the help text overlaps the choices %q", lang, opened.Overlaps)
			}
			if opened.ScrollWidth > phoneWidth {
				t.Errorf("%s profile form: %d px wide on a %d px phone", lang, opened.ScrollWidth, phoneWidth)
			}
		})
	}

	for _, who := range []struct {
		email string
		paths []string
	}{
		{seed.DemoUsers[1].Email, []string{"/workshops", "/roles"}},
		{seed.DemoUsers[2].Email, []string{"/workshops", "/coordinator/training"}},
	} {
		for _, lang := range []string{"ja", "en"} { // staff read ja or en
			t.Run(fmt.Sprintf("%s-%s", who.email, lang), func(t *testing.T) {
				tab := b.NewTab(t)
				tab.Do(chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile))
				tab.SignIn(env.URL, who.email, seed.DemoPassword)
				tab.SetLanguage(lang)
				for _, p := range who.paths {
					tab.Navigate(env.URL + p)
					if got := measure(tab); got.ScrollWidth > phoneWidth {
						t.Errorf("%s %s: the page is %d px wide on a %d px phone", lang, p, got.ScrollWidth, phoneWidth)
					}
				}
			})
		}
	}
}
