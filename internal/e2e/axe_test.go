package e2e_test

import (
	"cmp"
	"context"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/e2e"
	"github.com/tsunagu-org/tsunagu/internal/seed"
)

//go:embed testdata/axe-core/axe.min.js
var axeSource string

// TestBrowserAccessibility runs axe-core (WCAG 2.1 A and AA rules) in
// headless Chromium on the key pages of each role over the demo data, in
// Japanese and English, and Arabic (right to left) for the candidate, and
// fails on any violation. The
// key pages are the role's home and every page its menu links to, and a
// visitor's sign-in, sign-up and about pages.
func TestBrowserAccessibility(t *testing.T) {
	b := e2e.NewBrowser(t)
	env := apptest.New(t, apptest.Options{})
	if err := seed.All(context.Background(), env.App.DB, io.Discard); err != nil {
		t.Fatal(err)
	}
	// The checker finds what it should: an image without a text
	// alternative added to a page is a violation.
	t.Run("checker", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Navigate(env.URL + "/about")
		e2e.Run(tab, chromedp.Evaluate[bool](`document.querySelector("main").insertAdjacentHTML("beforeend", '<img src="/static/none.png">'); true`))
		if v := axeViolations(t, tab); len(v) == 0 || !strings.HasPrefix(v[0], "image-alt:") {
			t.Fatalf("violations %q, want image-alt", v)
		}
	})
	roles := []string{"", "candidate", "company", "coordinator", "admin"}
	pages := 0
	for _, role := range roles {
		// Staff and companies read ja or en; candidates also ar (right to left).
		langs := []string{"ja", "en"}
		if role == "candidate" {
			langs = []string{"ja", "ar"}
		}
		for _, lang := range langs {
			t.Run(fmt.Sprintf("%s/%s", cmp.Or(role, "visitor"), lang), func(t *testing.T) {
				tab := b.NewTab(t)
				paths := []string{"/signin", "/signup", "/about"}
				if role != "" {
					for _, d := range seed.DemoUsers {
						if string(d.Role) == role {
							tab.SignIn(env.URL, d.Email, seed.DemoPassword)
							break
						}
					}
					paths = []string{tab.Path()}
				} else {
					tab.Navigate(env.URL + "/signin")
				}
				tab.SetLanguage(lang)
				if role != "" {
					tab.Navigate(env.URL + paths[0])
					paths = append(paths, e2e.Run(tab, chromedp.Evaluate[[]string](`[...new Set([...document.querySelectorAll("header nav a[href^='/']")]
						.map(a => a.getAttribute("href")).filter(h => !h.startsWith("/signout") && !h.startsWith("/lang")))]`))...)
				}
				for _, p := range slices.Compact(paths) {
					tab.Navigate(env.URL + p)
					pages++
					for _, v := range axeViolations(t, tab) {
						t.Errorf("%s (%s): %s", p, lang, v)
					}
				}
			})
		}
	}
	t.Logf("axe-core checked %d pages", pages)
}

// axeViolations runs axe-core on the tab's page and returns each violation
// as "rule: help (targets)".
func axeViolations(t *testing.T, tab *e2e.Tab) []string {
	t.Helper()
	if !e2e.Run(tab, chromedp.Evaluate[bool](`typeof axe !== "undefined"`)) {
		e2e.Run(tab, chromedp.Evaluate[bool](axeSource+";true"))
	}
	const run = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
		.then(r => r.violations.map(v => v.id + ": " + v.help + " (" + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ") + ")"))`
	return e2e.Run(tab, chromedp.Evaluate[[]string](run, chromedp.EvalAwaitPromise))
}
