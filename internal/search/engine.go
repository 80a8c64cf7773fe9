package search

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Engine is a Bleve index of candidate and role profiles and the matching
// that runs over it: Bleve retrieves a pool of likely matches (a disjunction
// over occupations, ISCO groups, skills and text), and each is re-scored
// precisely in Go, which also gives the reasons. Safe for concurrent use.
type Engine struct {
	res *Resolver
	mu  sync.RWMutex // guards idx replacement and the caches
	idx bleve.Index
	// Profile caches; a miss is read back from the index's stored profile.
	cands map[int64]*entry
	roles map[int64]*entry
}

// NewMemEngine returns an engine over an in-memory index.
func NewMemEngine(res *Resolver) (*Engine, error) {
	idx, err := bleve.NewUsing("", NewMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("new index: %w", err)
	}
	return newEngine(res, idx), nil
}

// OpenEngine opens the index at path, creating it when absent or when it
// was built from another taxonomy or mapping version (then fresh reports
// true and the caller must rebuild it from the database).
func OpenEngine(res *Resolver, path string) (e *Engine, fresh bool, err error) {
	idx, fresh, err := openIndex(res, path)
	if err != nil {
		return nil, false, err
	}
	return newEngine(res, idx), fresh, nil
}

func openIndex(res *Resolver, path string) (bleve.Index, bool, error) {
	want := res.tax.Version() + "/" + mappingVersion
	idx, err := bleve.OpenUsing(path, map[string]any{"bolt_timeout": "5s"})
	if err == nil {
		v, err := idx.GetInternal(versionKey)
		if err == nil && string(v) == want {
			return idx, false, nil
		}
		idx.Close()
		if err := os.RemoveAll(path); err != nil {
			return nil, false, fmt.Errorf("remove stale index: %w", err)
		}
	} else if !errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		return nil, false, fmt.Errorf("open index %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, false, fmt.Errorf("create index folder: %w", err)
	}
	idx, err = bleve.New(path, NewMapping())
	if err != nil {
		return nil, false, fmt.Errorf("create index %s: %w", path, err)
	}
	if err := idx.SetInternal(versionKey, []byte(want)); err != nil {
		idx.Close()
		return nil, false, fmt.Errorf("mark index version: %w", err)
	}
	return idx, true, nil
}

func newEngine(res *Resolver, idx bleve.Index) *Engine {
	return &Engine{res: res, idx: idx, cands: map[int64]*entry{}, roles: map[int64]*entry{}}
}

// Resolver returns the engine's resolver.
func (e *Engine) Resolver() *Resolver { return e.res }

// Close closes the index.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.idx.Close()
}

// Count returns how many documents the index holds.
func (e *Engine) Count() (uint64, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.idx.DocCount()
}

// LastSeq returns the last change-log sequence applied to the index.
func (e *Engine) LastSeq() (int64, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return readSeq(e.idx)
}

func readSeq(idx bleve.Index) (int64, error) {
	v, err := idx.GetInternal(seqKey)
	if err != nil {
		return 0, fmt.Errorf("read applied sequence: %w", err)
	}
	if len(v) == 0 {
		return 0, nil
	}
	return strconv.ParseInt(string(v), 10, 64)
}

// Change is one update to apply: a profile to (re)index, or a deletion
// when Profile is nil.
type Change struct {
	Kind    string
	ID      int64
	Profile *Profile
}

// Apply writes changes and, when seq > 0, the sequence they bring the index
// to, in one batch: either all of it lands or none.
func (e *Engine) Apply(changes []Change, seq int64) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.applyTo(e.idx, changes, seq, true)
}

