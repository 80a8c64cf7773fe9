package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/e2e"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/web"
)

// phoneView is what TestBrowserLanguagesPhone reads from a page: where
// <main> is, whether anything is clipped sideways, and the text a reader
// sees, one entry per element with text of its own.
type phoneView struct {
	Lang         string   `json:"lang"`
	Dir          string   `json:"dir"`
	ViewWidth    float64  `json:"viewWidth"`
	ScrollWidth  int      `json:"scrollWidth"`
	ClientWidth  int      `json:"clientWidth"`
	MainLeft     float64  `json:"mainLeft"`
	MainRight    float64  `json:"mainRight"`
	MainTop      float64  `json:"mainTop"`
	MainWidth    float64  `json:"mainWidth"`
	MainHeight   float64  `json:"mainHeight"`
	MainVisible  bool     `json:"mainVisible"`
	Clipped      []string `json:"clipped"`
	Texts        []string `json:"texts"`
	OtherLangRun []string `json:"otherLang"`
}

// phoneViewJS measures the page as it opens (no scrolling).
//
// Clipped lists each piece of visible text that does not fit: a text whose
// line boxes reach past the screen's edges, or past the box of an ancestor
// that hides its overflow (overflow hidden or clip, text-overflow ellipsis
// included). Text inside a box that scrolls sideways by design (overflow
// auto or scroll: the menu, wide tables) can be reached and is not clipped;
// text hidden for screen readers only (a 1 px clipped box: the skip link,
// .visually-hidden) is not on the screen at all.
//
// Texts are the rendered text of every element that has a text node of its
// own, and the placeholders, button values and <option> labels of form
// controls, in document order. Elements marked with a lang other than the
// page's (the language switch names each language in itself) are set apart
// in OtherLangRun.
//
// The screen's width is given (%d): a phone shows a page that is too wide
// zoomed out, and then window.innerWidth grows with the page.
const phoneViewJS = `(() => {
	const html = document.documentElement, lang = html.lang, vw = %d;
	const main = document.querySelector("main");
	const mr = main ? main.getBoundingClientRect() : {left: 0, right: 0, top: 0, width: 0, height: 0};
	const srOnly = el => {
		for (let e = el; e && e !== document.body; e = e.parentElement) {
			const r = e.getBoundingClientRect(), s = getComputedStyle(e);
			if (r.width <= 1 && r.height <= 1 && (s.overflow === "hidden" || s.clipPath !== "none")) return true;
		}
		return false;
	};
	const clipBox = el => { // the nearest ancestor that clips sideways: [box, scrolls]
		for (let e = el; e && e !== html; e = e.parentElement) {
			const ox = getComputedStyle(e).overflowX;
			if (ox === "auto" || ox === "scroll") return [e.getBoundingClientRect(), true];
			if (ox === "hidden" || ox === "clip") return [e.getBoundingClientRect(), false];
		}
		return [{left: 0, right: vw}, false];
	};
	const otherLang = el => { const l = el.closest("[lang]"); return l && l !== html && l.lang !== lang; };
	const clipped = [], texts = [], other = [], seen = new Set();
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const el = n.parentElement, t = n.textContent.trim();
		if (!t || !el || el.closest("script, style, template, noscript")) continue;
		if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
		if (!seen.has(el)) {
			seen.add(el);
			const s = (el.innerText || el.textContent).replace(/\s+/g, " ").trim();
			if (s) (otherLang(el) ? other : texts).push(s);
		}
		if (srOnly(el)) continue;
		const range = document.createRange();
		range.selectNodeContents(n);
		const [box, scrolls] = clipBox(el);
		if (scrolls) continue;
		for (const r of range.getClientRects()) {
			if (r.width === 0) continue;
			if (r.left < box.left - 1 || r.right > box.right + 1 || r.left < -1 || r.right > vw + 1) {
				clipped.push(t.slice(0, 60) + " [x " + Math.round(r.left) + ".." + Math.round(r.right) + " in " + Math.round(box.left) + ".." + Math.round(box.right) + "]");
				break;
			}
		}
		const st = getComputedStyle(el);
		if (st.textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth + 1) {
			clipped.push(t.slice(0, 60) + " [ellipsis: " + el.scrollWidth + " px in " + el.clientWidth + "]");
		}
	}
	for (const el of document.querySelectorAll("input[placeholder], textarea[placeholder], input[type=submit], input[type=button], option")) {
		if (el.tagName !== "OPTION" && !el.checkVisibility()) continue;
		if (el.tagName === "OPTION" && !(el.closest("select") || el).checkVisibility()) continue;
		const s = (el.tagName === "OPTION" ? el.textContent : el.placeholder || el.value).replace(/\s+/g, " ").trim();
		if (s) (otherLang(el) ? other : texts).push(s);
	}
	return {
		lang, dir: html.dir, viewWidth: vw,
		scrollWidth: html.scrollWidth, clientWidth: html.clientWidth,
		mainLeft: mr.left, mainRight: mr.right, mainTop: mr.top, mainWidth: mr.width, mainHeight: mr.height,
		mainVisible: !!main && main.checkVisibility({visibilityProperty: true, opacityProperty: true}),
		clipped, texts, otherLang: other,
	};
})()`

