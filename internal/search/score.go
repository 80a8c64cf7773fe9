package search

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
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
	wText        = 0.3
	demoteFactor = 0.3
	scoreScale   = 8.0
	narrowCredit = 0.6
	broadCredit  = 0.3
)

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

// entry is a profile with the lookups scoring needs, kept compact (sorted
// slices, not maps): the engine caches one per indexed document.
type entry struct {
	p       *Profile
	occ     []kv       // occupation URI -> probability
	isco    []kv       // 4-digit ISCO group -> probability
	skills  []ki       // skill URI -> index in p.Skills, sorted
	broader []ki       // broader URI of a held skill -> index of that skill, sorted
	labels  []ki       // normalised label of an unresolved skill -> index, sorted
	up      [][]string // per skill, its broader skills (roles only)
	title   [][]string // token sets of the titles
}

type kv struct {
	k string
	v float64
}

type ki struct {
	k string
	i int
}

func findKI(s []ki, k string) (int, bool) {
	j := sort.Search(len(s), func(n int) bool { return s[n].k >= k })
	if j < len(s) && s[j].k == k {
		return s[j].i, true
	}
	return 0, false
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

func (r *Resolver) entry(p *Profile) *entry {
	e := &entry{p: p}
	for _, o := range p.Occupations {
		e.occ = append(e.occ, kv{o.URI, o.Score})
	}
	for g, v := range r.ISCOGroups(p) {
		e.isco = append(e.isco, kv{g, v})
	}
	sort.Slice(e.isco, func(a, b int) bool { return e.isco[a].k < e.isco[b].k })
	for i, s := range p.Skills {
		if s.URI == "" {
			e.labels = append(e.labels, ki{NormLabel(s.Label), i})
			continue
		}
		e.skills = append(e.skills, ki{s.URI, i})
		for _, b := range r.broaderSkills(s.URI) {
			e.broader = append(e.broader, ki{b, i})
		}
	}
	if p.Kind == KindRole {
		// up is indexed by skill position; fill unresolved ones.
		e.up = make([][]string, len(p.Skills))
		for i, s := range p.Skills {
			if s.URI != "" {
				e.up[i] = r.broaderSkills(s.URI)
			}
		}
	}
	e.skills, e.broader, e.labels = sortKI(e.skills), sortKI(e.broader), sortKI(e.labels)
	for _, t := range append([]string{p.Title}, p.Titles...) {
		toks := titleTokens(t)
		if len(toks) == 0 {
			continue
		}
		sort.Strings(toks)
		toks = dedupe(toks)
		dup := false
		for _, x := range e.title {
			dup = dup || slices.Equal(x, toks)
		}
		if !dup {
			e.title = append(e.title, toks)
		}
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
	return f + math.Min(s.Years, 10)/100
}

// score rates candidate c for role r.
func (rs *Resolver) score(r, c *entry, opts Options) Match {
	m := Match{CandidateID: c.p.ID, CandidateExternalID: c.p.ExternalID, RoleID: r.p.ID, RoleExternalID: r.p.ExternalID,
		Matched: []SkillMatch{}, Missing: []string{}, Unmet: []Unmet{}}
	var bd Breakdown
	bestOcc := 0.0
	for _, ro := range r.occ {
		for _, co := range c.occ {
			if ro.k == co.k {
				pq := ro.v * co.v
				bd.SameOccupation += pq
				if pq > bestOcc {
					bestOcc, m.Occupation = pq, ro.k
				}
			}
		}
	}
	for _, rg := range r.isco {
		for _, cg := range c.isco {
			if rg.k == cg.k {
				bd.SameISCOGroup += rg.v * cg.v
			}
		}
	}
	var nReq, nPref, gotReq, gotPref float64
	for si, s := range r.p.Skills {
		sm := SkillMatch{Label: s.Label, URI: s.URI, Required: !s.Preferred}
		if i, ok := findKI(c.skills, s.URI); ok && s.URI != "" {
			cs := c.p.Skills[i]
			sm.Via, sm.CandidateLabel, sm.Credit = ViaSynonym, cs.Label, levelFactor(cs)
			if strings.EqualFold(strings.TrimSpace(cs.Label), strings.TrimSpace(s.Label)) {
				sm.Via = ViaExact
			}
		} else if i, ok := findKI(c.broader, s.URI); ok && s.URI != "" {
			cs := c.p.Skills[i]
			sm.Via, sm.CandidateLabel, sm.Credit = ViaNarrower, cs.Label, narrowCredit*levelFactor(cs)
		} else if i, ok := findKI(c.labels, NormLabel(s.Label)); ok && s.URI == "" {
			cs := c.p.Skills[i]
			sm.Via, sm.CandidateLabel, sm.Credit = ViaLabel, cs.Label, levelFactor(cs)
		} else if s.URI != "" && si < len(r.up) {
			for _, b := range r.up[si] {
				if i, ok := findKI(c.skills, b); ok {
					cs := c.p.Skills[i]
					sm.Via, sm.CandidateLabel, sm.Credit = ViaBroader, cs.Label, broadCredit*levelFactor(cs)
					break
				}
			}
		}
		if s.Preferred {
			nPref++
			gotPref += math.Min(sm.Credit, 1)
		} else {
			nReq++
			gotReq += math.Min(sm.Credit, 1)
		}
		switch {
		case sm.Via != "":
			m.Matched = append(m.Matched, sm)
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
	bd.Text = titleSim(r, c)
	m.Unmet = unmet(r.p, c.p, opts)
	bd.Demotion = math.Pow(demoteFactor, float64(len(m.Unmet)))

	raw := bd.SameOccupation*(wSameOcc+wSameOccReq*math.Min(1, 2*bd.Required)) +
		wSameISCO*math.Max(0, bd.SameISCOGroup-bd.SameOccupation) +
		wRequired*bd.Required + wPreferred*bd.Preferred + wText*bd.Text
	m.raw = raw * bd.Demotion / scoreScale
	m.Score = math.Round(m.raw*1e4) / 1e4
	m.Breakdown = bd
	return m
}

// titleSim is the best word overlap (Dice) between the role's title and
// any of the candidate's titles.
func titleSim(r, c *entry) float64 {
	var best float64
	for _, a := range r.title {
		for _, b := range c.title {
			n := 0
			for _, t := range a {
				if _, ok := slices.BinarySearch(b, t); ok {
					n++
				}
			}
			if s := 2 * float64(n) / float64(len(a)+len(b)); s > best {
				best = s
			}
		}
	}
	return best
}

// unmet lists the hard requirements of role r that candidate c misses.
func unmet(r, c *Profile, opts Options) []Unmet {
	out := []Unmet{}
	if r.Japanese > 0 && c.Japanese < r.Japanese {
		out = append(out, Unmet{Code: UnmetJapanese, Detail: fmt.Sprintf("%s < %s", jaName(c.Japanese), jaName(r.Japanese))})
	}
	if (r.Workplace == tsunagu.WorkplaceOnsite || r.Workplace == tsunagu.WorkplaceHybrid) && r.Prefecture != "" &&
		!strings.EqualFold(c.Prefecture, r.Prefecture) && !c.Relocate && !containsFold(c.Prefs, r.Prefecture) {
		where := c.Prefecture
		if where == "" {
			where = c.Country
		}
		out = append(out, Unmet{Code: UnmetLocation, Detail: fmt.Sprintf("%s role in %s; candidate in %s, not relocating", r.Workplace, r.Prefecture, where)})
	}
	if c.Available != nil && c.Available.After(opts.startBy()) {
		out = append(out, Unmet{Code: UnmetAvailability, Detail: "available from " + c.Available.Format("2006-01-02")})
	}
	return out
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

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// sortMatches orders best first, ties by id for stable output.
func sortMatches(ms []Match, byCandidate bool) {
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].raw != ms[j].raw {
			return ms[i].raw > ms[j].raw
		}
		if byCandidate {
			return ms[i].CandidateID < ms[j].CandidateID
		}
		return ms[i].RoleID < ms[j].RoleID
	})
}
