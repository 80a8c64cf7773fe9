package search

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Requirement codes, reported in Unmet.
const (
	UnmetJapanese     = "japanese_level" // the candidate's Japanese is below the role's
	UnmetLocation     = "location"       // on-site or hybrid role elsewhere, no relocation
	UnmetAvailability = "availability"   // the candidate is available too late
)

// How a skill was matched.
const (
	ViaExact    = "exact"    // same ESCO skill, same words
	ViaSynonym  = "synonym"  // same ESCO skill, written differently
	ViaNarrower = "narrower" // the candidate has a more specific skill
	ViaBroader  = "broader"  // the candidate has the more general skill
	ViaLabel    = "label"    // unresolved, but the same words
)

// Score weights. A match's raw score is the expected value of the fit it
// promises: same occupation counts 3 and up to 4 more as the candidate holds
// the role's required skills (full at half of them), another occupation of
// the same ISCO group 1, with small terms for skill coverage and title words
// to order the rest; every unmet hard requirement multiplies it by
// demoteFactor. Scores are reported divided by scoreScale (about 0..1).
const (
	wSameOcc     = 3.0
	wSameOccReq  = 4.0
	wSameISCO    = 1.0
	wRequired    = 1.0
	wPreferred   = 0.2
	wText        = 1.0
	demoteFactor = 0.3
	scoreScale   = 8.0
	narrowCredit = 0.6
	broadCredit  = 0.3
)

// Match levels, for people: a score's number reads as a grade ("11%:
// nobody fits") when it is an expected gain.
const (
	LevelStrong  = "strong"  // very likely the role's occupation, with its skills
	LevelGood    = "good"    // likely a neighbouring occupation or a near fit
	LevelPartial = "partial" // some skills or words in common
)

// Score thresholds of the levels, chosen on half A of the realistic
// development set (roles split by a hash of their id) so that the levels
// order candidates by their true gain, and checked on half B: in the top 10,
// strong (>= 0.34) holds a same-occupation candidate 98% of the time (mean
// gain 2.5 of 3), good (>= 0.14) mean gain about 1.3, partial below 0.8.
// tsunagu eval prints the check on both halves.
const (
	levelStrong = 0.34
	levelGood   = 0.14
)

// Level names a match score's level.
func Level(score float64) string {
	switch {
	case score >= levelStrong:
		return LevelStrong
	case score >= levelGood:
		return LevelGood
	}
	return LevelPartial
}

// Options shape a match or search.
type Options struct {
	// Limit is how many results to return (default 20).
	Limit int
	// IncludeNear keeps candidates (or roles) that miss a hard requirement,
	// demoted and marked in Unmet; otherwise they are filtered out.
	IncludeNear bool
	// Viewer is who asks. A company member sees only candidates whose
	// visibility allows it (tsunagu.Can, ActCandidateViewAnon). Nil means
	// the system itself (commands, evaluation): everyone but hidden
	// candidates.
	Viewer *tsunagu.User
	// ViewerCompanyIDs are the verified companies a company viewer acts
	// for (tsunagu.Subject.ViewerCompanyIDs): with none, a company viewer
	// sees no candidate.
	ViewerCompanyIDs []int64
	// Consented reports whether a candidate consented to an introduction to
	// one of the viewer's companies (optional).
	Consented func(candidateID int64) bool
	// StartBy is the latest acceptable availability date (default: 90 days
	// from now).
	StartBy time.Time
	// Pool is how many retrieval hits are re-scored (default 300).
	Pool int
}

func (o Options) limit() int {
	if o.Limit <= 0 {
		return 20
	}
	return o.Limit
}

func (o Options) pool() int {
	p := o.Pool
	if p <= 0 {
		p = 300
	}
	if l := o.limit() * 3; p < l {
		p = l
	}
	return p
}

func (o Options) startBy() time.Time {
	if o.StartBy.IsZero() {
		return time.Now().AddDate(0, 0, 90)
	}
	return o.StartBy
}

