package search

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"

	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
)

// Resolver maps free text onto ESCO: skill labels to skill URIs through an
// exact map of every preferred, alternative, hidden and mapped (O*NET) label,
// and job titles to occupations through a weighted token match over the
// occupation labels. It also infers the occupations a profile most likely
// belongs to from its skills and titles together (see InferOccupations).
// A Resolver is read-only and safe for concurrent use.
type Resolver struct {
	tax *taxonomy.Taxonomy

	skillLabels map[string][]string // normalised label -> skill URIs, best first
	sk          *skillIndex         // label words, for mentions and free text

	// Title matching over occupation labels.
	occLabels []occLabel
	postings  map[string][]int32 // token -> occLabels indexes
	idf       map[string]float64

	// Occupation-skill relations, for inference.
	occIndex  map[string]int // occupation URI -> index in occs
	occs      []*taxonomy.Concept
	essential []map[string]bool // per occupation
	optional  []map[string]bool
	nEss      []float64 // per occupation, len(essential[i]) and len(optional[i])
	nOpt      []float64
	skillOccs map[string][]occRef // skill URI -> occupations listing it
	skillBG   map[string]float64  // skill URI -> background probability

	scratch     sync.Pool // *titleScratch
	inferPool   sync.Pool // *inferScratch
	titleCache  sync.Map  // normalised title -> map[int]float64 (read-only once stored)
	titleCacheN atomic.Int64

	occText *occText // occupations by the words of their skills
}

type inferScratch struct {
	logp    []float64
	in      []bool
	touched []int32
}

type titleScratch struct {
	dots    []float64 // per occupation label
	touched []int32
	best    []float64 // per occupation
	occs    []int32
}

// occRef is an occupation listing a skill, essential or optional.
type occRef struct {
	occ   int32
	ess   bool
	dCand float32 // log-likelihood gain for a candidate's skill (Evidence.Required nil)
}

type occLabel struct {
	occ    int32
	tokens []string
	idf    float64 // sum of the IDF of its tokens
	weight float64 // preferred labels 1, others slightly less
}