func (e *Engine) applyTo(idx bleve.Index, changes []Change, seq int64, cache bool) error {
	b := idx.NewBatch()
	sums := make([]uint64, len(changes))
	for i, c := range changes {
		id := docID(c.Kind, c.ID)
		if c.Profile == nil {
			b.Delete(id)
			continue
		}
		d, err := e.res.document(c.Profile)
		if err != nil {
			return err
		}
		sums[i] = docSum(d)
		if err := b.Index(id, d); err != nil {
			return fmt.Errorf("index %s: %w", id, err)
		}
	}
	if seq > 0 {
		b.SetInternal(seqKey, []byte(strconv.FormatInt(seq, 10)))
	}
	if err := idx.Batch(b); err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	if cache {
		for i, c := range changes {
			m := e.cands
			if c.Kind == KindRole {
				m = e.roles
			}
			if c.Profile == nil {
				delete(m, c.ID)
			} else {
				m[c.ID] = e.res.cached(c.Profile, sums[i])
			}
		}
	}
	return nil
}

// IndexCandidates resolves and indexes candidates (no sequence recorded).
func (e *Engine) IndexCandidates(cs []*tsunagu.Candidate) error {
	return e.Apply(e.res.candidateChanges(cs), 0)
}

// IndexRoles resolves and indexes roles (no sequence recorded).
func (e *Engine) IndexRoles(rs []*tsunagu.JobRole) error {
	return e.Apply(e.res.roleChanges(rs), 0)
}

// lookup returns the cached entry of a document, reading its stored profile
// from the index on a miss. Callers hold e.mu (read).
func (e *Engine) lookup(kind string, id int64) (*entry, error) {
	m := e.cands
	if kind == KindRole {
		m = e.roles
	}
	// The caches are written under the write lock only; a miss upgrades.
	if en, ok := m[id]; ok {
		return en, nil
	}
	p, sum, err := e.stored(kind, id)
	if err != nil {
		return nil, err
	}
	return e.res.cached(p, sum), nil
}

// stored decodes the profile stored in the index for a document, with the
// hash of its stored form. Returns ENOTFOUND when it is not indexed.
// Callers hold e.mu (read).
func (e *Engine) stored(kind string, id int64) (*Profile, uint64, error) {
	d, err := e.idx.Document(docID(kind, id))
	if err != nil {
		return nil, 0, fmt.Errorf("read %s %d: %w", kind, id, err)
	}
	if d == nil {
		return nil, 0, tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
	}
	var p *Profile
	var sum uint64
	d.VisitFields(func(f index.Field) {
		if f.Name() == fProfile {
			p = &Profile{}
			sum = profileSum(f.Value())
			if err2 := json.Unmarshal(f.Value(), p); err2 != nil {
				err = err2
			}
		}
	})
	if err != nil || p == nil {
		return nil, 0, fmt.Errorf("decode stored profile %s %d: %v", kind, id, err)
	}
	return p, sum, nil
}

// shown returns the entry of a pool's hit with its profile, to be shown
// with its reasons: a role's cached entry, or a candidate's made again
// from its stored profile (the cache holds none). Returns ENOTFOUND when
// it is no longer indexed.
func (e *Engine) shown(kind string, en *entry) (*entry, error) {
	if en.p != nil {
		return en, nil
	}
	e.mu.RLock()
	p, sum, err := e.stored(kind, en.id)
	e.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	if sum == en.sum {
		// The profile the entry was made from: its arrays index p.Skills.
		full := *en
		full.p = p
		return &full, nil
	}
	return e.res.entry(p), nil // changed since: made again
}

// get is lookup with caching; it takes the locks itself.
func (e *Engine) get(kind string, id int64) (*entry, error) {
	e.mu.RLock()
	m := e.cands
	if kind == KindRole {
		m = e.roles
	}
	en, ok := m[id]
	if ok {
		e.mu.RUnlock()
		return en, nil
	}
	en, err := e.lookup(kind, id)
	e.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	if _, ok := m[id]; !ok {
		m[id] = en
	}
	e.mu.Unlock()
	return en, nil
}

