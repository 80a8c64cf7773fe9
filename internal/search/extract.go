package search

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
)

// Skills from free text. Real profiles and postings rarely write a skill as
// an ESCO label: "assess whether finances are viable", a sentence about
// "project execution with high quality results". Two lookups read them, both
// over the words of every ESCO skill label (preferred, alternative, hidden
// and mapped), stemmed and weighted by how rare they are:
//   - fuzzySkills resolves a typed mention that is no exact label to the
//     skills whose labels share most of its weighted words (cosine);
//   - Extract finds, in each sentence of a description or summary, the
//     labels whose words the sentence holds almost all of, and keeps the
//     sentence as the evidence.
// Both run when a profile is built (at save and import time), never at
// query time.

// skillIndex is the word index over skill labels.
type skillIndex struct {
	uris     []string // skill index -> URI
	labels   []skLabel
	postings map[string][]int32 // word -> labels holding it
	idf      map[string]float64
	scratch  sync.Pool // *skScratch
}

type skLabel struct {
	skill  int32
	words  int32    // distinct words
	ws     []string // the words, sorted
	norm2  float64  // sum of squared IDF of its words
	weight float64  // preferred 1, others slightly less
}

type skScratch struct {
	dots    []float64
	hits    []int32
	touched []int32
}

// skillStop are words that carry nothing on their own in a skill mention.
var skillStop = setOfWords("a an and or of the for in at to with on by as be is are was were will can may this that these those" +
	" our your their its it we you they he she i us them from into about via using use good strong excellent" +
	" ability able knowledge skill skills experience experienced etc e g ie including include other related" +
	" work working must should have has having very high highly new all any each who what when where")