// NewResolver builds the label maps from the taxonomy.
func NewResolver(t *taxonomy.Taxonomy) *Resolver {
	r := &Resolver{
		tax:         t,
		skillLabels: map[string][]string{},
		postings:    map[string][]int32{},
		idf:         map[string]float64{},
		occIndex:    map[string]int{},
		skillOccs:   map[string][]occRef{},
		skillBG:     map[string]float64{},
	}
	// Skill labels, in order of trust: preferred, alternative, hidden, mapped.
	addSkill := func(label, uri string) {
		k := NormLabel(label)
		if k == "" {
			return
		}
		for _, u := range r.skillLabels[k] {
			if u == uri {
				return
			}
		}
		r.skillLabels[k] = append(r.skillLabels[k], uri)
	}
	skills := t.Skills()
	for _, s := range skills {
		for _, l := range s.Labels {
			addSkill(l, s.URI)
		}
	}
	for _, s := range skills {
		for _, l := range s.AltLabels {
			addSkill(l, s.URI)
		}
	}
	for _, s := range skills {
		for _, l := range s.HiddenLabels {
			addSkill(l, s.URI)
		}
	}
	for _, s := range skills {
		for _, l := range s.ExtraLabels {
			addSkill(l.Label, s.URI)
		}
	}

	r.sk = newSkillIndex(skills)

	// Occupations: labels for title matching, skill sets for inference.
	r.occs = t.Occupations()
	r.essential = make([]map[string]bool, len(r.occs))
	r.optional = make([]map[string]bool, len(r.occs))
	var total float64
	for i, o := range r.occs {
		r.occIndex[o.URI] = i
		ess, opt := t.OccupationSkills(o.URI)
		r.essential[i] = make(map[string]bool, len(ess))
		r.optional[i] = make(map[string]bool, len(opt))
		for _, u := range ess {
			r.essential[i][u] = true
			r.skillOccs[u] = append(r.skillOccs[u], occRef{occ: int32(i), ess: true})
			r.skillBG[u]++
			total++
		}
		for _, u := range opt {
			if r.essential[i][u] {
				continue
			}
			r.optional[i][u] = true
			r.skillOccs[u] = append(r.skillOccs[u], occRef{occ: int32(i)})
			r.skillBG[u]++
			total++
		}
		add := func(label string, w float64) {
			toks := titleTokens(label)
			if len(toks) == 0 {
				return
			}
			r.occLabels = append(r.occLabels, occLabel{occ: int32(i), tokens: toks, weight: w})
		}
		for _, l := range o.Labels {
			add(l, 1)
		}
		for _, l := range o.AltLabels {
			add(l, 0.95)
		}
		for _, l := range o.HiddenLabels {
			add(l, 0.9)
		}
		// O*NET titles mapped onto ESCO are looser than ESCO's own
		// labels (0.7, was 0.85: realistic development set A 0.768 ->
		// 0.780, B 0.761 -> 0.763; 0.95 fell on both).
		for _, l := range o.ExtraLabels {
			add(l.Label, 0.7)
		}
	}
	r.nEss, r.nOpt = make([]float64, len(r.occs)), make([]float64, len(r.occs))
	for i := range r.occs {
		r.nEss[i], r.nOpt[i] = float64(len(r.essential[i])), float64(len(r.optional[i]))
	}
	r.scratch.New = func() any { return &titleScratch{} }
	r.inferPool.New = func() any { return &inferScratch{} }
	for u, n := range r.skillBG {
		r.skillBG[u] = n / total
	}
	for u, refs := range r.skillOccs {
		noise := inferNoise * r.skillBG[u]
		for i := range refs {
			o := refs[i].occ
			share := (1 - inferNoise) / float64(len(r.essential[o])+len(r.optional[o]))
			refs[i].dCand = float32(math.Log((noise + share) / noise))
		}
	}
	df := map[string]int{}
	for i, l := range r.occLabels {
		seen := map[string]bool{}
		for _, tok := range l.tokens {
			if !seen[tok] {
				seen[tok] = true
				df[tok]++
				r.postings[tok] = append(r.postings[tok], int32(i))
			}
		}
	}
	n := float64(len(r.occLabels))
	for tok, d := range df {
		r.idf[tok] = math.Log(1 + n/float64(d))
	}
	for i := range r.occLabels {
		l := &r.occLabels[i]
		for _, tok := range l.tokens {
			l.idf += r.idf[tok]
		}
	}
	r.buildOccText()
	return r
}

// Taxonomy returns the taxonomy the resolver was built from.
func (r *Resolver) Taxonomy() *taxonomy.Taxonomy { return r.tax }

// NormLabel normalises a label for exact matching: lower case, every run of
// white space (no-break spaces included) one space, trimmed.
func NormLabel(s string) string {
	if normalASCII(s) {
		return s
	}
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// normalASCII reports whether s is already a normalised label: ASCII, no
// upper case, single spaces between words and none at the ends (most labels
// typed or stored are; the check spares them three allocations).
func normalASCII(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80 || ('A' <= c && c <= 'Z') || ('\t' <= c && c <= '\r'):
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		}
	}
	return true
}

// Skill returns the ESCO skill URIs a label names, best first (preferred
// labels before alternative ones), or nil.
func (r *Resolver) Skill(label string) []string {
	return r.skillLabels[NormLabel(label)]
}

// skillsInMaxWords bounds the words of a text SkillsIn looks into.
const skillsInMaxWords = 16