// Profile returns the indexed profile of a candidate or role: a role's is
// cached, a candidate's read from the index. Returns ENOTFOUND when it is
// not indexed.
func (e *Engine) Profile(kind string, id int64) (*Profile, error) {
	en, err := e.get(kind, id)
	if err != nil {
		return nil, err
	}
	en, err = e.shown(kind, en)
	if err != nil {
		return nil, err
	}
	return en.p, nil
}

// visible reports whether a candidate may appear to the viewer.
func visible(c *entry, opts Options) bool {
	v := c.req.vis.String()
	if v == tsunagu.VisibilityHidden {
		return false
	}
	if opts.Viewer == nil {
		return true
	}
	consented := opts.Consented != nil && opts.Consented(c.id)
	return tsunagu.Can(opts.Viewer, tsunagu.ActCandidateViewAnon, tsunagu.Subject{Visibility: v, Consented: consented, ViewerCompanyIDs: opts.ViewerCompanyIDs})
}

// visibility narrows retrieval to candidates the viewer may see: hidden
// ones never; for a company viewer (without a consent check) only those
// visible to companies.
func visibility(q *query.BooleanQuery, opts Options) {
	if companyOnly(opts) {
		q.AddMust(term(fVisibility, tsunagu.VisibilityCompanies, 0))
		return
	}
	q.AddMustNot(term(fVisibility, tsunagu.VisibilityHidden, 0))
}

// companyOnly reports whether the viewer sees only candidates visible to
// companies.
func companyOnly(opts Options) bool {
	return opts.Viewer != nil && !opts.Viewer.Role.Staff() && opts.Consented == nil
}

