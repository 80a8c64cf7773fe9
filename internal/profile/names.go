package profile

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Names are compared by a Latin consonant skeleton, so that one name
// written in Latin, Arabic (or Persian), Cyrillic or Katakana letters, with
// or without spaces, hyphens or diacritics, gives nearly the same key:
//
//  1. NFKC (full- and half-width forms fold), lower case, Hiragana as
//     Katakana, diacritics and Arabic vowel marks dropped (NFD, marks out);
//  2. each script's letters romanised by their usual transliteration
//     (Katakana by syllable, Arabic/Persian and Cyrillic by letter);
//  3. the romanised word reduced to consonant classes: vowels, w and y
//     (which Arabic writes as long vowels and Katakana as syllables) and a
//     word's final h dropped; l/r, f/h, v/p/b, q/c/k, z/s (and sh, zh,
//     th, kh, gh, ch, ph) folded to one letter each; doubled letters once.
//
// Two names are alike when their skeletons, compared in either word order
// and with the words run together, are within a small edit distance that
// grows with their length (namesAlike). No list of particular names is
// involved: only the scripts' letter tables.

// nameWords returns the romanised words of a name and the script it is
// written in (the first letter's: "latin", "arabic", "kana", "cyrillic").
func nameWords(name string) (words []string, script string) {
	s := foldName(name)
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != 'ー' }) {
		if script == "" {
			script = scriptOf([]rune(w)[0])
		}
		if l := romanise(w); l != "" {
			words = append(words, l)
		}
	}
	return words, script
}

func scriptOf(r rune) string {
	switch {
	case unicode.In(r, unicode.Katakana, unicode.Hiragana):
		return "kana"
	case unicode.Is(unicode.Arabic, r):
		return "arabic"
	case unicode.Is(unicode.Cyrillic, r):
		return "cyrillic"
	case unicode.Is(unicode.Latin, r):
		return "latin"
	}
	return "other"
}

// stripMarks returns a transformer removing combining marks but the kana
// voicing ones. A transform.Chain keeps state between calls, so each
// fold makes its own: one shared by concurrent saves panicked.
func stripMarks() transform.Transformer {
	return transform.Chain(norm.NFD, runes.Remove(runes.Predicate(func(r rune) bool {
		return unicode.Is(unicode.Mn, r) && r != 0x3099 && r != 0x309A
	})), norm.NFC)
}

// foldName is step 1.
func foldName(name string) string {
	s := strings.ToLower(norm.NFKC.String(name))
	if t, _, err := transform.String(stripMarks(), s); err == nil {
		s = t
	}
	return strings.Map(func(r rune) rune {
		if r >= 'ぁ' && r <= 'ゖ' {
			return r + 0x60 // Hiragana → Katakana
		}
		return r
	}, s)
}