// SkillsIn returns the ESCO skills a free text names: the whole text as a
// label, then every run of its first skillsInMaxWords words that is one,
// longest runs first ("excel bookkeeping" names both), each URI once.
func (r *Resolver) SkillsIn(text string) []string {
	out := append([]string(nil), r.Skill(text)...)
	seen := map[string]bool{}
	for _, u := range out {
		seen[u] = true
	}
	words := strings.Fields(NormLabel(text))
	words = words[:min(len(words), skillsInMaxWords)]
	for n := len(words); n >= 1; n-- {
		for i := 0; i+n <= len(words); i++ {
			for _, u := range r.skillLabels[strings.Join(words[i:i+n], " ")] {
				if !seen[u] {
					seen[u] = true
					out = append(out, u)
				}
			}
		}
	}
	return out
}

// titleStop are words that say nothing about the occupation: function words,
// seniority, contract terms and recruitment noise.
var titleStop = map[string]bool{
	"a": true, "an": true, "and": true, "or": true, "of": true, "the": true, "for": true, "in": true,
	"at": true, "to": true, "with": true, "cum": true, "on": true, "by": true, "de": true,
	"senior": true, "sr": true, "junior": true, "jr": true, "trainee": true, "intern": true,
	"internship": true, "full": true, "part": true, "time": true, "fulltime": true, "parttime": true,
	"permanent": true, "temporary": true, "temp": true, "contract": true, "male": true, "female": true,
	"only": true, "urgent": true, "hiring": true, "immediate": true, "i": true, "ii": true, "iii": true,
	"iv": true, "1": true, "2": true, "3": true, "new": true, "experienced": true, "fresh": true,
	"graduate": true, "level": true, "entry": true, "mid": true,
}

// titleAbbrev expands common abbreviations in job titles.
var titleAbbrev = map[string]string{
	"mgr": "manager", "eng": "engineer", "engr": "engineer", "exec": "executive", "asst": "assistant",
	"asst.": "assistant", "admin": "administrative", "tech": "technician", "dev": "developer",
	"acct": "accountant", "rep": "representative", "coord": "coordinator", "it": "ict",
	"hr": "human resources", "qa": "quality assurance", "qc": "quality control", "cs": "customer service",
	"svc": "service", "ops": "operations", "dir": "director", "supv": "supervisor", "spvr": "supervisor",
	"sup": "supervisor", "pm": "project manager", "sw": "software", "swe": "software engineer",
	"sde": "software developer", "dba": "database administrator", "ui": "user interface",
	"ux": "user experience", "f&b": "food beverage", "r&d": "research development",
}

// rankStems are the stems of words that name a grade more than a job in
// many titles ("Marketing Executive", "HR Officer", "Team Lead"); in a
// longer title they count rankWeight of their IDF (as in the taxonomy
// normaliser's rankWords). Realistic development set: A 0.765 -> 0.768,
// B 0.759 -> 0.761; resolver title MRR on the JobBERT split 0.353 -> 0.356
// (alternate rows 0.357 / 0.355).
var rankStems = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("executive officer associate staff lead leader principal head chief team crew member personnel professional specialist") {
		m[stem(w)] = true
	}
	return m
}()

const rankWeight = 0.5

// titleTokens splits a title into stemmed, meaningful tokens.
func titleTokens(s string) []string {
	s = strings.ToLower(s)
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '&' && r != '+' && r != '#'
	})
	var out []string
	for _, w := range words {
		w = strings.Trim(w, "&")
		if w == "" {
			continue
		}
		if x, ok := titleAbbrev[w]; ok {
			for _, p := range strings.Fields(x) {
				out = append(out, stem(p))
			}
			continue
		}
		if titleStop[w] {
			continue
		}
		out = append(out, stem(w))
	}
	return out
}

func stem(w string) string {
	for _, r := range w {
		if r > unicode.MaxASCII {
			return w
		}
	}
	env := snowballstem.NewEnv(w)
	english.Stem(env)
	return env.Current()
}

// OccScore is an occupation with a score.
type OccScore struct {
	URI   string
	Score float64
}