// Match is one candidate for a role (or role for a candidate), with why.
type Match struct {
	CandidateID         int64   `json:"candidate_id"`
	CandidateExternalID string  `json:"candidate_external_id,omitempty"`
	RoleID              int64   `json:"role_id"`
	RoleExternalID      string  `json:"role_external_id,omitempty"`
	Score               float64 `json:"score"`
	// Level says the score in words: strong, good or partial (see Level).
	Level string `json:"level"`
	// Occupation is the likeliest occupation the two share ("" if none).
	Occupation string `json:"occupation,omitempty"`
	// Matched are the role's skills the candidate has.
	Matched []SkillMatch `json:"matched_skills"`
	// Missing are the role's required skills the candidate lacks;
	// MissingPreferred its preferred ones.
	Missing          []string `json:"missing_skills"`
	MissingPreferred []string `json:"missing_preferred,omitempty"`
	// Unmet are the hard requirements the candidate misses.
	Unmet     []Unmet   `json:"unmet"`
	Breakdown Breakdown `json:"breakdown"`

	raw float64 // unrounded score, for ordering
}

// SkillMatch is a role skill the candidate has, and how.
type SkillMatch struct {
	Label          string  `json:"label"` // as the role wrote it
	URI            string  `json:"uri,omitempty"`
	Required       bool    `json:"required"`
	Via            string  `json:"via"`                       // exact, synonym, narrower, broader, label
	CandidateLabel string  `json:"candidate_label,omitempty"` // as the candidate wrote it
	Credit         float64 `json:"credit"`
	// Extracted says the candidate's skill was read from their summary,
	// not listed by them (it counts less); Evidence is that sentence.
	Extracted bool   `json:"extracted,omitempty"`
	Evidence  string `json:"evidence,omitempty"`
}

// Unmet is a hard requirement a candidate misses.
type Unmet struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// Breakdown is the score in parts (before scaling).
type Breakdown struct {
	SameOccupation float64 `json:"same_occupation"` // probability the two share an occupation
	SameISCOGroup  float64 `json:"same_isco_group"` // probability they share a 4-digit ISCO group
	Required       float64 `json:"required"`        // share of required skills held (weighted)
	Preferred      float64 `json:"preferred"`       // share of preferred skills held
	Text           float64 `json:"text"`            // title word similarity
	Demotion       float64 `json:"demotion"`        // factor from unmet requirements (1 = none)
}

// sym is an interned string (an ESCO URI, an ISCO group or a title word):
// comparing two is
// comparing two integers, and the cached entries that hold them hold no
// pointers for the collector to follow. 0 stands for "".
type sym uint32

var syms = struct {
	sync.RWMutex
	m     map[string]sym
	names []string // by symbol
}{m: map[string]sym{}, names: []string{""}}

// intern returns the symbol of s, adding it when new.
func intern(s string) sym {
	if s == "" {
		return 0
	}
	syms.RLock()
	x, ok := syms.m[s]
	syms.RUnlock()
	if ok {
		return x
	}
	syms.Lock()
	defer syms.Unlock()
	if x, ok := syms.m[s]; ok {
		return x
	}
	x = sym(len(syms.names))
	syms.m[s] = x
	syms.names = append(syms.names, s)
	return x
}

// String returns the interned string.
func (x sym) String() string {
	syms.RLock()
	defer syms.RUnlock()
	return syms.names[x]
}

// symOf returns the symbol of s, 0 when s was never interned (so nothing
// holds it).
func symOf(s string) sym {
	syms.RLock()
	defer syms.RUnlock()
	return syms.m[s]
}

// entry is a profile with the lookups scoring needs, kept compact (sorted
// slices, not maps): the engine caches one per indexed document. Rating a
// pool reads a few hundred of them, scattered in memory, so what it reads
// lies in two blocks: occ, isco, skills and broader share one array, the
// title words another; the hard requirements are a few scalars beside them.
//
// A role's entry keeps its Profile (p). A candidate's cached entry does not
// (p is nil): there may be a million of them, and rating needs none of the
// labels, free text and evidence a profile holds, only the 20 shown do;
// those read it back from the index (Engine.shown), where it is stored.
type entry struct {
	p       *Profile // roles; a candidate's only when made to be shown
	id      int64
	sum     uint64 // hash of the stored profile (profileSum): what reuse compares
	occ     []kx   // occupation -> probability (v), in the profile's order
	isco    []kx   // 4-digit ISCO group -> probability (v), by group name
	skills  []kx   // skill -> index in p.Skills (i) and its levelFactor (v), sorted by symbol
	broader []kx   // broader skill of a held skill -> that skill, as in skills
	labels  []ki   // normalised label of an unresolved skill -> index and levelFactor, sorted
	// title holds the token sets of the titles (stemmed words), each
	// sorted and preceded by its length.
	title []sym
	req   reqs
	// Roles only (nil for a candidate: a candidate's entry is 72 bytes
	// smaller, and there are a million of them).
	*roleSkills
	// card (candidates) holds the occupations and ISCO groups inferred from
	// what the card shows (Profile.CardOccupations): a company's ranking
	// reads them instead of occ and isco. nil when the card says nothing
	// of an occupation.
	card *cardView
}