func setOfWords(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// skillWords splits text into the stemmed words of skill matching, in
// order (repeats kept); positions gives each word's byte offsets in s when
// asked for.
func skillWords(s string, positions bool) (words []string, spans [][2]int) {
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := strings.ToLower(s[start:end])
		start = -1
		if skillStop[w] {
			return
		}
		words = append(words, stem(w))
		if positions {
			spans = append(spans, [2]int{end - len(w), end})
		}
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+' || r == '#' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return words, spans
}

func newSkillIndex(skills []*taxonomy.Concept) *skillIndex {
	x := &skillIndex{postings: map[string][]int32{}, idf: map[string]float64{}}
	type raw struct {
		words []string
		w     float64
	}
	var raws []raw
	seen := map[string]bool{}
	add := func(si int32, label string, w float64) {
		ws, _ := skillWords(label, false)
		if len(ws) == 0 {
			return
		}
		sorted := slices.Clone(ws)
		slices.Sort(sorted)
		sorted = slices.Compact(sorted)
		key := strings.Join(sorted, " ") + "\x00" + x.uris[si]
		if seen[key] {
			return
		}
		seen[key] = true
		x.labels = append(x.labels, skLabel{skill: si, words: int32(len(sorted)), ws: sorted, weight: w})
		raws = append(raws, raw{sorted, w})
	}
	for i, s := range skills {
		x.uris = append(x.uris, s.URI)
		si := int32(i)
		if l := s.Labels["en"]; l != "" {
			add(si, l, 1)
		}
		for _, l := range s.AltLabels {
			add(si, l, 0.95)
		}
		for _, l := range s.HiddenLabels {
			add(si, l, 0.9)
		}
		for _, l := range s.ExtraLabels {
			add(si, l.Label, 0.9)
		}
	}
	df := map[string]int{}
	for i, r := range raws {
		for _, w := range r.words {
			df[w]++
			x.postings[w] = append(x.postings[w], int32(i))
		}
	}
	n := float64(len(raws))
	for w, d := range df {
		x.idf[w] = math.Log(1 + n/float64(d))
	}
	for i, r := range raws {
		var s float64
		for _, w := range r.words {
			s += x.idf[w] * x.idf[w]
		}
		x.labels[i].norm2 = s
	}
	x.scratch.New = func() any { return &skScratch{} }
	return x
}

// SkillScore is a skill a piece of text names, with how sure the match is
// (1 for an exact label).
type SkillScore struct {
	URI   string
	Score float64
}

// Fuzzy skill matching keeps, for a mention no label equals, the skills
// whose best label scores at least fuzzyFloor and within fuzzyRatio of the
// best, at most fuzzyKeep of them.
const (
	fuzzyFloor = 0.7
	fuzzyRatio = 0.85
	fuzzyKeep  = 3
)

// SkillScores resolves a typed skill mention: its exact label matches (score
// 1), else the skills whose labels share most of its rarer words.
func (r *Resolver) SkillScores(mention string) []SkillScore {
	if us := r.Skill(mention); len(us) > 0 {
		out := make([]SkillScore, len(us))
		for i, u := range us {
			out[i] = SkillScore{u, 1}
		}
		return out
	}
	ws, _ := skillWords(mention, false)
	if len(ws) == 0 {
		return nil
	}
	return r.sk.fuzzy(ws)
}

// fuzzy scores labels by the cosine of their IDF-weighted word sets with
// the query's.
func (x *skillIndex) fuzzy(ws []string) []SkillScore {
	q := slices.Clone(ws)
	slices.Sort(q)
	q = slices.Compact(q)
	var qn2 float64
	for _, w := range q {
		idf := x.idf[w]
		if idf == 0 {
			idf = 1 // unknown word: lengthens the query all the same
		}
		qn2 += idf * idf
	}
	sc := x.get()
	defer x.scratch.Put(sc)
	for _, w := range q {
		idf := x.idf[w]
		for _, li := range x.postings[w] {
			if sc.dots[li] == 0 {
				sc.touched = append(sc.touched, li)
			}
			sc.dots[li] += idf * idf
		}
	}
	best := map[int32]float64{}
	for _, li := range sc.touched {
		l := &x.labels[li]
		s := l.weight * sc.dots[li] / math.Sqrt(qn2*l.norm2)
		sc.dots[li] = 0
		if s >= fuzzyFloor && s > best[l.skill] {
			best[l.skill] = s
		}
	}
	sc.touched = sc.touched[:0]
	return x.top(best, fuzzyRatio, fuzzyKeep)
}

func (x *skillIndex) get() *skScratch {
	sc := x.scratch.Get().(*skScratch)
	if len(sc.dots) != len(x.labels) {
		sc.dots = make([]float64, len(x.labels))
		sc.hits = make([]int32, len(x.labels))
	}
	return sc
}

// top returns the best skills of scores, those within ratio of the best,
// at most keep.
func (x *skillIndex) top(scores map[int32]float64, ratio float64, keep int) []SkillScore {
	if len(scores) == 0 {
		return nil
	}
	out := make([]SkillScore, 0, len(scores))
	for si, s := range scores {
		out = append(out, SkillScore{x.uris[si], s})
	}
	slices.SortFunc(out, func(a, b SkillScore) int {
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		return cmp.Compare(a.URI, b.URI)
	})
	cut := out[0].Score * ratio
	n := 0
	for n < len(out) && n < keep && out[n].Score >= cut {
		n++
	}
	return out[:n]
}

// Extracted is a skill found in free text: the ESCO skill, the words that
// name it (the span), the sentence they are in (the evidence) and how much
// of the skill's label the sentence holds (0..1).
type Extracted struct {
	URI      string
	Span     string
	Sentence string
	Score    float64
}

// Extraction keeps, per sentence, the labels of at least extractMinWords
// words whose weighted words the sentence holds at least extractCover of,
// the extractPerSentence best (more specific labels first); per text at
// most extractMax skills.
const (
	extractCover       = 0.99
	extractMinWords    = 2
	extractPerSentence = 3
	extractMax         = 12
)

// Extract finds the skills a free text (a role's description, a
// candidate's summary) names, best first, each once.
func (r *Resolver) Extract(text string) []Extracted {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	var out []Extracted
	seen := map[string]bool{}
	for _, sent := range sentences(text) {
		ws, spans := skillWords(sent, true)
		if len(ws) == 0 {
			continue
		}
		for _, h := range r.sk.inSentence(ws) {
			u := r.sk.uris[h.skill]
			if seen[u] {
				continue
			}
			seen[u] = true
			span := sent
			if h.first >= 0 {
				span = sent[spans[h.first][0]:spans[h.last][1]]
			}
			out = append(out, Extracted{URI: u, Span: span, Sentence: sent, Score: h.score})
		}
		if len(out) >= extractMax {
			break
		}
	}
	return out[:min(len(out), extractMax)]
}

type sentHit struct {
	skill       int32
	label       int32
	score       float64 // share of the label's weight the sentence holds
	spec        float64 // the label's weight: more specific first
	first, last int     // word positions of the span
}

// inSentence returns the labels a sentence's words (in order) hold.
func (x *skillIndex) inSentence(ws []string) []sentHit {
	sc := x.get()
	defer x.scratch.Put(sc)
	pos := map[string][]int{}
	for i, w := range ws {
		pos[w] = append(pos[w], i)
	}
	for w := range pos {
		idf := x.idf[w]
		for _, li := range x.postings[w] {
			if sc.dots[li] == 0 {
				sc.touched = append(sc.touched, li)
			}
			sc.dots[li] += idf * idf
			sc.hits[li]++
		}
	}
	best := map[int32]sentHit{}
	for _, li := range sc.touched {
		l := &x.labels[li]
		cover, n := sc.dots[li]/l.norm2, sc.hits[li]
		sc.dots[li], sc.hits[li] = 0, 0
		if l.words < extractMinWords || n < extractMinWords || cover < extractCover {
			continue
		}
		s := cover * l.weight
		if b, ok := best[l.skill]; !ok || s > b.score || (s == b.score && l.norm2 > b.spec) {
			best[l.skill] = sentHit{skill: l.skill, label: li, score: s, spec: l.norm2, first: -1}
		}
	}
	sc.touched = sc.touched[:0]
	hits := make([]sentHit, 0, len(best))
	for _, h := range best {
		hits = append(hits, h)
	}
	slices.SortFunc(hits, func(a, b sentHit) int {
		if a.spec != b.spec {
			return cmp.Compare(b.spec, a.spec)
		}
		return cmp.Compare(a.skill, b.skill)
	})
	hits = hits[:min(len(hits), extractPerSentence)]
	// The span: from the first to the last sentence word the label holds.
	for i := range hits {
		h := &hits[i]
		h.first, h.last = -1, -1
		for _, w := range x.labels[h.label].ws {
			for _, p := range pos[w] {
				if h.first < 0 || p < h.first {
					h.first = p
				}
				if p > h.last {
					h.last = p
				}
			}
		}
	}
	return hits
}

// sentences splits text at sentence ends (. ! ? 。 ！ ？ and line breaks),
// each trimmed, empty ones dropped.
func sentences(text string) []string {
	var out []string
	start := 0
	emit := func(end int) {
		if s := strings.TrimSpace(text[start:end]); s != "" {
			out = append(out, s)
		}
	}
	for i, r := range text {
		switch r {
		case '\n', '!', '?', '。', '！', '？', '•', ';':
			emit(i)
			start = i + len(string(r))
		case '.':
			// A full stop ends a sentence when a space or the end follows
			// ("e.g." and "3.5" do not).
			if i+1 >= len(text) || text[i+1] == ' ' {
				emit(i)
				start = i + 1
			}
		}
	}
	emit(len(text))
	return out
}