// Titles returns the occupations whose labels best match a job title (see
// titleSims; the best label of each occupation counts), best first, at most
// limit.
func (r *Resolver) Titles(title string, limit int) []OccScore {
	sims := r.titleSims(title)
	out := make([]OccScore, 0, len(sims))
	for _, s := range sims {
		out = append(out, OccScore{URI: r.occs[s.occ].URI, Score: float64(s.s)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].URI < out[j].URI
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// titleSims returns, per occupation index, the similarity of its best label
// to title (only occupations sharing a token appear): how much of the
// title's stemmed words the label covers and how much of the label's words
// the title covers, both weighted by IDF, mixed as titleCoverQuery :
// titleCoverLabel, times the label's weight. Real titles carry words no
// label has ("Senior Test Analyst", "Tendering Manager"), so the label's
// coverage counts a little more than the title's.
func (r *Resolver) titleSims(title string) []titleSimOcc {
	toks := titleTokens(title)
	if len(toks) == 0 {
		return nil
	}
	sorted := append([]string(nil), toks...)
	sort.Strings(sorted)
	key := strings.Join(dedupe(sorted), " ")
	if v, ok := r.titleCache.Load(key); ok {
		return v.([]titleSimOcc)
	}
	out := r.computeTitleSims(toks)
	if r.titleCacheN.Add(1) > titleCacheMax {
		r.titleCache.Clear()
		r.titleCacheN.Store(0)
	}
	r.titleCache.Store(key, out)
	return out
}

// titleCacheMax bounds the title similarity cache (titles repeat a lot).
const titleCacheMax = 50000

// A title's similarities keep the titleSimKeep best occupations at or above
// titleSimFloor: weaker ones barely move an inference.
const (
	titleSimKeep  = 64
	titleSimFloor = 0.15
)

// The mix of title and label coverage in titleSims, the taxonomy
// normaliser's (WQuery, WLabel in internal/taxonomy). Against the cosine
// used before: title MRR on the JobBERT development split 0.339 -> 0.353
// (alternate rows 0.353 / 0.353).
const (
	titleCoverQuery = 1.0
	titleCoverLabel = 1.125
)

// titleSimOcc is an occupation (index) and its similarity to a title.
type titleSimOcc struct {
	occ int32
	s   float32
}

func (r *Resolver) computeTitleSims(toks []string) []titleSimOcc {
	q := map[string]float64{}
	for _, t := range toks {
		q[t] = r.idf[t]
		if rankStems[t] && len(toks) > 1 {
			q[t] *= rankWeight
		}
	}
	var qn float64
	for t, w := range q {
		if w == 0 {
			// Unknown to every label: still lengthens the query a little.
			w = 1
			q[t] = 0
		}
		qn += w
	}
	sc := r.scratch.Get().(*titleScratch)
	defer r.scratch.Put(sc)
	if len(sc.dots) != len(r.occLabels) {
		sc.dots = make([]float64, len(r.occLabels))
		sc.best = make([]float64, len(r.occs))
	}
	sc.touched, sc.occs = sc.touched[:0], sc.occs[:0]
	for t, w := range q {
		if w == 0 {
			continue
		}
		for _, li := range r.postings[t] {
			if sc.dots[li] == 0 {
				sc.touched = append(sc.touched, li)
			}
			sc.dots[li] += w
		}
	}
	for _, li := range sc.touched {
		d := sc.dots[li]
		sc.dots[li] = 0
		l := &r.occLabels[li]
		s := l.weight * (titleCoverQuery*d/qn + titleCoverLabel*d/l.idf) / (titleCoverQuery + titleCoverLabel)
		if s < titleSimFloor {
			continue
		}
		if sc.best[l.occ] == 0 {
			sc.occs = append(sc.occs, l.occ)
		}
		if s > sc.best[l.occ] {
			sc.best[l.occ] = s
		}
	}
	out := make([]titleSimOcc, 0, len(sc.occs))
	for _, o := range sc.occs {
		out = append(out, titleSimOcc{o, float32(sc.best[o])})
		sc.best[o] = 0
	}
	slices.SortFunc(out, func(a, b titleSimOcc) int {
		if a.s != b.s {
			return cmp.Compare(b.s, a.s)
		}
		return cmp.Compare(a.occ, b.occ)
	})
	if len(out) > titleSimKeep {
		out = append([]titleSimOcc(nil), out[:titleSimKeep]...)
	}
	return out
}

// Evidence is what a profile says about its occupation.
type Evidence struct {
	// Skills are resolved skill URIs; alternatives for one mention are
	// given together (the best-fitting one counts).
	Skills [][]string
	// Required marks which Skills are a role's required skills (they come
	// mostly from an occupation's essential skills); nil for candidates.
	Required []bool
	// Weights, when not nil, is how sure each of Skills is (1 for a
	// confirmed skill, less for one resolved loosely or read from free
	// text): it scales what the mention says.
	Weights []float64
	// Titles are job titles with a weight (1 for the current one).
	Titles []WeightedTitle
	// Texts are free texts (a description, a summary) with a weight: each
	// adds textWeight × weight × its similarity to an occupation's skill
	// words (Resolver.textSims) to that occupation's log-odds.
	Texts []WeightedTitle
	// Known are occupation URIs given explicitly (desired occupations,
	// resolved titles), with a weight.
	Known []OccScore
}

// WeightedTitle is a job title and how much it says about the profile.
type WeightedTitle struct {
	Title  string
	Weight float64
}

// Inference constants. A profile's skills are modelled as drawn from its
// occupation's ESCO skills (a role's required skills mostly from the
// essential ones), with a little room for skills from elsewhere; a title adds
// titleWeight × similarity to the log-odds of each occupation (6, was 4
// with the cosine title similarity: on the realistic development set, half
// A 0.734 -> 0.759, half B 0.740 -> 0.745). inferEssShare was 0.8 (0.9:
// A 0.759 -> 0.763, B 0.743 -> 0.753).
//
// textWeight scales a free text's similarity to an occupation's skill words
// (a role's description; see textSims): 12 took the realistic development
// set from A 0.780 / B 0.763 to 0.807 / 0.767 (8: 0.803 / 0.764, 16:
// 0.804 / 0.758; match-dev unchanged at 0.987).
const (
	inferNoise    = 0.05 // share of a profile's skills not from its occupation
	inferEssShare = 0.9  // share of required skills drawn from essential ones
	titleWeight   = 6.0
	knownWeight   = 6.0
	textWeight    = 12.0
	inferKeep     = 12 // occupations kept per profile
)

// InferOccupations returns a probability distribution over the occupations
// a profile belongs to (at most inferKeep, best first), combining a naive
// Bayes model of its skills with title similarity.
func (r *Resolver) InferOccupations(ev Evidence) []OccScore {
	// Log-likelihoods relative to "no skill from this occupation": every
	// occupation starts at 0 and gains, for each skill it lists, the log
	// ratio of drawing the skill from it against drawing it as noise.
	sc := r.inferPool.Get().(*inferScratch)
	defer r.inferPool.Put(sc)
	if len(sc.logp) != len(r.occs) {
		sc.logp = make([]float64, len(r.occs))
		sc.in = make([]bool, len(r.occs))
	}
	sc.touched = sc.touched[:0]
	add := func(o int32, d float64) {
		if !sc.in[o] {
			sc.in[o] = true
			sc.touched = append(sc.touched, o)
		}
		sc.logp[o] += d
	}
	defer func() {
		for _, o := range sc.touched {
			sc.logp[o], sc.in[o] = 0, false
		}
	}()
	var mention map[int32]float64
	for i, alts := range ev.Skills {
		required := ev.Required != nil && ev.Required[i]
		weight := 1.0
		if ev.Weights != nil {
			weight = ev.Weights[i]
		}
		if len(alts) > 1 || weight != 1 {
			mention = map[int32]float64{}
		}
		for _, u := range alts {
			bg := r.skillBG[u]
			if bg == 0 {
				bg = 1e-6
			}
			noise := inferNoise * bg
			for _, ref := range r.skillOccs[u] {
				if ev.Required == nil && mention == nil {
					add(ref.occ, float64(ref.dCand))
					continue
				}
				ne, no := r.nEss[ref.occ], r.nOpt[ref.occ]
				var share float64
				switch {
				case ev.Required == nil:
					share = (1 - inferNoise) / (ne + no)
				case required && ref.ess:
					share = (1 - inferNoise) * inferEssShare / ne
				case required:
					share = (1 - inferNoise) * (1 - inferEssShare) / no
				case ref.ess: // a preferred skill among the essential ones
					share = (1 - inferNoise) * (1 - inferEssShare) / ne
				default:
					share = (1 - inferNoise) * inferEssShare / no
				}
				d := math.Log((noise + share) / noise)
				if mention != nil {
					if d > mention[ref.occ] {
						mention[ref.occ] = d
					}
				} else {
					add(ref.occ, d)
				}
			}
		}
		for o, d := range mention {
			add(o, weight*d)
		}
		mention = nil
	}
	nSkills := len(ev.Skills)
	for _, t := range ev.Titles {
		for _, ts := range r.titleSims(t.Title) {
			s := float64(ts.s)
			if !sc.in[ts.occ] && s < 0.5 && nSkills >= 3 {
				continue // title-only occupations join when skills are few
			}
			add(ts.occ, titleWeight*t.Weight*s)
		}
	}
	for _, t := range ev.Texts {
		sims := r.textSims(t.Title)
		for _, ts := range sims {
			s := float64(ts.s)
			if !sc.in[ts.occ] && s < 0.5*float64(sims[0].s) {
				// Occupations only the text names join when close to its
				// best (so a posting titled "Staff" still finds its
				// occupation; on the realistic set the same figures as
				// an absolute 0.5).
				continue
			}
			add(ts.occ, textWeight*t.Weight*s)
		}
	}
	for _, k := range ev.Known {
		if i, ok := r.occIndex[k.URI]; ok {
			add(int32(i), knownWeight*k.Score)
		}
	}
	if len(sc.touched) == 0 {
		return nil
	}
	best := math.Inf(-1)
	for _, o := range sc.touched {
		lp := sc.logp[o]
		if lp > best {
			best = lp
		}
	}
	var sum float64
	out := make([]OccScore, 0, 64)
	for _, o := range sc.touched {
		lp := sc.logp[o]
		p := math.Exp(lp - best)
		sum += p
		if p > 1e-4 {
			out = append(out, OccScore{URI: r.occs[o].URI, Score: p})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].URI < out[j].URI
	})
	out = out[:min(len(out), inferKeep)]
	kept := make([]OccScore, len(out))
	for i, o := range out {
		kept[i] = OccScore{URI: o.URI, Score: o.Score / sum}
	}
	return kept
}

// ISCO returns the 4-digit ISCO group of an occupation ("" if unknown).
func (r *Resolver) ISCO(occURI string) string {
	if i, ok := r.occIndex[occURI]; ok {
		return r.occs[i].ISCOGroup
	}
	return ""
}

// OccupationLabel returns an occupation's preferred label in lang.
func (r *Resolver) OccupationLabel(occURI, lang string) string {
	if i, ok := r.occIndex[occURI]; ok {
		return r.tax.Label(r.occs[i], lang)
	}
	return ""
}

// broaderSkills returns the skill's direct broader skills and groups.
func (r *Resolver) broaderSkills(uri string) []string {
	c, ok := r.tax.Skill(uri)
	if !ok {
		return nil
	}
	return c.Broader
}
