package taxonomy

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
)

// indexFormat changes whenever the index layout or analysis changes, so an
// index on disk built by older code is rebuilt.
const indexFormat = "3"

// Label types, in order of trust.
const (
	labelPreferred uint8 = iota
	labelAlt
	labelHidden
	labelExtra
	labelJa
	labelAr
)

// label is one indexed label of a concept (one Bleve document).
type label struct {
	c     *Concept
	text  string
	typ   uint8
	toks  []int32  // term ids of the matching keys (English labels)
	words []string // the words behind toks, lower case, for typo and prefix matching
}

// kindIndex is the label index of one kind of concept.
type kindIndex struct {
	kind   string
	idx    bleve.Index
	labels []label
	terms  map[string]int32
	idf    []float32
	prior  []float32         // per label: prior of its concept, 0..1
	narrow []float32         // per label: how many narrower concepts its concept has, 0..1
	shared []float32         // per label: how many other concepts have the same label, 0..1
	head   []int32           // per label: term id of the head word (last token), -1 if none
	names  []string          // term id -> matching key
	senior []bool            // term id -> names a senior grade ("manager", "director")
	syn    map[int32][]int32 // term id -> words that replace it in other names of the same concepts
}

// Normalizer maps free text onto ESCO occupations and skills. It is safe
// for concurrent use.
type Normalizer struct {
	t     *Taxonomy
	occ   *kindIndex
	skill *kindIndex

	closeOnce sync.Once
	closeErr  error
}

// Result is one suggested concept.
type Result struct {
	URI     string  `json:"uri"`
	Label   string  `json:"label"`
	Score   float64 `json:"score"`
	Matched string  `json:"matched,omitempty"` // the label that matched
}

// OpenNormalizer opens the taxonomy index under dir, building it when it is
// missing or was built from other data; with dir == "" it builds it in
// memory.
func OpenNormalizer(dir string, t *Taxonomy) (*Normalizer, error) {
	return OpenNormalizerContext(context.Background(), dir, t)
}

// OpenNormalizerContext is OpenNormalizer that gives up building the index
// when ctx ends (a server told to stop while it builds on a first run), and
// returns ctx's error; the half-built index is removed on the next opening.
func OpenNormalizerContext(ctx context.Context, dir string, t *Taxonomy) (*Normalizer, error) {
	if t == nil {
		return nil, errors.New("open normalizer: nil taxonomy")
	}
	n := &Normalizer{t: t}
	n.occ = newKindIndex(KindOccupation, t.occupations, func(c *Concept) float64 {
		// Occupations with many names are the ones people hold and type.
		return math.Log1p(float64(len(c.AltLabels)+len(c.ExtraLabels))) / math.Log(100)
	})
	n.skill = newKindIndex(KindSkill, t.skills, func(c *Concept) float64 {
		// Skills many occupations need are the ones postings mention.
		return math.Log1p(float64(t.skillUse[c.index])) / math.Log(1000)
	})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, ki := range []*kindIndex{n.occ, n.skill} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = ki.open(ctx, dir, t.version)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		n.Close()
		return nil, fmt.Errorf("open normalizer: %w", err)
	}
	return n, nil
}

// Close releases the indexes. Closing twice is harmless.
func (n *Normalizer) Close() error {
	n.closeOnce.Do(func() {
		var errs []error
		for _, ki := range []*kindIndex{n.occ, n.skill} {
			if ki != nil && ki.idx != nil {
				errs = append(errs, ki.idx.Close())
			}
		}
		n.closeErr = errors.Join(errs...)
	})
	return n.closeErr
}

// Occupations suggests ESCO occupations for a job title, best first. lang
// chooses the language of the returned labels (and hints the query's).
func (n *Normalizer) Occupations(ctx context.Context, q, lang string, limit int) ([]Result, error) {
	return n.search(ctx, n.occ, q, lang, limit, true)
}

// Skills suggests ESCO skills for a skill mention, best first.
func (n *Normalizer) Skills(ctx context.Context, q, lang string, limit int) ([]Result, error) {
	return n.search(ctx, n.skill, q, lang, limit, false)
}

