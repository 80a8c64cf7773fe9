package taxonomy

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// params weighs the evidence the reranker combines. Both sets were tuned
// by coordinate search on the development splits (../shared/eval: JobBERT
// titles for titleParams, the tech and house skill spans for skillParams);
// they are few and general on purpose, and no evaluation text is used.
// SeniorPen and Syn (and synMinConcepts, 3) were set by a small sweep on
// the JobBERT development split (SeniorPen 0.05-0.45, Syn 0.2-0.7), and
// WPref and RankWeight retuned with them (were 0.225 and 0.5). WNarrow
// was swept on two halves of the JobBERT split (0.1 to -0.3): occupations
// with many narrower ones ("shop manager", "specialised seller") are less
// often meant than their words suggest, on both halves. WShared (0 to
// 0.2) likewise: a label several concepts share is weaker evidence; and
// WTool (0.1 to 0.4, all about equal). With them, WPrior was swept on
// half A (0.04 to 0.5; best 0.18, was 0.075) and checked on half B, and
// WNarrow rechecked.
type params struct {
	Candidates int     // Bleve label hits reranked
	WQuery     float64 // share of the query's words (idf-weighted) the label covers
	WLabel     float64 // share of the label's words the query covers
	WPref      float64 // the label is the concept's preferred one
	WPrior     float64 // how common the concept is (number of labels; skill use)
	WBleve     float64 // Bleve's own BM25 score, relative to the best hit
	HiddenPen  float64 // hidden and mapped-on (O*NET) labels are trusted less
	Fuzzy      float64 // credit of a one-edit match (typo)
	Prefix     float64 // credit of a prefix match of the last word (autocomplete)
	Related    float64 // credit of a related word form ("finance", "financial")
	RankWeight float64 // weight of a rank word ("executive") in a longer title
	SeniorPen  float64 // the label names a grade ("manager") the query does not
	Syn        float64 // credit of a learned interchangeable word ("helper", "assistant")
	WNarrow    float64 // the concept has narrower concepts (log of how many)
	WShared    float64 // the label is also another concept's (log of how many)
	WTool      float64 // the title names a tool O*NET lists for the occupation ("React developer")
}

var titleParams = params{
	Candidates: 400, WQuery: 1, WLabel: 1.125, WPref: 0.35, WPrior: 0.18, WBleve: 0.1,
	HiddenPen: 0.45, Fuzzy: 0.8, Prefix: 0.6, Related: 0.6, RankWeight: 0.3,
	SeniorPen: 0.25, Syn: 0.3, WNarrow: -0.2, WShared: 0.1, WTool: 0.3,
}

var skillParams = params{
	Candidates: 400, WQuery: 1, WLabel: 1, WPref: 0.075, WPrior: 0.05, WBleve: 0,
	HiddenPen: 0.05, Fuzzy: 0.8, Prefix: 0.6, Related: 0, RankWeight: 1,
}

// maxQueryWords bounds the work one query can cause.
const maxQueryWords = 24

