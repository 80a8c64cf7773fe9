package i18n

import (
	"slices"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Num writes n as the reader's language writes numbers, from CLDR.
func Num(n int, reader string) string {
	return message.NewPrinter(tag(reader)).Sprint(number.Decimal(n))
}

// Named is a code with its name in the reader's language, for pickers.
type Named struct {
	Code string
	Name string
}

// tag is how CLDR knows a language code of this product: "fa" is Dari
// here (the Persian of Afghanistan), as the interface names it.
func tag(code string) language.Tag {
	if code == "fa" {
		return language.MustParse("fa-AF")
	}
	t, err := language.Parse(code)
	if err != nil {
		return language.Und
	}
	return t
}

// LanguageName names a language (an ISO 639-1 code) in the reader's
// language, from CLDR: "ミャンマー語" for "my" to a Japanese reader. An unknown
// code is returned as it is.
func LanguageName(code, reader string) string {
	t := tag(code)
	if t == language.Und {
		return code
	}
	if name := display.Tags(tag(reader)).Name(t); name != "" {
		return name
	}
	return code
}

// CountryName names a country (an ISO 3166-1 alpha-2 code) in the
// reader's language, from CLDR: "シリア" for "SY" to a Japanese reader. An
// unknown code is returned as it is.
func CountryName(code, reader string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.Regions(tag(reader)).Name(r); name != "" {
		return name
	}
	return code
}

var (
	optionsMu sync.Mutex
	options   = map[[2]string][]Named{}
)

// Options names every code in the reader's language (by name, a
// LanguageName or CountryName) and sorts them as the reader's language
// sorts, for a picker. Lists are built once per reader and kind.
func Options(kind string, codes []string, name func(code, reader string) string, reader string) []Named {
	optionsMu.Lock()
	defer optionsMu.Unlock()
	key := [2]string{kind, reader}
	if out, ok := options[key]; ok {
		return out
	}
	out := make([]Named, len(codes))
	for i, c := range codes {
		out[i] = Named{Code: c, Name: name(c, reader)}
	}
	col := collate.New(tag(reader))
	slices.SortFunc(out, func(a, b Named) int { return col.CompareString(a.Name, b.Name) })
	options[key] = out
	return out
}