func term(field, value string, boost float64) query.Query {
	q := bleve.NewTermQuery(value)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// profileQuery is the retrieval disjunction, over documents of kind, for
// documents like p. The
// narrow form asks only for p's likely occupations and their ISCO groups
// (selective terms: fast at any size); the broad form adds its skills and
// required skills (title words when there are few), for profiles whose
// occupation finds too few.
//
// card (kind candidate only) reads the candidates' card fields (fCardOcc,
// fCardISCO, fCardSkill) and no text: a company's pool is found by what
// its cards show, so which candidates it holds reveals no hidden word.
func (e *Engine) profileQuery(kind string, p *entry, broad, card bool) query.Query {
	card = card && kind == KindCandidate
	occF, iscoF, skillF := escoField(kind, fOcc), escoField(kind, fISCO), escoField(kind, fSkill)
	if card {
		occF, iscoF, skillF = fCardOcc, fCardISCO, fCardSkill
	}
	var should []query.Query
	for _, o := range p.p.Occupations {
		if o.Score >= 0.01 {
			should = append(should, term(occF, o.URI, 2+10*o.Score))
		}
	}
	for _, g := range p.isco {
		if g.v >= 0.01 {
			should = append(should, term(iscoF, g.k.String(), 1+3*g.v))
		}
	}
	if broad {
		resolved := 0
		for _, s := range p.p.Skills {
			if s.URI == "" || s.Preferred {
				continue
			}
			resolved++
			should = append(should, term(skillF, s.URI, 1))
		}
		// Title words only when the skills say little (they are slow to
		// match: common words have long postings).
		if p.p.Title != "" && resolved < 3 && !card {
			// Text fields are shared by both kinds: filter by type.
			for _, lang := range textLangs(p.p.Title, p.p.Locale) {
				m := bleve.NewMatchQuery(p.p.Title)
				m.SetField(textFields[lang])
				m.SetBoost(0.5)
				should = append(should, m)
			}
		}
	}
	if len(should) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	return bleve.NewDisjunctionQuery(should...)
}

// retrievePool runs the narrow query for the first n hits keep accepts
// (nil: all) and, when it finds fewer than need, the broad one; filter adds
// the kind's filters to both. It returns the hits' cached entries.
func (e *Engine) retrievePool(ctx context.Context, kind string, filter func(*query.BooleanQuery), p *entry, n, need int, keep func(*entry) bool, card bool) ([]*entry, error) {
	build := func(broad bool) query.Query {
		q := bleve.NewBooleanQuery()
		q.AddMust(e.profileQuery(kind, p, broad, card))
		if broad {
			q.AddMust(term(fType, kind, 0))
		}
		filter(q)
		return q
	}
	ens, err := e.retrieve(ctx, kind, build(false), n, keep)
	if err != nil || len(ens) >= need {
		return ens, err
	}
	return e.retrieve(ctx, kind, build(true), n, keep)
}

// CandidatesForRole ranks the candidates for a role, best first, with the
// reasons. Returns ENOTFOUND when the role is not indexed.
func (e *Engine) CandidatesForRole(ctx context.Context, roleID int64, opts Options) ([]Match, error) {
	role, err := e.get(KindRole, roleID)
	if err != nil {
		return nil, err
	}
	return e.candidatesFor(ctx, role, opts)
}

// CandidatesForProfile ranks candidates for a role profile that need not be
// indexed (a draft being edited).
func (e *Engine) CandidatesForProfile(ctx context.Context, role *Profile, opts Options) ([]Match, error) {
	return e.candidatesFor(ctx, e.res.entry(role), opts)
}

func (e *Engine) candidatesFor(ctx context.Context, role *entry, opts Options) ([]Match, error) {
	// Whom the viewer may see is checked here rather than by the query: a
	// company's filter (every hit visible to companies) made Bleve walk the
	// postings of the candidates it excludes for every hit, most of the
	// search's time. The pool is the same: the first hits the viewer may
	// see, in Bleve's order.
	// A company finds and ranks on what its cards show (profileQuery,
	// Resolver.parts).
	card := opts.Viewer != nil && !opts.Viewer.Role.Staff()
	cands, err := e.retrievePool(ctx, KindCandidate, func(q *query.BooleanQuery) {
		if !companyOnly(opts) {
			visibility(q, opts)
		}
		if hf := hardFilters(role.p); !opts.IncludeNear && len(hf) > 0 {
			q.AddMust(hf...)
		}
	}, role, opts.pool(), 2*opts.limit(), func(c *entry) bool { return visible(c, opts) }, card)
	if err != nil {
		return nil, err
	}
	startBy := opts.startBy()
	rs := make([]rated, 0, len(cands))
	for _, c := range cands {
		raw, unmet := e.res.rate(role, c, startBy, card)
		if unmet > 0 && !opts.IncludeNear {
			continue
		}
		rs = append(rs, rated{c, c.id, raw})
	}
	return e.best(KindCandidate, rs, opts.limit(), func(c *entry) Match { return e.res.score(role, c, startBy, card) })
}

// rated is a hit of a pool with its score, before its reasons are put
// together: only the ones shown get them.
type rated struct {
	e   *entry
	id  int64 // ties go to the lower id
	raw float64
}

// best orders a rated pool (of kind) best first and returns the top limit,
// each with its reasons from match (whose Match.raw is the same score),
// given the hit's entry with its profile (Engine.shown). A hit removed
// from the index meanwhile is left out.
func (e *Engine) best(kind string, rs []rated, limit int, match func(*entry) Match) ([]Match, error) {
	slices.SortFunc(rs, func(a, b rated) int {
		if a.raw != b.raw {
			return cmp.Compare(b.raw, a.raw)
		}
		return cmp.Compare(a.id, b.id)
	})
	out := make([]Match, 0, min(limit, len(rs)))
	for _, r := range rs {
		if len(out) == limit {
			break
		}
		en, err := e.shown(kind, r.e)
		if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, match(en))
	}
	return out, nil
}