// catalogueValue is one message of a catalogue as the pattern of the text
// it prints: its literal parts with anything between them where the message
// has a placeholder.
type catalogueValue struct {
	lang, id, text string
	re             *regexp.Regexp
	wordish        bool // written in a script with spaces between words: match whole words only
	oneWord        bool // one word of such a script: matches a whole text only
}

// foreignCatalogue holds, for each interface language, the messages of the
// five others that could betray a page: every form of every message, less
// those that the language's own catalogue has too (a name such as
// "Tsunagu", a code such as "N1", an English word French shares), less
// those that the language's translation of the same message quotes (the
// official English name of a residence status, in brackets after its
// translation), and less the very short ones (under four letters, or two
// characters of a script without spaces).
type foreignCatalogue struct {
	values map[string][]catalogueValue // page language → messages of the others
	typed  []string                    // text typed by people: not checked
}

var placeholderRE = regexp.MustCompile(`\{\{[^}]*\}\}`)

func loadForeignCatalogue(tb testing.TB) foreignCatalogue {
	tb.Helper()
	files, err := fs.Glob(web.Locales, "locales/*.json")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no catalogues: %v", err)
	}
	texts := map[string][][2]string{} // lang → (id, text)
	own := map[string]map[string]bool{}
	byID := map[string]map[string][]string{} // lang → id → its texts
	for _, f := range files {
		parts := strings.Split(path.Base(f), ".") // area.lang.json
		lang := parts[len(parts)-2]
		data, err := fs.ReadFile(web.Locales, f)
		if err != nil {
			tb.Fatal(err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		if own[lang] == nil {
			own[lang] = map[string]bool{}
			byID[lang] = map[string][]string{}
		}
		for id, v := range raw {
			var forms []string
			var s string
			if json.Unmarshal(v, &s) == nil {
				forms = []string{s}
			} else {
				var m map[string]string
				if err := json.Unmarshal(v, &m); err != nil {
					tb.Fatalf("%s %s: %v", f, id, err)
				}
				for k, s := range m {
					if k != "description" && k != "id" && k != "hash" {
						forms = append(forms, s)
					}
				}
			}
			for _, s := range forms {
				s = normText(s)
				texts[lang] = append(texts[lang], [2]string{id, s})
				own[lang][s] = true
				byID[lang][id] = append(byID[lang][id], s)
			}
		}
	}
	out := foreignCatalogue{values: map[string][]catalogueValue{}}
	for _, lang := range i18n.Candidate {
		for _, other := range i18n.Candidate {
			if other == lang {
				continue
			}
			for _, it := range texts[other] {
				id, s := it[0], it[1]
				if own[lang][s] || tooShort(s) || slices.ContainsFunc(byID[lang][id], func(t string) bool { return strings.Contains(t, s) }) {
					continue
				}
				out.values[lang] = append(out.values[lang], newCatalogueValue(other, id, s))
			}
		}
	}
	return out
}

// normText folds white space and drops the directional marks and isolates
// that right-to-left pages put around names and numbers.
func normText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e':
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// spaceless reports whether r belongs to a script written without spaces
// between words (Japanese).
func spaceless(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

func tooShort(s string) bool {
	lit := placeholderRE.ReplaceAllString(s, "")
	letters, cjk := 0, 0
	for _, r := range lit {
		switch {
		case spaceless(r):
			cjk++
		case unicode.IsLetter(r):
			letters++
		}
	}
	return cjk < 2 && letters < 4
}

func newCatalogueValue(lang, id, s string) catalogueValue {
	var b strings.Builder
	lits := placeholderRE.Split(s, -1)
	for i, lit := range lits {
		if i > 0 {
			b.WriteString(`.+?`)
		}
		for j, w := range strings.Fields(lit) {
			if j > 0 || (i > 0 && strings.HasPrefix(lit, " ")) {
				b.WriteString(`\s+`)
			}
			b.WriteString(regexp.QuoteMeta(w))
		}
		if i < len(lits)-1 && strings.HasSuffix(lit, " ") && strings.TrimSpace(lit) != "" {
			b.WriteString(`\s+`)
		}
	}
	wordish := false
	for _, r := range s {
		if unicode.IsLetter(r) && !spaceless(r) {
			wordish = true
			break
		}
	}
	oneWord := wordish && len(lits) == 1 && len(strings.Fields(s)) == 1
	return catalogueValue{lang: lang, id: id, text: s, re: regexp.MustCompile(b.String()), wordish: wordish, oneWord: oneWord}
}

// find returns the first message of another language that text shows.
//   - A message in a script with spaces matches whole words only ("Profil"
//     is not "Profile").
//   - A message of one such word matches only a text that is that word
//     alone (with punctuation): a button or a label. Inside a sentence a
//     single word says little: Arabic and Dari share "متخصص", English and
//     French "Date", and names and descriptions typed by people quote words
//     of any language.
//   - A Japanese message matches only where no Japanese letter touches it:
//     "管理" inside a role title "品質管理・経理アシスタント" is part of
//     another word, not the menu's "管理".
func (fc foreignCatalogue) find(lang, text string) (catalogueValue, bool) {
	text = normText(text)
	for _, u := range fc.typed {
		if len(u) > 1 {
			text = strings.ReplaceAll(text, u, " | ")
		}
	}
	bare := strings.TrimFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, v := range fc.values[lang] {
		if v.oneWord {
			if bare == v.text || strings.TrimFunc(v.text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) == bare {
				return v, true
			}
			continue
		}
		for _, loc := range v.re.FindAllStringIndex(text, -1) {
			before, _ := utf8.DecodeLastRuneInString(text[:loc[0]])
			after, _ := utf8.DecodeRuneInString(text[loc[1]:])
			hasBefore, hasAfter := loc[0] > 0, loc[1] < len(text)
			if v.wordish && (hasBefore && (unicode.IsLetter(before) || unicode.IsDigit(before)) ||
				hasAfter && (unicode.IsLetter(after) || unicode.IsDigit(after))) {
				continue
			}
			if !v.wordish && (hasBefore && spaceless(before) || hasAfter && spaceless(after)) {
				continue
			}
			return v, true
		}
	}
	return catalogueValue{}, false
}

// longNumberRE finds a number of five digits or more written without the
// grouping its reader's language uses ("年収 4000000円"); digits that are
// part of a word, a code or an address (demo-cand-00017, a phone number,
// an e-mail) are not numbers to read.
var longNumberRE = regexp.MustCompile(`(?:^|[^\p{L}\p{N}._@/-])(\d{5,})(?:$|[^\p{L}\p{N}_@/-])`)

// ungrouped returns the first long number in text that is printed without
// grouping, text typed by people aside.
func (fc foreignCatalogue) ungrouped(text string) string {
	text = normText(text)
	for _, u := range fc.typed {
		if len(u) > 1 {
			text = strings.ReplaceAll(text, u, " | ")
		}
	}
	if m := longNumberRE.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

// consoleErrors collects a tab's console errors, uncaught exceptions and
// browser-log errors (a 404, a Content-Security-Policy violation).
type consoleErrors struct {
	mu   sync.Mutex
	msgs []string
}

func (c *consoleErrors) listen(tb testing.TB, tab *e2e.Tab) {
	tb.Helper()
	err := chromedp.Listen(tab.Context(), func(ev any) {
		var m string
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					if len(a.Value) > 0 {
						args = append(args, string(a.Value))
					} else {
						args = append(args, a.Description)
					}
				}
				m = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
			}
		case *runtime.EventExceptionThrown:
			m = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				m += " " + ev.ExceptionDetails.Exception.Description
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				m = "log " + string(ev.Entry.Source) + ": " + ev.Entry.Text + " " + ev.Entry.URL
			}
		}
		if m != "" {
			c.mu.Lock()
			c.msgs = append(c.msgs, m)
			c.mu.Unlock()
		}
	})
	if err != nil {
		tb.Fatalf("listen to the console: %v", err)
	}
}

