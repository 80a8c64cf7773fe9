// Package matching is what the pages and API of matching call: a company's
// matched talent for its roles (anonymised cards with the reasons, filters,
// sort, and asking for an introduction), a candidate's roles with the gap
// and the training that closes it, and a coordinator's search of the pool
// with saved searches that notify on new matches. It checks who asks
// (tsunagu.Can) and leaves ranking to the search index.
package matching

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/search"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Index is the search the service asks: the process's search.Service
// behind app's lazy wrapper, which adds Profile.
type Index interface {
	CandidatesForRole(ctx context.Context, roleID int64, opts search.Options) ([]search.Match, error)
	RolesForCandidate(ctx context.Context, candidateID int64, opts search.Options) ([]search.Match, error)
	SearchCandidates(ctx context.Context, q string, f search.Filters, opts search.Options) ([]search.Hit, error)
	// Profile returns the indexed profile of a candidate or role
	// (ENOTFOUND when not indexed).
	Profile(kind string, id int64) (*search.Profile, error)
	// Applied returns the last change-log sequence the index applied.
	Applied() int64
}

// Introducer records a company's request for an introduction
// (cases.Service implements it).
type Introducer interface {
	RequestIntroduction(ctx context.Context, candidateID, roleID int64, note string) (int64, error)
}

// Teaching finds the training programmes that teach skills
// (training.Service implements it).
type Teaching interface {
	ProgrammesTeaching(ctx context.Context, skillURIs []string) (map[string][]tsunagu.ProgrammeRef, error)
}

// Service serves matching to the web layer and the saved-search job.
type Service struct {
	DB    *postgres.DB
	Index Index
	// Ready, when set, is called before the saved-search job searches (a
	// worker process builds and catches up its index there).
	Ready        func(ctx context.Context) error
	Introduction Introducer
	Training     Teaching
	// SkillLabel and OccupationLabel name ESCO concepts in a language ("":
	// unknown).
	SkillLabel      func(uri, lang string) string
	OccupationLabel func(uri, lang string) string
	Log             *slog.Logger
	Now             func() time.Time

	cache matchCache
}

// matchCache keeps the ranked candidates of recently viewed roles while
// the index does not change: a company going back to a role, filtering or
// sorting it, reuses the ranking. Any change applied to the index (or a
// minute passing: availability is judged against today) empties it.
type matchCache struct {
	mu    sync.Mutex
	seq   int64
	since time.Time
	m     map[matchKey][]search.Match
}

// matchKey: what the ranking depends on besides the index. Staff see every
// candidate but the hidden; a company only those visible to companies.
type matchKey struct {
	role  int64
	near  bool
	staff bool
	limit int
}

const (
	matchCacheSize = 2000
	matchCacheTTL  = time.Minute
)

func (c *matchCache) get(k matchKey, seq int64, now time.Time) ([]search.Match, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seq != seq || now.Sub(c.since) > matchCacheTTL {
		c.seq, c.since, c.m = seq, now, nil
		return nil, false
	}
	ms, ok := c.m[k]
	return ms, ok
}

func (c *matchCache) put(k matchKey, seq int64, ms []search.Match) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seq != seq {
		return
	}
	if c.m == nil || len(c.m) >= matchCacheSize {
		c.m = map[matchKey][]search.Match{}
	}
	c.m[k] = ms
}