// romanise is step 2 for one word.
func romanise(w string) string {
	var b strings.Builder
	rs := []rune(w)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if kana, ok := katakana[r]; ok {
			// A small ya/yu/yo or small vowel replaces the syllable's vowel:
			// キャ kya, ファ fa.
			if i+1 < len(rs) {
				if v, ok := smallKana[rs[i+1]]; ok {
					kana = strings.TrimSuffix(strings.TrimSuffix(kana, "i"), "u") + v
					i++
				}
			}
			b.WriteString(kana)
			continue
		}
		if l, ok := arabic[r]; ok {
			b.WriteString(l)
			continue
		}
		if l, ok := cyrillic[r]; ok {
			b.WriteString(l)
			continue
		}
		if r < unicode.MaxASCII && unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// folds are step 3's digraphs, applied in order.
var folds = strings.NewReplacer("sch", "s", "sh", "s", "zh", "j", "dj", "j", "th", "t", "kh", "h", "gh", "g", "ch", "k", "ph", "f", "ck", "k", "ts", "s", "x", "ks")

// skeleton is step 3.
func skeleton(latin string) string { return reduce(latin, false) }

// voweled is skeleton with the vowels kept as two classes, open/front
// (a, e, i, y: A) and back (o, u: U), for names in the same script, where
// the vowels were written by the same rules: Mohammed and Muhammad agree,
// Mohammed and Mahmoud (one consonant skeleton) do not.
func voweled(latin string) string { return reduce(latin, true) }

func reduce(latin string, vowels bool) string {
	s := folds.Replace(latin)
	s = strings.TrimSuffix(s, "h")
	var b strings.Builder
	var last rune
	for _, r := range s {
		switch r {
		case 'a', 'e', 'i', 'y', 'o', 'u', 'w':
			if !vowels || r == 'w' {
				continue
			}
			if r == 'o' || r == 'u' {
				r = 'U'
			} else {
				r = 'A'
			}
		case 'l':
			r = 'r'
		case 'f':
			r = 'h'
		case 'v', 'p':
			r = 'b'
		case 'q', 'c':
			r = 'k'
		case 'z':
			r = 's'
		}
		if r != last {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

// nameKey is what a name is compared by.
type nameKey struct {
	script string
	forms  [][2]string // (skeleton, voweled) of the words run together: as written, reversed, sorted
}

// keyOf is the nameKey of a name: its words run together as written,
// reversed (family name first or last) and sorted.
func keyOf(name string) nameKey {
	w, script := nameWords(name)
	k := nameKey{script: script}
	if len(w) == 0 {
		return k
	}
	rev := make([]string, len(w))
	for i := range w {
		rev[len(w)-1-i] = w[i]
	}
	sorted := append([]string(nil), w...)
	sort.Slice(sorted, func(i, j int) bool { return skeleton(sorted[i]) < skeleton(sorted[j]) })
	for _, ws := range [][]string{w, rev, sorted} {
		var sk, vw strings.Builder
		for _, x := range ws {
			sk.WriteString(skeleton(x))
			vw.WriteString(voweled(x))
		}
		k.forms = append(k.forms, [2]string{sk.String(), vw.String()})
	}
	return k
}

// namesAlike reports whether two names are probably one name written
// differently (see above).
func namesAlike(a, b string) bool { return keyOf(a).alike(keyOf(b)) }

// alike compares consonant skeletons across scripts, and within one
// script the voweled forms too, as far as the skeleton's length allows.
func (k nameKey) alike(o nameKey) bool {
	for _, x := range k.forms {
		for _, y := range o.forms {
			if !closeEnough(x[0], y[0]) {
				continue
			}
			if k.script != o.script || editDistance(x[1], y[1], limitFor(x[0], y[0])) <= limitFor(x[0], y[0]) {
				return true
			}
		}
	}
	return false
}

// closeEnough allows no difference in skeletons of up to five letters
// (too short to tell apart otherwise), one up to nine, two beyond.
func closeEnough(x, y string) bool {
	if max(len(x), len(y)) < 3 {
		return false
	}
	limit := limitFor(x, y)
	return editDistance(x, y, limit) <= limit
}

func limitFor(x, y string) int {
	switch n := max(len(x), len(y)); {
	case n <= 5:
		return 0
	case n <= 9:
		return 1
	}
	return 2
}

// editDistance is the Levenshtein distance of a and b (ASCII skeletons);
// past limit it returns limit+1.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// katakana romanises the Katakana syllabary (Hepburn).
var katakana = map[rune]string{
	'ア': "a", 'イ': "i", 'ウ': "u", 'エ': "e", 'オ': "o",
	'カ': "ka", 'キ': "ki", 'ク': "ku", 'ケ': "ke", 'コ': "ko",
	'ガ': "ga", 'ギ': "gi", 'グ': "gu", 'ゲ': "ge", 'ゴ': "go",
	'サ': "sa", 'シ': "shi", 'ス': "su", 'セ': "se", 'ソ': "so",
	'ザ': "za", 'ジ': "ji", 'ズ': "zu", 'ゼ': "ze", 'ゾ': "zo",
	'タ': "ta", 'チ': "chi", 'ツ': "tsu", 'テ': "te", 'ト': "to",
	'ダ': "da", 'ヂ': "ji", 'ヅ': "zu", 'デ': "de", 'ド': "do",
	'ナ': "na", 'ニ': "ni", 'ヌ': "nu", 'ネ': "ne", 'ノ': "no",
	'ハ': "ha", 'ヒ': "hi", 'フ': "fu", 'ヘ': "he", 'ホ': "ho",
	'バ': "ba", 'ビ': "bi", 'ブ': "bu", 'ベ': "be", 'ボ': "bo",
	'パ': "pa", 'ピ': "pi", 'プ': "pu", 'ペ': "pe", 'ポ': "po",
	'マ': "ma", 'ミ': "mi", 'ム': "mu", 'メ': "me", 'モ': "mo",
	'ヤ': "ya", 'ユ': "yu", 'ヨ': "yo",
	'ラ': "ra", 'リ': "ri", 'ル': "ru", 'レ': "re", 'ロ': "ro",
	'ワ': "wa", 'ヰ': "i", 'ヱ': "e", 'ヲ': "o", 'ン': "n", 'ヴ': "vu",
	'ッ': "", 'ー': "", 'ァ': "a", 'ィ': "i", 'ゥ': "u", 'ェ': "e", 'ォ': "o",
	'ャ': "ya", 'ュ': "yu", 'ョ': "yo",
}

// smallKana are the small letters that change the vowel of the syllable
// before them.
var smallKana = map[rune]string{'ャ': "ya", 'ュ': "yu", 'ョ': "yo", 'ァ': "a", 'ィ': "i", 'ゥ': "u", 'ェ': "e", 'ォ': "o"}

// arabic romanises the Arabic and Persian alphabets (letters only; vowel
// marks are dropped before).
var arabic = map[rune]string{
	'ا': "a", 'أ': "a", 'إ': "i", 'آ': "a", 'ٱ': "a", 'ء': "", 'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j",
	'ح': "h", 'خ': "kh", 'د': "d", 'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s",
	'ض': "d", 'ط': "t", 'ظ': "z", 'ع': "", 'غ': "gh", 'ف': "f", 'ق': "q", 'ك': "k", 'ک': "k",
	'ل': "l", 'م': "m", 'ن': "n", 'ه': "h", 'ة': "a", 'و': "w", 'ؤ': "w", 'ي': "y", 'ى': "a",
	'ئ': "y", 'ی': "y", 'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g",
}

// cyrillic romanises the Russian and Ukrainian alphabets.
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ye", 'ё': "yo", 'ж': "zh",
	'з': "z", 'и': "i", 'і': "i", 'ї': "yi", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch",
	'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
}

// blockKeys are the strings two alike names always share one of, so that
// likely duplicates are found by an index instead of by comparing every
// stored name: for each form's skeleton s, s itself (if it can match at
// all: three letters or more) and what is left of s with one letter
// deleted (when s may differ by one: six letters or more) or two (ten or
// more). Two skeletons within edit distance k of each other, the longer of
// length M, share a string of length ≥ M-k that each gives with k
// deletions or fewer (symmetric deletion), and closeEnough's k for M is
// what the lengths above allow. TestBlockKeys checks it on every pair of
// alike names.
func (k nameKey) blockKeys() []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, f := range k.forms {
		s := f[0]
		if len(s) < 3 {
			continue
		}
		add(s)
		if len(s) < 6 {
			continue
		}
		for i := range len(s) {
			one := s[:i] + s[i+1:]
			add(one)
			if len(s) < 10 {
				continue
			}
			for j := i; j < len(one); j++ {
				add(one[:j] + one[j+1:])
			}
		}
	}
	sort.Strings(out)
	return out
}