func (n *Normalizer) search(ctx context.Context, ki *kindIndex, q, lang string, limit int, title bool) ([]Result, error) {
	if limit <= 0 {
		limit = 10
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := skillParams
	if title {
		p = titleParams
	}
	if lang == "" {
		lang = "en"
	}
	switch script(q) {
	case "ja":
		return n.searchField(ctx, ki, "ja", q, lang, limit)
	case "ar":
		return n.searchField(ctx, ki, "ar", q, lang, limit)
	}
	toks := prepareQuery(q, title)
	if len(toks) == 0 {
		return nil, nil
	}
	if len(toks) > maxQueryWords {
		toks = toks[:maxQueryWords] // a pasted paragraph: its start is enough
	}
	found, err := n.searchEn(ctx, ki, toks, p)
	if err != nil {
		return nil, err
	}
	if len(found) > limit {
		found = found[:limit]
	}
	out := make([]Result, len(found))
	for i, sc := range found {
		out[i] = Result{URI: sc.c.URI, Label: n.t.Label(sc.c, lang), Score: round(sc.score), Matched: sc.matched}
	}
	return out, nil
}

// searchField answers Japanese and Arabic queries from Bleve's own scores.
func (n *Normalizer) searchField(ctx context.Context, ki *kindIndex, field, q, lang string, limit int) ([]Result, error) {
	mq := bleve.NewMatchQuery(q)
	mq.SetField(field)
	req := bleve.NewSearchRequestOptions(mq, limit*5, 0, false)
	res, err := ki.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", ki.kind, err)
	}
	if lang == "en" {
		lang = field
	}
	var out []Result
	seen := map[*Concept]bool{}
	for _, h := range res.Hits {
		i, err := strconv.Atoi(h.ID)
		if err != nil || i < 0 || i >= len(ki.labels) {
			continue
		}
		l := ki.labels[i]
		if seen[l.c] {
			continue
		}
		seen[l.c] = true
		// Bleve's scores, relative to the best hit (0..1).
		out = append(out, Result{URI: l.c.URI, Label: n.t.Label(l.c, lang), Score: round(h.Score / res.Hits[0].Score), Matched: l.text})
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

type scored struct {
	c       *Concept
	score   float64
	matched string
}

// searchEn ranks concepts for an English (Latin-script) query: Bleve finds
// candidate labels, then each is scored on the evidence in params, and a
// concept takes its best label's score, on 0..1.
func (n *Normalizer) searchEn(ctx context.Context, ki *kindIndex, toks []queryToken, p params) ([]*scored, error) {
	toks = joinCompounds(ki, toks)
	// Candidate generation in Bleve: the matching keys, typo-tolerant raw
	// words, and a prefix of the last word for autocomplete.
	stems := make([]string, len(toks))
	for i, t := range toks {
		stems[i] = t.stem
	}
	dq := bleve.NewDisjunctionQuery()
	mq := bleve.NewMatchQuery(strings.Join(stems, " "))
	mq.SetField("en")
	dq.AddQuery(mq)
	for i, t := range toks {
		if _, known := ki.terms[t.stem]; !known && len(t.raw) >= 4 {
			fq := bleve.NewFuzzyQuery(t.raw)
			fq.SetField("raw")
			fq.SetFuzziness(1)
			if len(t.raw) >= 8 {
				fq.SetFuzziness(2)
			}
			fq.SetBoost(0.3)
			dq.AddQuery(fq)
		}
		if p.Related > 0 && len(t.stem) >= 5 {
			rq := bleve.NewPrefixQuery(t.stem)
			rq.SetField("en")
			rq.SetBoost(0.2)
			dq.AddQuery(rq)
		}
		if id, ok := ki.terms[t.stem]; ok && p.Syn > 0 {
			for _, s := range ki.syn[id] {
				sq := bleve.NewTermQuery(ki.names[s])
				sq.SetField("en")
				sq.SetBoost(p.Syn * 0.5)
				dq.AddQuery(sq)
			}
		}
		if i == len(toks)-1 && len(t.raw) >= 2 {
			pq := bleve.NewPrefixQuery(t.raw)
			pq.SetField("raw")
			pq.SetBoost(0.3)
			dq.AddQuery(pq)
		}
	}
	hits, err := ki.retrieve(ctx, dq, p.Candidates)
	if err != nil {
		return nil, err
	}
	if len(hits) == 0 {
		return nil, nil
	}
	maxScore := hits[0].score

	// Query side: term ids and weights.
	qids := make([]int32, len(toks))
	qw := make([]float64, len(toks))
	var wq float64
	for i, t := range toks {
		if id, ok := ki.terms[t.stem]; ok {
			qids[i] = id
			qw[i] = float64(ki.idf[id])
		} else {
			qids[i] = -1
			qw[i] = 4 // unknown word: a typo, a place or a company name
		}
		if t.weak && len(toks) > 1 {
			qw[i] *= p.RankWeight
		}
		wq += qw[i]
	}
	last := len(toks) - 1

	var tools map[*Concept]float64
	if p.WTool != 0 && ki.kind == KindOccupation {
		tools = n.toolFit(ki, toks)
	}
	byConcept := map[*Concept]*scored{}
	var order []*scored
	for _, h := range hits {
		li := h.label
		l := &ki.labels[li]
		if len(l.toks) == 0 {
			continue
		}
		// Label side credit per token.
		lcredit := make([]float64, len(l.toks))
		var mq float64
		for i, t := range toks {
			best := 0.0
			bestJ := -1
			if qids[i] >= 0 {
				for j, id := range l.toks {
					if id == qids[i] {
						best, bestJ = 1, j
						break
					}
				}
			}
			if best == 0 && len(t.raw) >= 2 {
				for j, w := range l.words {
					if j >= len(l.toks) {
						break
					}
					c := 0.0
					switch {
					case i == last && len(w) > len(t.raw) && strings.HasPrefix(w, t.raw):
						c = p.Prefix
					case len(t.raw) >= 4 && editDistanceAtMost1(t.raw, w):
						c = p.Fuzzy
					case relatedStems(t.stem, ki.names[l.toks[j]]):
						c = p.Related
					case p.Syn > 0 && qids[i] >= 0 && isSyn(ki.syn[qids[i]], l.toks[j]):
						c = p.Syn
					}
					if c > best {
						best, bestJ = c, j
					}
				}
			}
			if bestJ >= 0 {
				w := qw[i]
				if qids[i] < 0 {
					w = float64(ki.idf[l.toks[bestJ]])
				}
				mq += best * w
				if best > lcredit[bestJ] {
					lcredit[bestJ] = best
				}
			}
		}
		var wl, ml float64
		senior := false // the label names a grade the query does not
		for j, id := range l.toks {
			w := float64(ki.idf[id])
			wl += w
			ml += lcredit[j] * w
			if lcredit[j] == 0 && ki.senior[id] {
				senior = true
			}
		}
		covQ := math.Min(1, mq/wq)
		covL := ml / wl
		s := p.WQuery*covQ + p.WLabel*covL + p.WPrior*float64(ki.prior[li]) + p.WBleve*h.score/maxScore
		if senior {
			s -= p.SeniorPen
		}
		s += p.WNarrow * float64(ki.narrow[li])
		s -= p.WShared * float64(ki.shared[li])
		s += p.WTool * tools[l.c]
		switch l.typ {
		case labelPreferred:
			s += p.WPref
		case labelHidden, labelExtra:
			s -= p.HiddenPen
		}
		sc := byConcept[l.c]
		if sc == nil {
			sc = &scored{c: l.c, score: -1}
			byConcept[l.c] = sc
			order = append(order, sc)
		}
		if s > sc.score {
			sc.score, sc.matched = s, l.text
		}
	}
	// Scores are reported on 0..1: the share of the best conceivable
	// evidence (an exact preferred label of a common, general concept).
	top := p.WQuery + p.WLabel + p.WPref + p.WPrior + p.WBleve
	for _, sc := range order {
		sc.score = math.Max(0, math.Min(1, sc.score/top))
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].score > order[j].score })
	return order, nil
}

