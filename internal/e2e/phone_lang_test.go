package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/e2e"
	"github.com/tsunagu-org/tsunagu/internal/seed"
)

// phoneWidth and phoneHeight are the viewport of a small phone (iPhone
// 12 mini / SE class).
const (
	phoneWidth  = 375
	phoneHeight = 812
)

// pageBox is what TestBrowserPhoneLanguages measures on a page.
type pageBox struct {
	Dir         string  `json:"dir"`
	ScrollWidth int     `json:"scrollWidth"`
	ScrollX     float64 `json:"scrollX"`
	MainLeft    float64 `json:"mainLeft"`
	MainRight   float64 `json:"mainRight"`
	MainTop     float64 `json:"mainTop"`
	MainWidth   float64 `json:"mainWidth"`
	H1Left      float64 `json:"h1Left"`
	H1Right     float64 `json:"h1Right"`
	H1Width     float64 `json:"h1Width"`
}

// measureJS reads the page's direction, its scrollable width, and the
// bounding boxes of <main> and its first heading, in viewport coordinates
// as the page first opens (no scrolling).
const measureJS = `(() => {
	const r = e => e ? e.getBoundingClientRect() : {left: 0, right: 0, top: 0, width: 0};
	const m = r(document.querySelector("main"));
	const h = r(document.querySelector("main h1"));
	return {
		dir: document.documentElement.dir,
		scrollWidth: document.documentElement.scrollWidth,
		scrollX: window.scrollX,
		mainLeft: m.left, mainRight: m.right, mainTop: m.top, mainWidth: m.width,
		h1Left: h.left, h1Right: h.right, h1Width: h.width,
	};
})()`

// TestBrowserPhoneLanguages: on a 375 px phone, in each of the six
// interface languages, the sign-in page and the demo candidate's pages
// (home, profile, profile form, roles for you, introductions, the consent
// page, own case, training) open with the main content and its heading on
// the screen and nothing to scroll sideways. Right-to-left pages (ar, fa)
// once opened blank: the skip link, pushed off-screen with left:-999px,
// widened the page to the left, and the content sat outside the screen.
//
// With E2E_ARTIFACTS_DIR set, a screenshot of each page is saved there
// (lang-page.png) to look at.
func TestBrowserPhoneLanguages(t *testing.T) {
	b := e2e.NewBrowser(t)
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	if err := seed.Profiles(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := seed.Cases(ctx, db); err != nil {
		t.Fatal(err)
	}
	seq, err := db.LastChangeSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := env.App.Search().WaitApplied(wctx, seq); err != nil {
		t.Fatal(err)
	}
	var introID int64
	if err := db.GetContext(ctx, &introID, `SELECT i.id FROM introductions i
		JOIN candidates c ON c.id = i.candidate_id JOIN users u ON u.id = c.user_id
		WHERE u.email = $1 ORDER BY i.id LIMIT 1`, seed.DemoUsers[0].Email); err != nil {
		t.Fatalf("the demo candidate's introduction: %v", err)
	}
	shots := os.Getenv(e2e.EnvArtifacts)

	pages := []struct{ name, path string }{
		{"home", "/me"},
		{"profile", "/me/profile"},
		{"profile-edit", "/me/profile/edit"},
		{"roles", "/me/roles"},
		{"introductions", "/me/introductions"},
		{"consent", fmt.Sprintf("/me/introductions/%d", introID)},
		{"case", "/me/case"},
		{"training", "/training"},
	}
	wantDir := map[string]string{"ja": "ltr", "en": "ltr", "fr": "ltr", "ar": "rtl", "fa": "rtl", "uk": "ltr"}

	check := func(t *testing.T, tab *e2e.Tab, lang, name string) {
		t.Helper()
		got := e2e.Run(tab, chromedp.Evaluate[pageBox](measureJS))
		where := fmt.Sprintf("%s %s (%s)", lang, name, tab.Path())
		if got.Dir != wantDir[lang] {
			t.Errorf("%s: <html dir=%q>, want %q", where, got.Dir, wantDir[lang])
		}
		if got.ScrollWidth > phoneWidth {
			t.Errorf("%s: the page is %d px wide on a %d px phone: it scrolls sideways", where, got.ScrollWidth, phoneWidth)
		}
		if got.ScrollX != 0 {
			t.Errorf("%s: the page opens scrolled %.0f px sideways", where, got.ScrollX)
		}
		// The main content is on the screen: it starts and ends inside the
		// viewport (1 px of rounding), is not squeezed to nothing, and
		// starts within the first screen.
		if got.MainLeft < -1 || got.MainRight > phoneWidth+1 || got.MainWidth < phoneWidth/2 {
			t.Errorf("%s: <main> spans x %.0f..%.0f, want inside 0..%d", where, got.MainLeft, got.MainRight, phoneWidth)
		}
		if got.MainTop < 0 || got.MainTop > phoneHeight {
			t.Errorf("%s: <main> starts at y %.0f, want on the first %d px screen", where, got.MainTop, phoneHeight)
		}
		if got.H1Width == 0 {
			t.Errorf("%s: no heading in <main>", where)
		} else if got.H1Left < -1 || got.H1Right > phoneWidth+1 {
			t.Errorf("%s: the heading spans x %.0f..%.0f, outside the %d px screen", where, got.H1Left, got.H1Right, phoneWidth)
		}
		if shots != "" {
			if err := os.MkdirAll(shots, 0o755); err != nil {
				t.Fatal(err)
			}
			png := e2e.Run(tab, chromedp.CaptureScreenshot())
			if err := os.WriteFile(filepath.Join(shots, lang+"-"+name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	for _, lang := range []string{"ja", "en", "fr", "ar", "fa", "uk"} {
		t.Run(lang, func(t *testing.T) {
			// The demo candidate's language is on the account, so the
			// languages take turns, each in its own tab.
			tab := b.NewTab(t)
			tab.Do(chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile))
			tab.Navigate(env.URL + "/signin")
			tab.SetLanguage(lang)
			check(t, tab, lang, "signin")
			tab.SignIn(env.URL, seed.DemoUsers[0].Email, seed.DemoPassword)
			tab.SetLanguage(lang)
			for _, p := range pages {
				tab.Navigate(env.URL + p.path)
				if got := tab.Lang(); got != lang {
					t.Errorf("%s: <html lang=%q>, want %q", p.path, got, lang)
				}
				check(t, tab, lang, p.name)
			}
		})
	}
}