// cardView is what a card-only ranking reads in place of an entry's occ
// and isco.
type cardView struct {
	occ, isco []kx
}

// reqs are what a candidate's hard requirements are judged on (Japanese,
// location, availability) and whom it is visible to: the profile's values,
// strings as symbols.
type reqs struct {
	ja   int32 // Japanese rank
	vis  sym   // visibility
	pref sym   // prefecture as written
	// listed is how many of the profile's skills the candidate listed: the
	// rest (from index listed on) were read from the summary, which the
	// card does not show (Profile.Candidate appends those last). Here
	// because it fills what would be padding.
	listed    int32
	prefs     []sym // preferred prefectures as written
	availSec  int64 // availability (Unix seconds and nanoseconds), when hasAvail
	availNsec int32
	hasAvail  bool
	relocate  bool
}

func newReqs(p *Profile) reqs {
	q := reqs{ja: int32(p.Japanese), vis: intern(p.Visibility), pref: intern(p.Prefecture), relocate: p.Relocate,
		listed: int32(len(p.Skills))}
	for i, s := range p.Skills {
		if s.Extracted {
			q.listed = int32(i)
			break
		}
	}
	if len(p.Prefs) > 0 {
		q.prefs = make([]sym, len(p.Prefs))
		for i, x := range p.Prefs {
			q.prefs[i] = intern(x)
		}
	}
	if p.Available != nil {
		q.hasAvail, q.availSec, q.availNsec = true, p.Available.Unix(), int32(p.Available.Nanosecond())
	}
	return q
}

// isRole reports whether the entry is a role's.
func (e *entry) isRole() bool { return e.roleSkills != nil }

// roleSkills are, per skill of a role's p.Skills: its symbol (0 when
// unresolved), its broader skills, and the normalised label of an
// unresolved one.
type roleSkills struct {
	uri  []sym
	up   [][]sym
	norm []string
}

// kx is a symbol with an index and a value.
type kx struct {
	k sym
	i int32
	v float64
}

type ki struct {
	k string
	i int32
	v float64
}

// findSym returns where k is in s (sorted by symbol).
func findSym(s []kx, k sym) (*kx, bool) {
	lo, hi := 0, len(s)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if s[h].k < k {
			lo = h + 1
		} else {
			hi = h
		}
	}
	if lo < len(s) && s[lo].k == k {
		return &s[lo], true
	}
	return nil, false
}

// skill returns the index in p.Skills of the held skill uri.
func (e *entry) skill(uri string) (int, bool) {
	if k := symOf(uri); k != 0 {
		if x, ok := findSym(e.skills, k); ok {
			return int(x.i), true
		}
	}
	return 0, false
}

func findKI(s []ki, k string) (*ki, bool) {
	j := sort.Search(len(s), func(n int) bool { return s[n].k >= k })
	if j < len(s) && s[j].k == k {
		return &s[j], true
	}
	return nil, false
}

func sortKI(s []ki) []ki {
	sort.Slice(s, func(a, b int) bool { return s[a].k < s[b].k })
	// Keep the first index of each key.
	out := s[:0]
	for i, x := range s {
		if i > 0 && x.k == s[i-1].k {
			continue
		}
		out = append(out, x)
	}
	return out
}

// sortKX sorts by symbol and keeps, of equal ones, the first.
func sortKX(s []kx) []kx {
	slices.SortStableFunc(s, func(a, b kx) int { return cmp.Compare(a.k, b.k) })
	out := s[:0]
	for i, x := range s {
		if i > 0 && x.k == s[i-1].k {
			continue
		}
		out = append(out, x)
	}
	return out
}

