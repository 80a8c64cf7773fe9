package search

import (
	"strings"
	"testing"
)

func TestNormLabel(t *testing.T) {
	for _, s := range []string{"", " ", "ms excel", "MS Excel", " ms excel", "ms excel ", "ms  excel",
		"ms\texcel", "ms\nexcel", "ms\u00a0excel", "Ｅｘｃｅｌ", "c++", "r&d", "a", "A", "ソフトウェア 開発", "é"} {
		want := strings.Join(strings.Fields(strings.ToLower(s)), " ")
		if got := NormLabel(s); got != want {
			t.Errorf("NormLabel(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestTextLangs(t *testing.T) {
	for _, c := range []struct{ s, locale, want string }{
		{"bookkeeping", "", "en"}, {"Bookkeeping", "fr-FR", "en fr"}, {"1234 !?", "", ""},
		{"ソフトウェア開発", "en", "ja"}, {"Excel と Word", "", "ja"}, {"محاسبة", "fa", "fa"},
		{"محاسبة", "ar", "ar"}, {"бухгалтерія", "uk", "ru"}, {"ἀρχή", "", ""},
	} {
		if got := strings.Join(textLangs(c.s, c.locale), " "); got != c.want {
			t.Errorf("textLangs(%q, %q) = %q, want %q", c.s, c.locale, got, c.want)
		}
	}
}