type hit struct {
	label int
	score float64
}

// retrieveCache, when set (tuning only), remembers Bleve's candidates per
// query so that reranker weights can be swept quickly.
var retrieveCache map[string][]hit

func (ki *kindIndex) retrieve(ctx context.Context, q query.Query, size int) ([]hit, error) {
	var key string
	if retrieveCache != nil {
		b, _ := json.Marshal(q)
		key = ki.kind + string(b)
		if h, ok := retrieveCache[key]; ok {
			return h, nil
		}
	}
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	res, err := ki.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", ki.kind, err)
	}
	hits := make([]hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		li, err := strconv.Atoi(h.ID)
		if err != nil || li < 0 || li >= len(ki.labels) {
			continue
		}
		hits = append(hits, hit{li, h.Score})
	}
	if retrieveCache != nil {
		retrieveCache[key] = hits
	}
	return hits, nil
}

// joinCompounds joins two neighbouring words that the labels write as one
// ("web master" -> "webmaster", "sales man" -> "salesman").
func joinCompounds(ki *kindIndex, toks []queryToken) []queryToken {
	var out []queryToken
	for i := 0; i < len(toks); i++ {
		if i+1 < len(toks) {
			w := toks[i].raw + toks[i+1].raw
			if st := stem(w); st != "" {
				if _, ok := ki.terms[st]; ok {
					out = append(out, queryToken{raw: w, stem: st})
					i++
					continue
				}
			}
		}
		out = append(out, toks[i])
	}
	return out
}

// relatedStems reports whether two stems are forms of one word that the
// stemmer keeps apart: one extends the other ("financ", "financi";
// "technic", "technician"), and the shorter has at least 5 letters.
func relatedStems(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= 5 && a != b && strings.HasPrefix(b, a)
}

// labelWords returns the label's words aligned with its matching keys
// (stop words removed), for typo and prefix comparison.
func labelWords(s string) []string {
	var out []string
	for _, w := range words(s) {
		if stem(w) != "" {
			out = append(out, strings.Trim(w, "'&"))
		}
	}
	return out
}

func round(f float64) float64 { return math.Round(f*10000) / 10000 }

func isSyn(l []int32, id int32) bool {
	for _, x := range l {
		if x == id {
			return true
		}
	}
	return false
}

// toolFit finds the software and tool names in a title ("React Native",
// "ServiceNow"; one word only when occupation labels do not explain it),
// and returns, per
// occupation whose O*NET counterparts use one of them, how well the tools
// point at it (0..1; a tool of few occupations points harder).
func (n *Normalizer) toolFit(ki *kindIndex, toks []queryToken) map[*Concept]float64 {
	var fit map[*Concept]float64
	best := 0.0
	for i := range toks {
		unknown := false
		for j := i; j < len(toks) && j < i+n.t.toolLen; j++ {
			if _, ok := ki.terms[toks[j].stem]; !ok {
				unknown = true
			}
			if !unknown && j == i {
				continue // a known word alone names no tool here ("Project")
			}
			parts := make([]string, 0, j-i+1)
			for _, t := range toks[i : j+1] {
				parts = append(parts, t.raw)
			}
			occs := n.t.tools[strings.Join(parts, " ")]
			if len(occs) == 0 {
				continue
			}
			if fit == nil {
				fit = map[*Concept]float64{}
			}
			w := 1 / math.Sqrt(float64(len(occs)))
			for _, o := range occs {
				c := n.t.occupations[o]
				fit[c] += w
				best = math.Max(best, fit[c])
			}
		}
	}
	for c := range fit {
		fit[c] /= best
	}
	return fit
}