// entry returns the entry of p, keeping p: a role's, or a candidate's to
// show. cached gives the form the engine caches.
func (r *Resolver) entry(p *Profile) *entry {
	if p.Kind == KindRole {
		compactProfile(p) // kept by the cache
	}
	e := &entry{p: p, id: p.ID, req: newReqs(p)}
	var skills, broader []kx
	occ, isco := r.occSyms(p.Occupations)
	if len(p.CardOccupations) > 0 {
		e.card = &cardView{}
		e.card.occ, e.card.isco = r.occSyms(p.CardOccupations)
	}
	for i, s := range p.Skills {
		if s.URI == "" {
			e.labels = append(e.labels, ki{NormLabel(s.Label), int32(i), levelFactor(s)})
			continue
		}
		lf := levelFactor(s)
		skills = append(skills, kx{intern(s.URI), int32(i), lf})
		for _, b := range r.broaderSkills(s.URI) {
			broader = append(broader, kx{intern(b), int32(i), lf})
		}
	}
	skills, broader, e.labels = sortKX(skills), sortKX(broader), sortKI(e.labels)
	block := make([]kx, 0, len(occ)+len(isco)+len(skills)+len(broader))
	part := func(x []kx) []kx {
		n := len(block)
		block = append(block, x...)
		return block[n:len(block):len(block)]
	}
	e.occ, e.isco, e.skills, e.broader = part(occ), part(isco), part(skills), part(broader)
	if p.Kind == KindRole {
		n := len(p.Skills)
		e.roleSkills = &roleSkills{uri: make([]sym, n), up: make([][]sym, n), norm: make([]string, n)}
		for i, s := range p.Skills {
			if s.URI == "" {
				e.norm[i] = NormLabel(s.Label)
				continue
			}
			e.uri[i] = intern(s.URI)
			for _, b := range r.broaderSkills(s.URI) {
				e.up[i] = append(e.up[i], intern(b))
			}
		}
	}
	var titles [][]sym
	for _, t := range append([]string{p.Title}, p.Titles...) {
		var toks []sym
		for _, w := range titleTokens(t) {
			toks = append(toks, intern(w))
		}
		if len(toks) == 0 {
			continue
		}
		slices.Sort(toks)
		toks = slices.Compact(toks)
		dup := false
		for _, x := range titles {
			dup = dup || slices.Equal(x, toks)
		}
		if !dup {
			titles = append(titles, toks)
		}
	}
	n := 0
	for _, t := range titles {
		n += 1 + len(t)
	}
	if n > 0 {
		e.title = make([]sym, 0, n)
		for _, t := range titles {
			e.title = append(append(e.title, sym(len(t))), t...)
		}
	}
	return e
}

// occSyms returns the symbols of occupations os, in their order, and of
// their ISCO groups, by group name, with their probabilities.
func (r *Resolver) occSyms(os []OccScore) (occ, isco []kx) {
	for _, o := range os {
		occ = append(occ, kx{k: intern(o.URI), v: o.Score})
	}
	groups := r.iscoGroups(os)
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		isco = append(isco, kx{k: intern(g), v: groups[g]})
	}
	return occ, isco
}

