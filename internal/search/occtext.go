package search

import (
	"cmp"
	"math"
	"slices"
)

// Occupations from free text. A posting pasted in, or a summary, says what
// the work is in sentences about its skills ("ensure timely and efficient
// project execution"), seldom in any one skill's label. occText scores
// every occupation against such text as a document made of the words of
// its ESCO skills' labels (essential ones counting more than optional
// ones) and of its own labels: a TF-IDF cosine, computed when a profile is
// built, never at query time.
type occText struct {
	postings map[string][]occPosting // stemmed word -> occupations using it
	idf      map[string]float64
	norm     []float64 // per occupation, the length of its vector
}

type occPosting struct {
	occ int32
	w   float32 // (1 + log tf) × idf, before normalisation
}

// Weights of an occupation's words by where they come from.
const (
	occTextEss = 1.0
	occTextOpt = 0.5
	occTextOwn = 1.0
	occTextAlt = 0.5 // an alternative label's words, times its concept's weight
)

func (r *Resolver) buildOccText() {
	x := &occText{postings: map[string][]occPosting{}, idf: map[string]float64{}}
	tfs := make([]map[string]float64, len(r.occs))
	df := map[string]int{}
	for i, o := range r.occs {
		tf := map[string]float64{}
		addLabel := func(l string, w float64) {
			ws, _ := skillWords(l, false)
			for _, word := range ws {
				tf[word] += w
			}
		}
		addSkill := func(u string, w float64) {
			c, ok := r.tax.Skill(u)
			if !ok {
				return
			}
			addLabel(c.Labels["en"], w)
			for _, l := range c.AltLabels {
				addLabel(l, w*occTextAlt)
			}
		}
		for u := range r.essential[i] {
			addSkill(u, occTextEss)
		}
		for u := range r.optional[i] {
			addSkill(u, occTextOpt)
		}
		addLabel(o.Labels["en"], occTextOwn)
		for _, l := range o.AltLabels {
			addLabel(l, occTextOwn*0.5)
		}
		tfs[i] = tf
		for w := range tf {
			df[w]++
		}
	}
	n := float64(len(r.occs))
	for w, d := range df {
		x.idf[w] = math.Log(1 + n/float64(d))
	}
	x.norm = make([]float64, len(r.occs))
	for i, tf := range tfs {
		var s float64
		for w, f := range tf {
			v := (1 + math.Log1p(f)) * x.idf[w]
			s += v * v
			x.postings[w] = append(x.postings[w], occPosting{int32(i), float32(v)})
		}
		x.norm[i] = math.Sqrt(s)
	}
	r.occText = x
}

// textSims returns the occupations whose skill words best match a free
// text (cosine, best first, at most titleSimKeep).
func (r *Resolver) textSims(text string) []titleSimOcc {
	x := r.occText
	ws, _ := skillWords(text, false)
	if len(ws) == 0 || x == nil {
		return nil
	}
	q := map[string]float64{}
	for _, w := range ws {
		q[w]++
	}
	var qn float64
	dots := map[int32]float64{}
	for w, f := range q {
		idf := x.idf[w]
		if idf == 0 {
			continue
		}
		v := (1 + math.Log(f)) * idf
		qn += v * v
		for _, p := range x.postings[w] {
			dots[p.occ] += v * float64(p.w)
		}
	}
	if qn == 0 {
		return nil
	}
	qn = math.Sqrt(qn)
	out := make([]titleSimOcc, 0, len(dots))
	for o, d := range dots {
		out = append(out, titleSimOcc{o, float32(d / (qn * x.norm[o]))})
	}
	slices.SortFunc(out, func(a, b titleSimOcc) int {
		if a.s != b.s {
			return cmp.Compare(b.s, a.s)
		}
		return cmp.Compare(a.occ, b.occ)
	})
	return out[:min(len(out), titleSimKeep)]
}
