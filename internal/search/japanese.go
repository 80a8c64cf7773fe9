package search

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/ikawaha/kagome-dict/ipa"
	"github.com/ikawaha/kagome/v2/tokenizer"
	"golang.org/x/text/unicode/norm"
)

// japaneseAnalyzer names the analyzer of the Japanese text field: kagome's
// morphological analysis over the IPA dictionary instead of CJK bigrams,
// so 「東京都」 is 東京 + 都 and never matches a search for 「京都」.
const japaneseAnalyzer = "tsunagu_ja"

func init() {
	registry.RegisterAnalyzer(japaneseAnalyzer, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return jaAnalyzer{}, nil
	})
}

// jaAnalyzer analyses Japanese text: NFKC (full-width Latin and digits,
// half-width kana), kagome in search mode (compounds split further), each
// word as its base form (働いた → 働く), particles, auxiliary verbs, symbols
// and the most common light verbs dropped, Latin lower-cased. Text without
// a non-ASCII character after NFKC is split the way kagome splits unknown
// ASCII (runs of letters, runs of digits) without loading the dictionary.
type jaAnalyzer struct{}

// kagome's tokenizer over the IPA dictionary (with contents, for base
// forms), loaded on the first Japanese text the process analyses: about
// 90 MiB more resident memory than without it, and a second or two.
var (
	kagomeOnce sync.Once
	kagomeTok  *tokenizer.Tokenizer
)

func kagome() *tokenizer.Tokenizer {
	kagomeOnce.Do(func() {
		t, err := tokenizer.New(ipa.Dict(), tokenizer.OmitBosEos())
		if err != nil {
			panic("search: kagome tokenizer: " + err.Error()) // only on an empty dictionary
		}
		kagomeTok = t
	})
	return kagomeTok
}

// jaStopPOS are the parts of speech (first levels) left out of the index.
var jaStopPOS = map[string]bool{
	"助詞": true, "助動詞": true, "記号": true, "フィラー": true, "接続詞": true, "その他": true,
}

// jaStopBase are light verbs and forms that carry no meaning on their own
// (the する of 担当する, the いる of 住んでいる).
var jaStopBase = map[string]bool{
	"する": true, "いる": true, "ある": true, "なる": true, "れる": true, "られる": true, "おる": true,
	"こと": true, "もの": true, "よう": true, "ため": true,
}

func (jaAnalyzer) Analyze(input []byte) analysis.TokenStream {
	s := norm.NFKC.String(string(input))
	if isASCII(s) {
		return asciiWords(s)
	}
	var out analysis.TokenStream
	for _, tok := range kagome().Analyze(s, tokenizer.Search) {
		pos := tok.POS()
		if len(pos) == 0 || jaStopPOS[pos[0]] || len(pos) > 1 && pos[1] == "非自立" {
			continue
		}
		term := tok.Surface
		if b, ok := tok.BaseForm(); ok && b != "" && b != "*" {
			term = b
		}
		term = strings.ToLower(strings.TrimSpace(term))
		if jaStopBase[term] || !strings.ContainsFunc(term, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			continue // also punctuation kagome does not know as a symbol ("'")
		}
		out = append(out, &analysis.Token{
			Start: tok.Position, End: tok.Position + len(tok.Surface), Term: []byte(term),
			Position: len(out) + 1, Type: jaTokenType(term),
		})
	}
	return out
}

func jaTokenType(term string) analysis.TokenType {
	r, _ := utf8.DecodeRuneInString(term)
	switch {
	case unicode.IsDigit(r):
		return analysis.Numeric
	case r < utf8.RuneSelf:
		return analysis.AlphaNumeric
	}
	return analysis.Ideographic
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// asciiWords splits ASCII text into lower-cased runs of letters and runs of
// digits, as kagome does with words it does not know ("N2" is n + 2).
func asciiWords(s string) analysis.TokenStream {
	var out analysis.TokenStream
	class := func(c byte) int {
		switch {
		case 'a' <= c|0x20 && c|0x20 <= 'z':
			return 1
		case '0' <= c && c <= '9':
			return 2
		}
		return 0
	}
	for i := 0; i < len(s); {
		k := class(s[i])
		if k == 0 {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && class(s[j]) == k {
			j++
		}
		typ := analysis.AlphaNumeric
		if k == 2 {
			typ = analysis.Numeric
		}
		out = append(out, &analysis.Token{Start: i, End: j, Term: []byte(strings.ToLower(s[i:j])), Position: len(out) + 1, Type: typ})
		i = j
	}
	return out
}
