package taxonomy

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// params weighs the evidence the reranker combines. The two sets below were
// tuned by hand on the development splits of the JobBERT title set and the
// skill-span sets (../shared/eval); they are few and general on purpose.
type params struct {
	Candidates int     // Bleve label hits reranked
	WQuery     float64 // share of the query's words (idf-weighted) the label covers
	WLabel     float64 // share of the label's words the query covers
	WHead      float64 // the label's head word (last) is the query's head word
	WPref      float64 // the label is the preferred one
	WPrior     float64 // how common the concept is (labels, skill use)
	WBroad     float64 // the concept has narrower ones (ESCO hierarchy)
	WBleve     float64 // Bleve's own BM25 score, relative to the best hit
	WMulti     float64 // several labels of the concept match fully
	Fuzzy      float64 // credit of a one-edit match (typo)
	Prefix     float64 // credit of a prefix match of the last word (autocomplete)
	HiddenPen  float64 // hidden and mapped-on labels are trusted less
	WSegment   float64 // factor on the score of a part of a title (0: parts not tried)
}

var titleParams = params{
	Candidates: 200, WQuery: 1, WLabel: 0.75, WHead: 0, WPref: 0.225, WPrior: 0.05, WBroad: 0,
	WBleve: 0.1, WMulti: 0.02, Fuzzy: 0.8, Prefix: 0.6, HiddenPen: 0.15, WSegment: 0.9,
}

var skillParams = params{
	Candidates: 200, WQuery: 1, WLabel: 0.5, WHead: 0, WPref: 0.05, WPrior: 0.05, WBroad: 0,
	WBleve: 0, WMulti: 0.02, Fuzzy: 0.8, Prefix: 0.6, HiddenPen: 0.05,
}

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
	found, err := n.searchEn(ctx, ki, toks, p)
	if err != nil {
		return nil, err
	}
	// A title that lists several ("Accounts cum Admin Clerk", "Sales /
	// Marketing Executive - Insurance") is also tried part by part; a part
	// counts a little less than the whole.
	if segs := titleSegments(q); title && len(segs) > 1 && p.WSegment > 0 {
		best := map[*Concept]*scored{}
		for _, sc := range found {
			best[sc.c] = sc
		}
		for _, seg := range segs {
			st := prepareQuery(seg, title)
			if len(st) == 0 || len(st) == len(toks) {
				continue
			}
			more, err := n.searchEn(ctx, ki, st, p)
			if err != nil {
				return nil, err
			}
			for _, sc := range more {
				sc.score *= p.WSegment
				if b, ok := best[sc.c]; !ok || sc.score > b.score {
					best[sc.c] = sc
				}
			}
		}
		found = found[:0]
		for _, sc := range best {
			found = append(found, sc)
		}
		sort.Slice(found, func(i, j int) bool {
			if found[i].score != found[j].score {
				return found[i].score > found[j].score
			}
			return found[i].c.URI < found[j].c.URI
		})
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

var segmentSeparators = regexp.MustCompile(`(?i)\s+[-–—]\s+|[|/,;:()\[\]]|\s+cum\s+|\s+@\s+`)

// titleSegments splits a title on the separators that list several jobs
// or add a place or a department.
func titleSegments(q string) []string {
	var out []string
	for _, s := range segmentSeparators.Split(genderMarks.ReplaceAllString(q, " "), -1) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
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
	full    int // labels fully covering the query
}

// searchEn ranks concepts for an English (Latin-script) query: Bleve finds
// candidate labels, then each is scored on the evidence in params, and a
// concept takes its best label's score, on 0..1.
func (n *Normalizer) searchEn(ctx context.Context, ki *kindIndex, toks []queryToken, p params) ([]*scored, error) {
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
		wq += qw[i]
	}
	last := len(toks) - 1

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
		var mq, headHit float64
		var lwords []string
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
				if lwords == nil {
					lwords = labelWords(l.text)
				}
				for j, w := range lwords {
					if j >= len(l.toks) {
						break
					}
					c := 0.0
					switch {
					case i == last && len(w) > len(t.raw) && strings.HasPrefix(w, t.raw):
						c = p.Prefix
					case len(t.raw) >= 4 && editDistanceAtMost1(t.raw, w):
						c = p.Fuzzy
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
				if bestJ == len(l.toks)-1 {
					if i == last {
						headHit = math.Max(headHit, best)
					} else {
						headHit = math.Max(headHit, 0.5*best)
					}
				}
			}
		}
		var wl, ml float64
		for j, id := range l.toks {
			w := float64(ki.idf[id])
			wl += w
			ml += lcredit[j] * w
		}
		covQ := math.Min(1, mq/wq)
		covL := ml / wl
		s := p.WQuery*covQ + p.WLabel*covL + p.WHead*headHit + p.WPrior*float64(ki.prior[li]) + p.WBroad*float64(ki.broad[li]) +
			p.WBleve*h.score/maxScore
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
		if covQ > 0.999 && covL > 0.999 {
			sc.full++
		}
		if s > sc.score {
			sc.score, sc.matched = s, l.text
		}
	}
	for _, sc := range order {
		sc.score += p.WMulti * math.Min(3, float64(sc.full))
	}
	// Scores are reported on 0..1: the share of the best conceivable
	// evidence (an exact preferred label of a common, general concept).
	top := p.WQuery + p.WLabel + p.WHead + p.WPref + p.WPrior + p.WBroad + p.WBleve + 3*p.WMulti
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
