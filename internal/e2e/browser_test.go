package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/e2e"
	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/web"
)

// TestBrowser runs the smoke journeys in one headless Chromium against one
// platform with the demo users.
func TestBrowser(t *testing.T) {
	b := e2e.NewBrowser(t) // first: without a browser, fail at once
	env := apptest.New(t, apptest.Options{Seed: true})
	cat, err := i18n.Load(web.Locales)
	if err != nil {
		t.Fatal(err)
	}
	T := func(lang, id string) string { return cat.Printer(lang).T(id) }

	// Each demo role signs in through the form, lands on its home page,
	// switches the language both ways with the footer switch, and signs out.
	for _, d := range seed.DemoUsers[:4] {
		role := string(d.Role)
		t.Run("journey/"+role, func(t *testing.T) {
			tab := b.NewTab(t)
			home := thttp.HomePath(d.Role)
			titleID := "home." + role + ".title"

			tab.SignIn(env.URL, d.Email, seed.DemoPassword)
			if got := tab.Path(); got != home {
				t.Fatalf("after sign-in at %s, want %s", got, home)
			}
			// The demo users' language is Japanese.
			checkPage(t, tab, "ja", T("ja", titleID))

			tab.SetLanguage("en")
			if got := tab.Path(); got != home {
				t.Fatalf("after the language switch at %s, want %s", got, home)
			}
			checkPage(t, tab, "en", T("en", titleID))
			if got := tab.Text(`label[for="lang-select"]`); got != T("en", "nav.language") {
				t.Errorf("footer label %q, want %q", got, T("en", "nav.language"))
			}

			// Remembered on the account: a fresh load stays English.
			tab.Navigate(env.URL + home)
			checkPage(t, tab, "en", T("en", titleID))

			tab.SetLanguage("ja")
			checkPage(t, tab, "ja", T("ja", titleID))

			tab.SignOut()
			if got := tab.Path(); got != "/" {
				t.Errorf("after sign-out at %s, want /", got)
			}
			if got, want := tab.Text(".flash"), T("ja", "flash.signed_out"); got != want {
				t.Errorf("sign-out flash %q, want %q", got, want)
			}
			// The home page now asks to sign in again.
			tab.Navigate(env.URL + home)
			if got := tab.Path(); !strings.HasPrefix(got, "/signin") {
				t.Errorf("home after sign-out at %s, want the sign-in page", got)
			}
		})
	}

	// A visitor switches the sign-in page between the two languages.
	t.Run("visitor-language", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Navigate(env.URL + "/signin")
		for _, lang := range []string{"ja", "en", "ja"} {
			tab.SetLanguage(lang)
			if got := tab.Path(); got != "/signin" {
				t.Fatalf("after switching to %s at %s, want /signin", lang, got)
			}
			checkPage(t, tab, lang, T(lang, "auth.signin.title"))
		}
	})

	// A 375 px phone shows the sign-in page without sideways scrolling.
	t.Run("phone-signin", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Do(
			chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile),
			chromedp.Navigate(env.URL+"/signin"),
		)
		vw := e2e.Run(tab, chromedp.Evaluate[int](`window.innerWidth`))
		sw := e2e.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if vw != 375 {
			t.Errorf("viewport %d px wide, want 375", vw)
		}
		if sw > 375 {
			t.Errorf("sign-in page is %d px wide on a 375 px phone: it scrolls sideways", sw)
		}
		// The form is usable: the fields fit the screen.
		right := e2e.Run(tab, chromedp.Evaluate[float64](`Math.max(...[...document.querySelectorAll("input, button")].map(e => e.getBoundingClientRect().right))`))
		if right > 375 {
			t.Errorf("a form control ends at %.0f px, past the 375 px screen", right)
		}
	})
}

// checkPage checks the page's language and its main heading.
func checkPage(t *testing.T, tab *e2e.Tab, lang, heading string) {
	t.Helper()
	if got := tab.Lang(); got != lang {
		t.Errorf("<html lang=%q>, want %q", got, lang)
	}
	if got := tab.Text("main h1"); got != heading {
		t.Errorf("heading %q, want %q (%s)", got, heading, lang)
	}
}