// cached returns the entry the engine caches for p, whose stored form
// hashes to sum: a candidate's without its profile.
func (r *Resolver) cached(p *Profile, sum uint64) *entry {
	e := r.entry(p)
	e.sum = sum
	if p.Kind != KindRole {
		e.p = nil
	}
	return e
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// levelFactor weighs a held skill by level and years.
func levelFactor(s PSkill) float64 {
	f := 1.0
	switch s.Level {
	case tsunagu.LevelBeginner:
		f = 0.8
	case tsunagu.LevelAdvanced:
		f = 1.1
	case tsunagu.LevelExpert:
		f = 1.2
	}
	return (f + math.Min(s.Years, 10)/100) * s.weight()
}

// matchSkill finds role skill si of r among candidate c's skills: how
// (ViaSynonym standing for exact too), the candidate's skill (index in
// c.p.Skills) and the credit; via is "" when c lacks it.
//
// card counts only the skills the candidate listed (those a card shows),
// not those read from the summary (index c.req.listed on). A listed skill
// never shares its URI with an extracted one (Resolver.extracted skips
// those), so leaving the extracted ones out loses no listed skill.
func (r *entry) matchSkill(si int, c *entry, card bool) (via string, ci int, credit float64) {
	if r.roleSkills == nil || si >= len(r.uri) {
		return "", 0, 0 // not a role's entry
	}
	shown := func(i int32) bool { return !card || i < c.req.listed }
	if u := r.uri[si]; u != 0 {
		if x, ok := findSym(c.skills, u); ok && shown(x.i) {
			return ViaSynonym, int(x.i), x.v
		}
		if x, ok := findSym(c.broader, u); ok && shown(x.i) {
			return ViaNarrower, int(x.i), narrowCredit * x.v
		}
		for _, b := range r.up[si] {
			if x, ok := findSym(c.skills, b); ok && shown(x.i) {
				return ViaBroader, int(x.i), broadCredit * x.v
			}
		}
		return "", 0, 0
	}
	if x, ok := findKI(c.labels, r.norm[si]); ok && shown(x.i) {
		return ViaLabel, int(x.i), x.v
	}
	return "", 0, 0
}

// rate is candidate c's unrounded score for role r and how many hard
// requirements c misses, without the reasons: what ranking a pool needs.
// score gives the same figure with the reasons.
func (rs *Resolver) rate(r, c *entry, startBy time.Time, card bool) (float64, int) {
	var bd Breakdown
	rs.parts(r, c, &bd, nil, card)
	n := countUnmet(r.p, &c.req, startBy)
	bd.Demotion = math.Pow(demoteFactor, float64(n))
	return rawScore(&bd), n
}

// parts fills the breakdown but for the demotion and, when m is not nil,
// m's occupation and skill reasons.
// card ranks on what a company's card shows only: a card carries neither
// the headline, nor the titles as typed, nor the summary, and a score
// that moved with them would let a company find a person by words the
// card hides (a role titled after a former employer or a town ranking its
// holder first: an order oracle, issue 11). So card leaves out the title
// similarity, reads the occupations inferred from the card alone
// (cardView) and counts only listed skills (matchSkill).
func (rs *Resolver) parts(r, c *entry, bd *Breakdown, m *Match, card bool) {
	cOcc, cISCO := c.occ, c.isco
	if card {
		cOcc, cISCO = nil, nil
		if c.card != nil {
			cOcc, cISCO = c.card.occ, c.card.isco
		}
	}
	bestOcc := 0.0
	for ri, ro := range r.occ {
		for _, co := range cOcc {
			if ro.k == co.k {
				pq := ro.v * co.v
				bd.SameOccupation += pq
				if pq > bestOcc && m != nil {
					bestOcc, m.Occupation = pq, r.p.Occupations[ri].URI
				}
			}
		}
	}
	for _, rg := range r.isco {
		for _, cg := range cISCO {
			if rg.k == cg.k {
				bd.SameISCOGroup += rg.v * cg.v
			}
		}
	}
	var nReq, nPref, gotReq, gotPref float64
	for si := range r.p.Skills {
		s := &r.p.Skills[si]
		via, ci, credit := r.matchSkill(si, c, card)
		w := s.weight()
		if s.Preferred {
			nPref += w
			gotPref += w * math.Min(credit, 1)
		} else {
			nReq += w
			gotReq += w * math.Min(credit, 1)
		}
		if m == nil {
			continue
		}
		switch {
		case via != "":
			cs := c.p.Skills[ci]
			if via == ViaSynonym && strings.EqualFold(strings.TrimSpace(cs.Label), strings.TrimSpace(s.Label)) {
				via = ViaExact
			}
			m.Matched = append(m.Matched, SkillMatch{Label: s.Label, URI: s.URI, Required: !s.Preferred, Via: via,
				CandidateLabel: cs.Label, Credit: credit, Extracted: cs.Extracted, Evidence: cs.Evidence})
		case s.Preferred:
			m.MissingPreferred = append(m.MissingPreferred, s.Label)
		default:
			m.Missing = append(m.Missing, s.Label)
		}
	}
	if nReq > 0 {
		bd.Required = gotReq / nReq
	}
	if nPref > 0 {
		bd.Preferred = gotPref / nPref
	}
	if !card {
		bd.Text = titleSim(r, c)
	}
}

// rawScore is the unrounded, scaled score of a full breakdown.
func rawScore(bd *Breakdown) float64 {
	raw := bd.SameOccupation*(wSameOcc+wSameOccReq*math.Min(1, 2*bd.Required)) +
		wSameISCO*math.Max(0, bd.SameISCOGroup-bd.SameOccupation) +
		wRequired*bd.Required + wPreferred*bd.Preferred + wText*bd.Text
	return raw * bd.Demotion / scoreScale
}

// score rates candidate c for role r, with the reasons: c is an entry
// with its profile (Resolver.entry, Engine.shown).
func (rs *Resolver) score(r, c *entry, startBy time.Time, card bool) Match {
	m := Match{CandidateID: c.id, CandidateExternalID: c.p.ExternalID, RoleID: r.p.ID, RoleExternalID: r.p.ExternalID,
		Matched: []SkillMatch{}, Missing: []string{}}
	var bd Breakdown
	rs.parts(r, c, &bd, &m, card)
	m.Breakdown = bd
	return m.WithUnmet(unmet(r.p, c.p, &c.req, startBy))
}

// titleSim is the best word overlap (Dice) between the role's title and
// any of the candidate's titles.
func titleSim(r, c *entry) float64 {
	var best float64
	for ra := r.title; len(ra) > 0; {
		a := ra[1 : 1+ra[0]]
		ra = ra[1+ra[0]:]
		for cb := c.title; len(cb) > 0; {
			b := cb[1 : 1+cb[0]]
			cb = cb[1+cb[0]:]
			// Both sorted and without repeats: count the common words.
			n, i, j := 0, 0, 0
			for i < len(a) && j < len(b) {
				switch {
				case a[i] == b[j]:
					n++
					i++
					j++
				case a[i] < b[j]:
					i++
				default:
					j++
				}
			}
			if s := 2 * float64(n) / float64(len(a)+len(b)); s > best {
				best = s
			}
		}
	}
	return best
}

// unmet lists the hard requirements of role r that candidate c (its
// requirement facts q) misses (availability judged against startBy).
func unmet(r, c *Profile, q *reqs, startBy time.Time) []Unmet {
	out := []Unmet{}
	if q.missesJapanese(r) {
		out = append(out, Unmet{Code: UnmetJapanese, Detail: fmt.Sprintf("%s < %s", jaName(c.Japanese), jaName(r.Japanese))})
	}
	if q.missesLocation(r) {
		where := c.Prefecture
		if where == "" {
			where = c.Country
		}
		out = append(out, Unmet{Code: UnmetLocation, Detail: fmt.Sprintf("%s role in %s; candidate in %s, not relocating", r.Workplace, r.Prefecture, where)})
	}
	if q.missesStart(startBy) {
		out = append(out, Unmet{Code: UnmetAvailability, Detail: "available from " + c.Available.Format("2006-01-02")})
	}
	return out
}

// countUnmet is len(unmet(r, c, q, startBy)) without the details, from
// the candidate's requirement facts alone.
func countUnmet(r *Profile, q *reqs, startBy time.Time) int {
	n := 0
	if q.missesJapanese(r) {
		n++
	}
	if q.missesLocation(r) {
		n++
	}
	if q.missesStart(startBy) {
		n++
	}
	return n
}

func (q *reqs) missesJapanese(r *Profile) bool { return r.Japanese > 0 && int(q.ja) < r.Japanese }

func (q *reqs) missesLocation(r *Profile) bool {
	if !((r.Workplace == tsunagu.WorkplaceOnsite || r.Workplace == tsunagu.WorkplaceHybrid) && r.Prefecture != "") {
		return false
	}
	if strings.EqualFold(q.pref.String(), r.Prefecture) || q.relocate {
		return false
	}
	for _, x := range q.prefs {
		if strings.EqualFold(x.String(), r.Prefecture) {
			return false
		}
	}
	return true
}

func (q *reqs) missesStart(startBy time.Time) bool {
	return q.hasAvail && time.Unix(q.availSec, int64(q.availNsec)).After(startBy)
}

func jaName(rank int) string {
	switch {
	case rank <= 0:
		return "none"
	case rank <= 5:
		return tsunagu.JLPTLevels[rank-1]
	}
	return "native"
}
