package i18n_test

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/web"
)

// TestCataloguesComplete checks that Japanese and English have the same
// messages, and that every message a template asks for exists in both.
func TestCataloguesComplete(t *testing.T) {
	b, err := i18n.Load(web.Locales)
	if err != nil {
		t.Fatal(err)
	}
	ja, en := b.IDs("ja"), b.IDs("en")
	var onlyEn, onlyJa []string
	for id := range en {
		if !ja[id] {
			onlyEn = append(onlyEn, id)
		}
	}
	for id := range ja {
		if !en[id] {
			onlyJa = append(onlyJa, id)
		}
	}
	sort.Strings(onlyEn)
	sort.Strings(onlyJa)
	if len(onlyEn) > 0 {
		t.Errorf("messages missing in Japanese: %v", onlyEn)
	}
	if len(onlyJa) > 0 {
		t.Errorf("messages missing in English: %v", onlyJa)
	}
	// Literal IDs used in templates: {{.T "x.y"}} and {{$.T "x.y"}}.
	re := regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	fs.WalkDir(web.Templates, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := fs.ReadFile(web.Templates, p)
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			if !en[m[1]] || !ja[m[1]] {
				t.Errorf("%s uses message %q that a catalogue lacks", p, m[1])
			}
		}
		return nil
	})
}

func TestPrinterFallsBack(t *testing.T) {
	b, err := i18n.Load(web.Locales)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Printer("ja").T("error.too_long", "Max", 5); !strings.Contains(got, "5") {
		t.Errorf("template data not applied: %q", got)
	}
	if got, want := b.Printer("ja").T("no.such.id"), "no.such.id"; got != want {
		t.Errorf("missing id = %q, want %q", got, want)
	}
	if got, want := i18n.Negotiate("fr-CH, en;q=0.8", i18n.Primary), "en"; got != want {
		t.Errorf("Negotiate = %q, want %q", got, want)
	}
}

// TestIsolatesValuesInRTL: in Arabic and Dari a value is set between
// FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, so a Latin name keeps
// its final period; left-to-right languages get the value as it is, and the
// plural form still follows the number.
func TestIsolatesValuesInRTL(t *testing.T) {
	b, err := i18n.Load(web.Locales)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, want string }{
		{"ar", "مرحبًا بك، \u2068Amina K.\u2069."},
		{"en", "Welcome, Amina K.."},
	} {
		if got := b.Printer(tc.lang).T("home.candidate.lead", "Name", "Amina K."); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.lang, got, tc.want)
		}
		if got := b.Printer(tc.lang).T("home.candidate.lead", map[string]any{"Name": "Amina K."}); got != tc.want {
			t.Errorf("%s (map): %q, want %q", tc.lang, got, tc.want)
		}
	}
}

// TestPluralForms: "Count" picks the CLDR plural form of the language, and a
// message without the form for a count (one string is only "other") falls
// back to it instead of showing its id.
func TestPluralForms(t *testing.T) {
	b, err := i18n.Load(web.Locales)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang, id string
		n        int
		want     string
	}{
		{"en", "match.me.opens", 1, "missing for 1 role"},
		{"en", "match.me.opens", 2, "missing for 2 roles"},
		{"en", "cases.board.count", 1, "1 case"},
		{"en", "cases.board.count", 0, "0 cases"},
		{"fr", "match.me.opens", 0, "manque pour 0 offre"},
		{"fr", "match.me.opens", 1, "manque pour 1 offre"},
		{"fr", "match.me.opens", 3, "manque pour 3 offres"},
		{"ar", "match.me.opens", 1, "ناقصة في وظيفة واحدة"},
		{"ar", "match.me.opens", 2, "ناقصة في وظيفتين"},
		{"ar", "match.me.opens", 3, "ناقصة في \u20683\u2069 وظائف"},
		{"ar", "match.me.opens", 11, "ناقصة في \u206811\u2069 وظيفة"},
		{"uk", "match.me.opens", 1, "бракує для вакансій: 1"},
		{"uk", "cases.board.count", 3, "Справ: 3"},
		{"ja", "cases.board.count", 1, "1件"},
	} {
		if got := b.Printer(tc.lang).T(tc.id, "Count", tc.n); got != tc.want {
			t.Errorf("%s %s %d: %q, want %q", tc.lang, tc.id, tc.n, got, tc.want)
		}
	}
	// No message of any language shows its id for any count.
	for _, lang := range i18n.Candidate {
		p := b.Printer(lang)
		for id := range b.IDs(lang) {
			for _, n := range []any{0, 1, 2, 3, 5, 11, 21, 100, 1.5} {
				if got := p.T(id, "Count", n); got == id {
					t.Errorf("%s %s with Count %v shows its id", lang, id, n)
				}
			}
		}
	}
}