// take returns the errors since the last call and forgets them.
func (c *consoleErrors) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.msgs
	c.msgs = nil
	return m
}

// TestBrowserLanguagesPhone signs in as the demo candidate in each of the
// six interface languages on a 375 px phone and, on the home, profile,
// roles-for-you and consent pages (and the profile form, introductions,
// own case and training pages), checks that
//   - the main content is on the screen: <main> is rendered, inside the
//     viewport's width (not pushed off to one side, as right-to-left pages
//     once were), not squeezed, and starts on the first screen;
//   - nothing is clipped sideways: the page does not scroll sideways, and
//     no visible text reaches past the screen's edge or past a box that
//     hides its overflow;
//   - no visible text is a message of another language's catalogue (see
//     foreignCatalogue): a string missing from a catalogue, hard-coded, or
//     left in English shows up here;
//   - numbers of five digits or more are grouped as the language writes
//     them (a salary "2600000" once showed as typed);
//   - the browser logs no console error, exception, failed load or CSP
//     violation.
//
// With E2E_ARTIFACTS_DIR set it saves a screenshot of each page there
// (languages-<lang>-<page>.png).
func TestBrowserLanguagesPhone(t *testing.T) {
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
	if err := seed.Training(ctx, db); err != nil {
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
	foreign := loadForeignCatalogue(t)
	// Text that people typed (a headline, a role's title and description,
	// a company's name, a workshop topic, a programme's title) is in the
	// language its author wrote; it is taken out of a page's text before
	// the check, so that "（経験12年）" in a Japanese headline is not taken for
	// the Japanese catalogue's "経験{{.Years}}年".
	var typed []string
	if err := db.SelectContext(ctx, &typed, `
		SELECT headline FROM candidates UNION SELECT summary FROM candidates
		UNION SELECT title FROM roles UNION SELECT description FROM roles
		UNION SELECT name FROM companies UNION SELECT topic FROM workshops
		UNION SELECT title_ja FROM training_programmes UNION SELECT title_en FROM training_programmes
		UNION SELECT description_ja FROM training_programmes UNION SELECT description_en FROM training_programmes`); err != nil {
		t.Fatal(err)
	}
	for i := range typed {
		typed[i] = normText(typed[i])
	}
	// Longest first: a headline "経理担当者（簿記）（経験12年）" goes as a whole,
	// before a role titled "経理担当者（簿記）" could leave its tail.
	slices.SortFunc(typed, func(a, b string) int { return len(b) - len(a) })
	foreign.typed = typed
	shots := os.Getenv(e2e.EnvArtifacts)

	pages := []struct{ name, path string }{
		{"home", "/me"},
		{"profile", "/me/profile"},
		{"roles", "/me/roles"},
		{"consent", fmt.Sprintf("/me/introductions/%d", introID)},
		{"profile-edit", "/me/profile/edit"},
		{"introductions", "/me/introductions"},
		{"case", "/me/case"},
		{"training", "/training"},
	}

	// The check finds what it should: a message of the English catalogue
	// put on a Japanese page, and text pushed past the screen's edge.
	t.Run("checker", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Do(chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile))
		var console consoleErrors
		console.listen(t, tab)
		tab.SignIn(env.URL, seed.DemoUsers[0].Email, seed.DemoPassword)
		tab.SetLanguage("ja")
		tab.Navigate(env.URL + "/me")
		cat, err := i18n.Load(web.Locales)
		if err != nil {
			t.Fatal(err)
		}
		en := cat.Printer("en")
		injected := []string{en.T("match.me.opens", "Count", 3), en.T("nav.sign_out")}
		e2e.Run(tab, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
			const m = document.querySelector("main");
			const p = document.createElement("p"), b = document.createElement("button");
			p.textContent = %q; b.textContent = %q;
			const n = document.createElement("p");
			n.textContent = "4000000";
			m.append(p, b, n);
			m.insertAdjacentHTML("beforeend", '<p style="white-space:nowrap">'+"あ".repeat(60)+'</p>');
			console.error("injected");
			return true;
		})()`, injected[0], injected[1])))
		v := e2e.Run(tab, chromedp.Evaluate[phoneView](fmt.Sprintf(phoneViewJS, phoneWidth)))
		for _, want := range injected {
			found := false
			for _, s := range v.Texts {
				if c, ok := foreign.find("ja", s); ok && s == want {
					found = c.lang == "en"
					t.Logf("found %q: %s %s", s, c.lang, c.id)
				}
			}
			if !found {
				t.Errorf("the English %q on a Japanese page was not found", want)
			}
		}
		if !slices.ContainsFunc(v.Texts, func(s string) bool { return foreign.ungrouped(s) == "4000000" }) {
			t.Errorf("an ungrouped 4000000 was not found")
		}
		if len(v.Clipped) == 0 || v.ScrollWidth <= phoneWidth {
			t.Errorf("a 60-character line on a 375 px screen: clipped %q, page %d px wide", v.Clipped, v.ScrollWidth)
		}
		if got := console.take(); !slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "injected") }) {
			t.Errorf("console errors %q, want the injected one", got)
		}
	})

	for _, lang := range i18n.Candidate {
		t.Run(lang, func(t *testing.T) {
			tab := b.NewTab(t)
			tab.Do(chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile))
			var console consoleErrors
			console.listen(t, tab)
			tab.Navigate(env.URL + "/signin")
			tab.SetLanguage(lang)
			tab.SignIn(env.URL, seed.DemoUsers[0].Email, seed.DemoPassword)
			tab.SetLanguage(lang)
			if errs := console.take(); len(errs) > 0 {
				t.Errorf("%s sign-in: console errors:\n  %s", lang, strings.Join(errs, "\n  "))
			}
			for _, p := range pages {
				tab.Navigate(env.URL + p.path)
				v := e2e.Run(tab, chromedp.Evaluate[phoneView](fmt.Sprintf(phoneViewJS, phoneWidth)))
				where := fmt.Sprintf("%s %s (%s)", lang, p.name, p.path)
				if v.Lang != lang {
					t.Errorf("%s: <html lang=%q>", where, v.Lang)
				}
				if want := map[bool]string{true: "rtl", false: "ltr"}[i18n.RTL(lang)]; v.Dir != want {
					t.Errorf("%s: <html dir=%q>, want %q", where, v.Dir, want)
				}
				// (a) The main content is on the screen.
				if !v.MainVisible || v.MainWidth < phoneWidth/2 || v.MainHeight == 0 {
					t.Errorf("%s: <main> not shown (visible %v, %.0f×%.0f px)", where, v.MainVisible, v.MainWidth, v.MainHeight)
				}
				if v.MainLeft < -1 || v.MainRight > v.ViewWidth+1 {
					t.Errorf("%s: <main> spans x %.0f..%.0f, outside the %.0f px screen", where, v.MainLeft, v.MainRight, v.ViewWidth)
				}
				if v.MainTop < 0 || v.MainTop >= phoneHeight {
					t.Errorf("%s: <main> starts at y %.0f, not on the first screen", where, v.MainTop)
				}
				// (b) Nothing is clipped sideways.
				if v.ScrollWidth > phoneWidth {
					t.Errorf("%s: the page is %d px wide on a %d px screen", where, v.ScrollWidth, phoneWidth)
				}
				for _, c := range v.Clipped {
					t.Errorf("%s: clipped text: %s", where, c)
				}
				// (c) Every string is in the page's language.
				reported := map[string]bool{}
				for _, s := range v.Texts {
					if c, ok := foreign.find(lang, s); ok && !reported[c.lang+c.id] {
						reported[c.lang+c.id] = true
						t.Errorf("%s: %q shows the %s message %s (%q)", where, s, c.lang, c.id, c.text)
					}
				}
				for _, s := range v.Texts {
					if n := foreign.ungrouped(s); n != "" {
						t.Errorf("%s: %q prints %s without the grouping of %s", where, s, n, lang)
					}
				}
				if errs := console.take(); len(errs) > 0 {
					t.Errorf("%s: console errors:\n  %s", where, strings.Join(errs, "\n  "))
				}
				if shots != "" {
					if err := os.MkdirAll(shots, 0o755); err != nil {
						t.Fatal(err)
					}
					png := e2e.Run(tab, chromedp.CaptureScreenshot())
					if err := os.WriteFile(filepath.Join(shots, "languages-"+lang+"-"+p.name+".png"), png, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}