// skipExtra, when set (experiments only), leaves mapped-on labels out.
var skipExtra func(ExtraLabel) bool

func newKindIndex(kind string, concepts []*Concept, prior func(*Concept) float64) *kindIndex {
	ki := &kindIndex{kind: kind, terms: map[string]int32{}}
	df := map[int32]int{}
	add := func(c *Concept, text string, typ uint8) {
		if text == "" {
			return
		}
		l := label{c: c, text: text, typ: typ}
		if typ < labelJa {
			seen := map[int32]bool{}
			l.words = labelWords(text)
			for _, s := range analyzeLabel(text) {
				id, ok := ki.terms[s]
				if !ok {
					id = int32(len(ki.terms))
					ki.terms[s] = id
				}
				l.toks = append(l.toks, id)
				if !seen[id] {
					seen[id] = true
					df[id]++
				}
			}
		}
		ki.labels = append(ki.labels, l)
	}
	for _, c := range concepts {
		seen := map[string]bool{}
		en := func(s string, typ uint8) {
			k := strings.ToLower(s)
			if !seen[k] {
				seen[k] = true
				add(c, s, typ)
			}
		}
		en(c.Labels["en"], labelPreferred)
		for _, s := range c.AltLabels {
			en(s, labelAlt)
		}
		for _, s := range c.HiddenLabels {
			en(s, labelHidden)
		}
		for _, e := range c.ExtraLabels {
			if skipExtra == nil || !skipExtra(e) {
				en(e.Label, labelExtra)
			}
		}
		add(c, c.Labels["ja"], labelJa)
		add(c, c.Labels["ar"], labelAr)
	}
	n := float64(len(ki.labels))
	ki.idf = make([]float32, len(ki.terms))
	for id := range ki.idf {
		ki.idf[id] = float32(math.Log(1 + n/float64(1+df[int32(id)])))
	}
	ki.names = make([]string, len(ki.terms))
	ki.senior = make([]bool, len(ki.terms))
	for s, i := range ki.terms {
		ki.names[i] = s
		ki.senior[i] = seniorStems[s]
	}
	ki.syn = learnSynonyms(ki)
	ki.prior = make([]float32, len(ki.labels))
	ki.narrow = make([]float32, len(ki.labels))
	ki.shared = make([]float32, len(ki.labels))
	sameText := map[string]int{}
	for _, l := range ki.labels {
		sameText[strings.ToLower(l.text)]++
	}
	byURI := map[string]*Concept{}
	for _, c := range concepts {
		byURI[c.URI] = c
	}
	children := map[*Concept]int{}
	for _, c := range concepts {
		for _, b := range c.Broader {
			if p, ok := byURI[b]; ok {
				children[p]++
			}
		}
	}
	ki.head = make([]int32, len(ki.labels))
	for i, l := range ki.labels {
		ki.prior[i] = float32(math.Min(1, prior(l.c)))
		ki.narrow[i] = float32(math.Min(1, math.Log1p(float64(children[l.c]))/math.Log(10)))
		ki.shared[i] = float32(math.Min(1, math.Log(float64(sameText[strings.ToLower(l.text)]))/math.Log(10)))
		ki.head[i] = -1
		if len(l.toks) > 0 {
			ki.head[i] = l.toks[len(l.toks)-1]
		}
	}
	return ki
}

func indexMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer("keys", map[string]any{
		"type": custom.Name, "tokenizer": whitespace.Name, "token_filters": []any{},
	}); err != nil {
		return nil, err
	}
	text := func(analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = true
		f.DocValues = false
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("en", text("keys"))  // matching keys (stems), see analyzeLabel
	dm.AddFieldMappingsAt("raw", text("keys")) // lower-case words, for fuzzy and prefix
	dm.AddFieldMappingsAt("ja", text(cjk.AnalyzerName))
	dm.AddFieldMappingsAt("ar", text(ar.AnalyzerName))
	im.DefaultMapping = dm
	im.DefaultAnalyzer = "keys"
	return im, nil
}