// entries returns the cached entries of the ids found, in order, leaving
// out those no longer indexed.
func (e *Engine) entries(kind string, ids []int64) ([]*entry, error) {
	m := e.cands
	if kind == KindRole {
		m = e.roles
	}
	out := make([]*entry, len(ids))
	miss := false
	e.mu.RLock()
	for i, id := range ids {
		out[i] = m[id]
		miss = miss || out[i] == nil
	}
	e.mu.RUnlock()
	if !miss {
		return out, nil
	}
	found := out[:0]
	for i, en := range out {
		if en == nil {
			var err error
			if en, err = e.get(kind, ids[i]); tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
				continue
			} else if err != nil {
				return nil, err
			}
		}
		found = append(found, en)
	}
	return found, nil
}

// hardFilters are a role's hard requirements as index filters.
func hardFilters(r *Profile) []query.Query {
	var out []query.Query
	if r.Japanese > 0 {
		min := float64(r.Japanese)
		inc := true
		q := bleve.NewNumericRangeInclusiveQuery(&min, nil, &inc, nil)
		q.SetField(fJapanese)
		out = append(out, q)
	}
	if (r.Workplace == tsunagu.WorkplaceOnsite || r.Workplace == tsunagu.WorkplaceHybrid) && r.Prefecture != "" {
		reloc := bleve.NewBoolFieldQuery(true)
		reloc.SetField(fRelocate)
		out = append(out, bleve.NewDisjunctionQuery(term(fPrefecture, strings.ToLower(r.Prefecture), 1), term(fPrefs, strings.ToLower(r.Prefecture), 1), reloc))
	}
	return out
}

// RolesForCandidate ranks open roles for a candidate, best first, with what
// the candidate misses for each. Returns ENOTFOUND when the candidate is not
// indexed.
func (e *Engine) RolesForCandidate(ctx context.Context, candidateID int64, opts Options) ([]Match, error) {
	cand, err := e.get(KindCandidate, candidateID)
	if err != nil {
		return nil, err
	}
	if cand, err = e.shown(KindCandidate, cand); err != nil {
		return nil, err
	}
	roles, err := e.retrievePool(ctx, KindRole, func(q *query.BooleanQuery) {
		q.AddMustNot(term(fStatus, tsunagu.RoleDraft, 0), term(fStatus, tsunagu.RoleClosed, 0))
	}, cand, opts.pool(), 2*opts.limit(), nil, false)
	if err != nil {
		return nil, err
	}
	startBy := opts.startBy()
	rs := make([]rated, 0, len(roles))
	for _, r := range roles {
		raw, unmet := e.res.rate(r, cand, startBy, false)
		if unmet > 0 && !opts.IncludeNear {
			continue
		}
		rs = append(rs, rated{r, r.id, raw})
	}
	return e.best(KindRole, rs, opts.limit(), func(r *entry) Match { return e.res.score(r, cand, startBy, false) })
}

// retrieve runs q and returns the cached entries of its first n hits that
// keep accepts (nil: all), asking for more hits while keep turns too many
// away and more exist.
func (e *Engine) retrieve(ctx context.Context, kind string, q query.Query, n int, keep func(*entry) bool) ([]*entry, error) {
	size := n
	if keep != nil {
		size += n/8 + 8 // a few turned away cost no second search
	}
	for {
		req := bleve.NewSearchRequestOptions(q, size, 0, false)
		req.Score = ""
		e.mu.RLock()
		res, err := e.idx.SearchInContext(ctx, req)
		e.mu.RUnlock()
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		ids := make([]int64, 0, len(res.Hits))
		for _, h := range res.Hits {
			_, id, err := parseDocID(h.ID)
			if err != nil {
				continue
			}
			ids = append(ids, id)
		}
		ens, err := e.entries(kind, ids)
		if err != nil {
			return nil, err
		}
		kept := ens[:0]
		for _, en := range ens {
			if keep == nil || keep(en) {
				kept = append(kept, en)
			}
		}
		if len(kept) >= n || uint64(len(res.Hits)) >= res.Total {
			return kept[:min(n, len(kept))], nil
		}
		size *= 2
	}
}