// rank returns the role's ranked candidates for u, acting for the verified
// companies roleFor found, from the cache when the index has not changed
// since they were ranked.
func (s *Service) rank(ctx context.Context, u *tsunagu.User, companies []int64, roleID int64, near bool, limit int) ([]search.Match, error) {
	k := matchKey{role: roleID, near: near, staff: u.Role.Staff(), limit: limit}
	seq := s.Index.Applied()
	if ms, ok := s.cache.get(k, seq, time.Now()); ok {
		return ms, nil
	}
	opts := search.Options{Viewer: u, ViewerCompanyIDs: companies, IncludeNear: near, Limit: limit}
	ms, err := s.Index.CandidatesForRole(ctx, roleID, opts)
	if err != nil {
		return nil, err
	}
	s.cache.put(k, seq, ms)
	return ms, nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

// Sort orders of a role's matches.
const (
	SortScore     = "score"     // best fit first (default)
	SortRequired  = "required"  // most required skills held first
	SortJapanese  = "japanese"  // best Japanese first
	SortAvailable = "available" // available soonest first
)

// Sorts lists the sort orders, default first.
var Sorts = []string{SortScore, SortRequired, SortJapanese, SortAvailable}

// MatchQuery shapes a role's matches.
type MatchQuery struct {
	IncludeNear bool // keep candidates missing a hard requirement, demoted and marked
	// PoolFilters: a company's prefecture is taken as its region.
	tsunagu.PoolFilters
	Region string // lives in this region of Japan ("Kanto"), prefers a prefecture in it or would relocate
	Sort   string // one of Sorts ("": score)
	Limit  int    // default 20, at most 100
}

func (q MatchQuery) limit() int {
	switch {
	case q.Limit <= 0:
		return 20
	case q.Limit > 100:
		return 100
	}
	return q.Limit
}

// Card is a matched candidate as a company sees it: the reasons and
// coarse, non-identifying facts from the index (no name, contact, photo,
// nationality or free text).
type Card struct {
	search.Match
	// OccupationLabel names the shared occupation in the reader's language.
	OccupationLabel string `json:"occupation_label,omitempty"`
	// JapaneseLevel is "N5".."N1", "native" or "".
	JapaneseLevel string     `json:"japanese_level,omitempty"`
	Region        string     `json:"region,omitempty"` // region of Japan ("Kanto")
	Relocate      bool       `json:"willing_to_relocate"`
	Workplace     string     `json:"workplace_preference,omitempty"`
	AvailableFrom *time.Time `json:"available_from,omitempty"`
}

// RoleMatches is a role and its matched candidates.
type RoleMatches struct {
	Role  *tsunagu.JobRole `json:"role"`
	Cards []Card           `json:"matches"`
	// Pending reports that the role is not in the index yet (just saved).
	Pending bool `json:"pending,omitempty"`
}

// JapaneseLevel names a tsunagu.JapaneseRank ("" for 0).
func JapaneseLevel(rank int) string {
	switch {
	case rank >= 6:
		return "native"
	case rank >= 1:
		return tsunagu.JLPTLevels[rank-1]
	}
	return ""
}

// roleFor returns a role the caller may see matches of (ActRoleMatch:
// staff, or a member of the role's company). ENOTFOUND otherwise, so a
// company does not learn another's roles exist. It also returns the
// verified companies a company caller acts for (nil for staff).
func (s *Service) roleFor(ctx context.Context, u *tsunagu.User, roleID int64) (*tsunagu.JobRole, []int64, error) {
	r, err := s.DB.RoleByID(ctx, roleID)
	if err != nil {
		return nil, nil, err
	}
	sub := tsunagu.Subject{CompanyID: r.CompanyID}
	if u.Role == tsunagu.RoleCompany {
		if sub.ViewerCompanyIDs, err = s.DB.CompanyIDsForUser(ctx, u.ID); err != nil {
			return nil, nil, err
		}
		if len(sub.ViewerCompanyIDs) == 0 {
			// Its company is not verified yet: say so, not "not found".
			return nil, nil, tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.company_pending")
		}
	}
	if !tsunagu.Can(u, tsunagu.ActRoleMatch, sub) {
		return nil, nil, tsunagu.NotFound()
	}
	return r, sub.ViewerCompanyIDs, nil
}

// CandidatesForRole returns a role's matched candidates as anonymised cards
// with the reasons, filtered and sorted as q asks, in lang. The index
// enforces visibility (hidden candidates never appear; a company sees only
// those visible to companies). Returns EUNAUTHORIZED, and ENOTFOUND when
// the role does not exist or is not the caller's company's.
func (s *Service) CandidatesForRole(ctx context.Context, roleID int64, q MatchQuery, lang string) (*RoleMatches, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	role, companies, err := s.roleFor(ctx, u, roleID)
	if err != nil {
		return nil, err
	}
	out := &RoleMatches{Role: role, Cards: []Card{}}
	staff := u.Role.Staff()
	if !staff && q.Prefecture != "" {
		// A company knows where a candidate lives only as a region: a
		// prefecture filter is its region's.
		if p, ok := tsunagu.FindPrefecture(q.Prefecture); ok {
			q.Region = p.Region
		}
		q.Prefecture = ""
	}
	q.Region = knownRegion(q.Region) // a value that names no region means "any"
	limit := q.limit()
	fetch := limit
	if q.PoolFilters.Any() || q.Region != "" || (q.Sort != "" && q.Sort != SortScore) || (!staff && !q.IncludeNear) {
		fetch = 100 // filter and sort over a wider list
	}
	// A company's requirements are judged on what its cards show (the
	// location by region, companyLocation), so it ranks near matches too
	// and drops those still unmet itself.
	ms, err := s.rank(ctx, u, companies, roleID, q.IncludeNear || !staff, fetch)
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
		out.Pending = true
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	pref := ""
	if q.Prefecture != "" {
		if p, ok := tsunagu.FindPrefecture(q.Prefecture); ok {
			pref = p.Name
		}
	}
	for _, m := range ms {
		p, err := s.Index.Profile(search.KindCandidate, m.CandidateID)
		if err != nil {
			continue // erased meanwhile
		}
		if q.JapaneseMin > 0 && p.Japanese < q.JapaneseMin {
			continue
		}
		if pref != "" && !livesOrWouldMove(p, pref) {
			continue
		}
		if q.Region != "" && !livesInRegionOrWouldMove(p, q.Region) {
			continue
		}
		if q.Workplace != "" && p.Workplace != q.Workplace {
			continue
		}
		if !p.Holds(q.CandidateFacts.Held()) {
			continue
		}
		if !staff {
			m = companyLocation(m, role, p)
			if !q.IncludeNear && len(m.Unmet) > 0 {
				continue
			}
			m = withoutEvidence(m)
		}
		card := Card{Match: m, JapaneseLevel: JapaneseLevel(p.Japanese), Relocate: p.Relocate,
			Workplace: p.Workplace, AvailableFrom: p.Available}
		if pr, ok := tsunagu.FindPrefecture(p.Prefecture); ok && (p.Country == "JP" || p.Country == "") {
			card.Region = pr.Region
			if lang == "ja" {
				card.Region = pr.RegionJA
			}
		}
		if !staff {
			card.CandidateExternalID = ""
		}
		if m.Occupation != "" && s.OccupationLabel != nil {
			card.OccupationLabel = s.OccupationLabel(m.Occupation, lang)
		}
		out.Cards = append(out.Cards, card)
	}
	if !staff {
		// companyLocation may have changed scores: back in score order.
		slices.SortStableFunc(out.Cards, func(a, b Card) int { return cmp.Compare(b.Score, a.Score) })
	}
	sortCards(out.Cards, q.Sort)
	if len(out.Cards) > limit {
		out.Cards = out.Cards[:limit]
	}
	return out, nil
}

// withoutEvidence drops from m the sentences of the candidate's summary
// that a skill was read from: free text the card does not show, which
// could name a place, an employer or a person. The match keeps that the
// skill was read from the summary.
func withoutEvidence(m search.Match) search.Match {
	if !slices.ContainsFunc(m.Matched, func(x search.SkillMatch) bool { return x.Evidence != "" }) {
		return m
	}
	m.Matched = slices.Clone(m.Matched)
	for i := range m.Matched {
		m.Matched[i].Evidence = ""
	}
	return m
}

// companyLocation judges the location requirement of m as a company may
// know it: by region. The index judges it by the exact prefecture, so
// whether it is met, and the score it demotes, would tell a company more
// than the card's region. Here it is unmet only when the candidate lives
// in another region than the role, does not prefer the role's prefecture
// (preferences are on the card) and would not relocate; the detail names
// the role's place only, and the score is demoted accordingly.
func companyLocation(m search.Match, role *tsunagu.JobRole, p *search.Profile) search.Match {
	var had bool
	unmet := make([]search.Unmet, 0, len(m.Unmet))
	for _, x := range m.Unmet {
		if x.Code == search.UnmetLocation {
			had = true
			continue
		}
		unmet = append(unmet, x)
	}
	onsite := role.Workplace == tsunagu.WorkplaceOnsite || role.Workplace == tsunagu.WorkplaceHybrid
	miss := onsite && role.Location.Prefecture != "" && !p.Relocate &&
		!slices.ContainsFunc(p.Prefs, func(x string) bool { return strings.EqualFold(x, role.Location.Prefecture) }) &&
		(p.Country != "" && p.Country != "JP" || tsunagu.JapanRegion(p.Prefecture) != tsunagu.JapanRegion(role.Location.Prefecture))
	if miss {
		unmet = append(unmet, search.Unmet{Code: search.UnmetLocation,
			Detail: role.Workplace + " role in " + role.Location.Prefecture + "; candidate in another region, not relocating"})
	}
	if miss != had && m.Breakdown.Demotion > 0 {
		return m.WithUnmet(unmet)
	}
	m.Unmet = unmet
	return m
}

// knownRegion returns the English name of the region of Japan s names
// (in English or Japanese, any case), or "".
func knownRegion(s string) string {
	if s == "" {
		return ""
	}
	for _, p := range tsunagu.Prefectures {
		if strings.EqualFold(p.Region, s) || p.RegionJA == s {
			return p.Region
		}
	}
	return ""
}

// livesInRegionOrWouldMove reports whether the candidate lives in region
// (of Japan), prefers a prefecture in it or would relocate.
func livesInRegionOrWouldMove(p *search.Profile, region string) bool {
	if p.Relocate || (p.Country == "JP" || p.Country == "") && strings.EqualFold(tsunagu.JapanRegion(p.Prefecture), region) {
		return true
	}
	for _, x := range p.Prefs {
		if strings.EqualFold(tsunagu.JapanRegion(x), region) {
			return true
		}
	}
	return false
}

func livesOrWouldMove(p *search.Profile, pref string) bool {
	if p.Relocate || strings.EqualFold(p.Prefecture, pref) {
		return true
	}
	for _, x := range p.Prefs {
		if strings.EqualFold(x, pref) {
			return true
		}
	}
	return false
}

// sortCards orders cards by the sort asked; ties keep the score order.
func sortCards(cs []Card, by string) {
	switch by {
	case SortRequired:
		slices.SortStableFunc(cs, func(a, b Card) int { return cmp.Compare(b.Breakdown.Required, a.Breakdown.Required) })
	case SortJapanese:
		rank := func(c Card) int { return tsunagu.JapaneseRank(c.JapaneseLevel) }
		slices.SortStableFunc(cs, func(a, b Card) int { return cmp.Compare(rank(b), rank(a)) })
	case SortAvailable:
		day := func(c Card) int64 {
			if c.AvailableFrom == nil {
				return 0 // available now
			}
			return c.AvailableFrom.Unix()
		}
		slices.SortStableFunc(cs, func(a, b Card) int { return cmp.Compare(day(a), day(b)) })
	}
}

// RequestIntroduction asks for an introduction to a matched candidate for
// the caller's company's role; the candidate is then asked to consent.
// Returns EUNAUTHORIZED, ENOTFOUND (the role is not the caller's company's,
// or the candidate may not be seen), ECONFLICT (already asked), EINVALID.
func (s *Service) RequestIntroduction(ctx context.Context, roleID, candidateID int64, note string) (int64, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return 0, err
	}
	if u.Role != tsunagu.RoleCompany {
		return 0, tsunagu.Forbidden()
	}
	if _, _, err := s.roleFor(ctx, u, roleID); err != nil {
		return 0, err
	}
	return s.Introduction.RequestIntroduction(ctx, candidateID, roleID, note)
}
