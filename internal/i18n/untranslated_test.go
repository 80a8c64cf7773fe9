package i18n_test

import (
	"encoding/json"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/web"
)

// readCatalogue reads web/locales/<name>.<lang>.json as id → text (a
// plural message as its "other" form).
func readCatalogue(tb testing.TB, name, lang string) map[string]string {
	tb.Helper()
	data, err := fs.ReadFile(web.Locales, "locales/"+name+"."+lang+".json")
	if err != nil {
		tb.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		tb.Fatalf("%s.%s.json: %v", name, lang, err)
	}
	out := make(map[string]string, len(raw))
	for id, v := range raw {
		var s string
		if json.Unmarshal(v, &s) != nil {
			var forms map[string]string
			if err := json.Unmarshal(v, &forms); err != nil {
				tb.Fatalf("%s.%s.json %s: %v", name, lang, id, err)
			}
			s = forms["other"]
		}
		out[id] = s
	}
	return out
}

// No message of the Arabic, Dari, Ukrainian or French catalogue is the
// English one left in place: the workshop timeline once read "Workshop
// “…” delivered at …" on ar, fa, uk and fr pages. Placeholders, codes and
// names aside, a copy of the English text with an English word of four
// letters or more is untranslated (in French, a copy of four words or more:
// "Participants" is French too).
func TestCandidateCataloguesTranslated(t *testing.T) {
	placeholder := regexp.MustCompile(`\{\{[^}]*\}\}`)
	word := regexp.MustCompile(`[A-Za-z]{4,}`)
	keep := map[string]bool{"app.name": true}
	files, err := fs.Glob(web.Locales, "locales/*.en.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no English catalogues: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".en.json")
		en := readCatalogue(t, name, "en")
		for _, lang := range []string{"ar", "fa", "uk", "fr"} {
			cat := readCatalogue(t, name, lang)
			for id, text := range cat {
				if keep[id] || text != en[id] {
					continue
				}
				words := word.FindAllString(placeholder.ReplaceAllString(text, ""), -1)
				if len(words) == 0 || lang == "fr" && len(strings.Fields(placeholder.ReplaceAllString(text, ""))) < 4 {
					continue
				}
				t.Errorf("%s.%s.json: %s is the English text %q", name, lang, id, text)
			}
		}
	}
}