func (ki *kindIndex) open(ctx context.Context, dir, version string) error {
	im, err := indexMapping()
	if err != nil {
		return err
	}
	want := version + "-" + indexFormat
	if dir == "" {
		idx, err := bleve.NewUsing("", im, scorch.Name, scorch.Name, nil)
		if err != nil {
			return err
		}
		ki.idx = idx
		return ki.fill(ctx)
	}
	path := filepath.Join(dir, "taxonomy-"+ki.kind+".bleve")
	stamp := filepath.Join(dir, "taxonomy-"+ki.kind+".version")
	if b, err := os.ReadFile(stamp); err == nil && strings.TrimSpace(string(b)) == want {
		if idx, err := bleve.Open(path); err == nil {
			ki.idx = idx
			return nil
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Build beside, then swap in.
	tmp := path + ".tmp"
	os.RemoveAll(tmp)
	idx, err := bleve.NewUsing(tmp, im, scorch.Name, scorch.Name, nil)
	if err != nil {
		return err
	}
	ki.idx = idx
	if err := ki.fill(ctx); err != nil {
		idx.Close()
		ki.idx = nil // closed here; Normalizer.Close must not close it again
		return err
	}
	if err := idx.Close(); err != nil {
		return err
	}
	os.Remove(stamp)
	if err := os.RemoveAll(path); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if err := os.WriteFile(stamp, []byte(want+"\n"), 0o644); err != nil {
		return err
	}
	ki.idx, err = bleve.Open(path)
	return err
}

func (ki *kindIndex) fill(ctx context.Context) error {
	b := ki.idx.NewBatch()
	for i, l := range ki.labels {
		if i%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		doc := map[string]any{}
		switch l.typ {
		case labelJa:
			doc["ja"] = l.text
		case labelAr:
			doc["ar"] = l.text
		default:
			keys := make([]string, len(l.toks))
			for j, id := range l.toks {
				keys[j] = ki.termName(id)
			}
			doc["en"] = strings.Join(keys, " ")
			doc["raw"] = strings.Join(words(l.text), " ")
		}
		if err := b.Index(strconv.Itoa(i), doc); err != nil {
			return err
		}
		if b.Size() >= 10000 {
			if err := ki.idx.Batch(b); err != nil {
				return err
			}
			b.Reset()
		}
	}
	return ki.idx.Batch(b)
}

func (ki *kindIndex) termName(id int32) string { return ki.names[id] }

// synMinConcepts is how many concepts must name themselves both ways
// ("factory worker", "factory operative") before two words count as
// interchangeable.
const synMinConcepts = 3

// learnSynonyms learns interchangeable words from the concepts' own names:
// two labels of one concept that differ in one word only ("kitchen helper",
// "kitchen assistant") say the two words can stand for each other. A pair
// counts when several concepts agree; grade and seniority words are left
// out (a manager is no supervisor).
func learnSynonyms(ki *kindIndex) map[int32][]int32 {
	type pair struct{ a, b int32 }
	count := map[pair]int{}
	skip := func(id int32) bool {
		n := ki.names[id]
		return seniorStems[n] || seniorityStems[n]
	}
	var toks [][]int32
	flush := func() {
		seen := map[pair]bool{}
		for i := range toks {
			for j := i + 1; j < len(toks); j++ {
				a, b := toks[i], toks[j]
				if len(a) != len(b) || len(a) == 0 {
					continue
				}
				d := -1
				for k := range a {
					if a[k] != b[k] {
						if d >= 0 {
							d = -2
							break
						}
						d = k
					}
				}
				if d < 0 || skip(a[d]) || skip(b[d]) {
					continue
				}
				x, y := a[d], b[d]
				if x > y {
					x, y = y, x
				}
				seen[pair{x, y}] = true
			}
		}
		for p := range seen {
			count[p]++
		}
		toks = toks[:0]
	}
	var prev *Concept
	for _, l := range ki.labels {
		if l.c != prev {
			flush()
			prev = l.c
		}
		if l.typ < labelJa && len(toks) < 200 {
			toks = append(toks, l.toks)
		}
	}
	flush()
	syn := map[int32][]int32{}
	for p, n := range count {
		if n >= synMinConcepts {
			syn[p.a] = append(syn[p.a], p.b)
			syn[p.b] = append(syn[p.b], p.a)
		}
	}
	return syn
}
