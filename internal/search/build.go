package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// A Source yields every candidate and role an index is built from.
type Source interface {
	// Scan calls page with successive pages of records (either slice may
	// be empty) until every record is given, and returns the change-log
	// sequence the records reflect: read before the first page, so later
	// changes are applied after the build.
	Scan(ctx context.Context, page func(cs []*tsunagu.Candidate, rs []*tsunagu.JobRole) error) (seq int64, err error)
}

// Records is a Source over records held in memory (benchmarks, tests), as
// of change-log sequence Seq.
type Records struct {
	Candidates []*tsunagu.Candidate
	Roles      []*tsunagu.JobRole
	Seq        int64
}

// Scan gives the records in pages of buildPage.
func (r Records) Scan(ctx context.Context, page func([]*tsunagu.Candidate, []*tsunagu.JobRole) error) (int64, error) {
	for i := 0; i < len(r.Candidates); i += buildPage {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if err := page(r.Candidates[i:min(i+buildPage, len(r.Candidates))], nil); err != nil {
			return 0, err
		}
	}
	for i := 0; i < len(r.Roles); i += buildPage {
		if err := page(nil, r.Roles[i:min(i+buildPage, len(r.Roles))]); err != nil {
			return 0, err
		}
	}
	return r.Seq, nil
}

// holeSource is a Source that also reports, after Scan, the sequence
// numbers below the one it returned whose rows were not committed when it
// was read (see postgres.ChangeLogMark): the build does not reflect them, so
// the follower waits for them as for any hole.
type holeSource interface {
	Holes() []int64
}

// holeWindow is how far below its mark a rebuild looks for holes: a
// transaction open across the rebuild's start that took its number more
// than holeWindow changes earlier is not waited for.
var holeWindow int64 = 10000

// DBSource reads every candidate and role from PostgreSQL in keyset pages
// (by id), so a rebuild never holds the whole table.
func DBSource(db *postgres.DB) Source { return dbSource{db: db, holes: new([]int64)} }

type dbSource struct {
	db    *postgres.DB
	holes *[]int64
}

// Holes returns the holes below the mark of the last Scan.
func (s dbSource) Holes() []int64 { return *s.holes }

func (s dbSource) Scan(ctx context.Context, page func([]*tsunagu.Candidate, []*tsunagu.JobRole) error) (int64, error) {
	seq, holes, err := s.db.ChangeLogMark(ctx, holeWindow)
	if err != nil {
		return 0, err
	}
	*s.holes = holes
	// The next page is read while this one is resolved: PostgreSQL
	// assembles the rows on its own core.
	type read struct {
		cs  []*tsunagu.Candidate
		rs  []*tsunagu.JobRole
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	pages := make(chan read, 1)
	// Scan returns only once the reader has stopped: never using the
	// database after its caller may have closed it.
	defer func() {
		cancel()
		for range pages {
		}
	}()
	n := buildPage
	go func() {
		defer close(pages)
		send := func(r read) bool {
			select {
			case pages <- r:
				return r.err == nil
			case <-ctx.Done():
				return false
			}
		}
		for after := int64(0); ; {
			ids, err := s.db.CandidateIDs(ctx, after, n)
			if err != nil || len(ids) == 0 {
				if err != nil {
					send(read{err: err})
					return
				}
				break
			}
			cs, err := s.db.CandidatesByIDs(ctx, ids)
			if !send(read{cs: cs, err: err}) {
				return
			}
			after = ids[len(ids)-1]
		}
		for after := int64(0); ; {
			ids, err := s.db.RoleIDs(ctx, after, n)
			if err != nil || len(ids) == 0 {
				if err != nil {
					send(read{err: err})
				}
				return
			}
			rs, err := s.db.RolesByIDs(ctx, ids)
			if !send(read{rs: rs, err: err}) {
				return
			}
			after = ids[len(ids)-1]
		}
	}()
	for r := range pages {
		if r.err != nil {
			return 0, r.err
		}
		if err := page(r.cs, r.rs); err != nil {
			return 0, err
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return seq, nil
}

// Bulk build settings. A page of records is resolved (on every core) while
// buildWorkers feed the previous one to the builder, which writes a segment
// every buildBatch documents and merges them all into one when done.
var (
	buildPage     = 1000
	buildBatch    = 5000
	buildMergeMax = 32
	buildWorkers  = 2
)

// pendingDocs are resolved documents on their way to the builder, with
// their cache entries when the build warms a cache.
type pendingDocs struct {
	ids     []string
	docs    []map[string]any
	entries []*entry
}

// builtIndex is an index built in bulk: open, reflecting every change-log
// row up to top but the holes, with the cache entries of its profiles when
// asked for. seq (recorded in the index) is the last sequence before the
// first hole.
type builtIndex struct {
	idx          bleve.Index
	seq, top     int64
	holes        []int64
	cands, roles map[int64]*entry
}

// buildIndex builds a new index at path from src with Bleve's offline
// builder (no persister or merger running beside it, one segment at the
// end), records the taxonomy version and the sequence src reflects, and
// opens it. With warm, it also returns every profile's cache entry, so a
// serving engine swapping it in starts with the cache it would have built
// up (the entries are computed anyway on the first searches); reuse, when
// not nil, gives the live cache's entry for a profile unchanged since it was
// made, which the new cache then shares.
func buildIndex(ctx context.Context, res *Resolver, path string, src Source, warm bool) (*builtIndex, error) {
	return buildIndexReusing(ctx, res, path, src, warm, nil)
}

// buildIndexReusing is buildIndex sharing the entries reuse gives.
func buildIndexReusing(ctx context.Context, res *Resolver, path string, src Source, warm bool, reuse func(kind string, id int64, sum uint64) *entry) (*builtIndex, error) {
	if err := os.RemoveAll(path); err != nil {
		return nil, fmt.Errorf("clear index folder: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create index folder: %w", err)
	}
	// The builder writes its segments in a folder beside the index (not in
	// /tmp, which may be another file system the final rename cannot cross).
	tmp := path + ".build"
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("create build folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	fail := func(err error) (*builtIndex, error) {
		os.RemoveAll(path)
		return nil, err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan pendingDocs, 1)
	var seq int64
	var scanErr error
	go func() {
		defer close(ch)
		seq, scanErr = src.Scan(ctx, func(cs []*tsunagu.Candidate, rs []*tsunagu.JobRole) error {
			n := len(cs) + len(rs)
			p := pendingDocs{ids: make([]string, n), docs: make([]map[string]any, n)}
			if warm {
				p.entries = make([]*entry, n)
			}
			errs := make([]error, n)
			parallel(len(p.ids), func(i int) {
				var prof *Profile
				if i < len(cs) {
					prof = res.Candidate(cs[i])
				} else {
					prof = res.Role(rs[i-len(cs)])
				}
				p.ids[i] = docID(prof.Kind, prof.ID)
				p.docs[i], errs[i] = res.document(prof)
				if warm && errs[i] == nil {
					sum := docSum(p.docs[i])
					if reuse != nil {
						p.entries[i] = reuse(prof.Kind, prof.ID, sum)
					}
					if p.entries[i] == nil {
						p.entries[i] = res.cached(prof, sum)
					}
				}
			})
			if err := errors.Join(errs...); err != nil {
				return err
			}
			select {
			case ch <- p:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	b, err := bleve.NewBuilder(path, NewMapping(), map[string]any{
		"batchSize": buildBatch, "mergeMax": buildMergeMax, "buildPathPrefix": tmp,
	})
	if err != nil {
		cancel()
		for range ch { // let the scan end
		}
		return fail(fmt.Errorf("new index builder: %w", err))
	}
	// Two workers feed the builder: one maps its documents while the other
	// holds the builder to analyse and write a full batch.
	out := &builtIndex{}
	if warm {
		out.cands, out.roles = map[int64]*entry{}, map[int64]*entry{}
	}
	var (
		mu       sync.Mutex
		indexErr error
		docs     atomic.Int64
		wg       sync.WaitGroup
	)
	for range buildWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range ch {
				mu.Lock()
				failed := indexErr != nil
				for _, en := range p.entries {
					if en == nil {
						continue // its document failed: the scan reports it
					}
					if en.isRole() {
						out.roles[en.id] = en
					} else {
						out.cands[en.id] = en
					}
				}
				mu.Unlock()
				if failed {
					continue // drain so the scan ends
				}
				for i, id := range p.ids {
					if err := b.Index(id, p.docs[i]); err != nil {
						mu.Lock()
						indexErr = errors.Join(indexErr, fmt.Errorf("index %s: %w", id, err))
						mu.Unlock()
						cancel()
						break
					}
				}
				docs.Add(int64(len(p.ids)))
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(indexErr, scanErr); err != nil {
		return fail(err) // the builder's segments go with tmp
	}
	if docs.Load() == 0 {
		// The builder cannot finish empty: an empty index instead.
		if err := os.RemoveAll(path); err != nil {
			return fail(fmt.Errorf("clear index folder: %w", err))
		}
		idx, err := bleve.New(path, NewMapping())
		if err != nil {
			return fail(fmt.Errorf("create index %s: %w", path, err))
		}
		idx.Close()
	} else if err := b.Close(); err != nil {
		return fail(fmt.Errorf("finish index: %w", err))
	}
	idx, err := bleve.OpenUsing(path, map[string]any{"bolt_timeout": "5s"})
	if err != nil {
		return fail(fmt.Errorf("open built index: %w", err))
	}
	var holes []int64
	if h, ok := src.(holeSource); ok {
		holes = h.Holes()
	}
	low := seq
	if len(holes) > 0 {
		low = holes[0] - 1
	}
	batch := idx.NewBatch()
	batch.SetInternal(versionKey, []byte(res.tax.Version()+"/"+mappingVersion))
	batch.SetInternal(seqKey, []byte(strconv.FormatInt(low, 10)))
	batch.SetInternal(builtKey, encodeBuilt(seq, holes))
	if err := idx.Batch(batch); err != nil {
		idx.Close()
		return fail(fmt.Errorf("mark built index: %w", err))
	}
	out.idx, out.seq, out.top, out.holes = idx, low, seq, holes
	return out, nil
}

// builtKey is the internal key holding, for a built index, the sequence it
// reflects and the holes below it ("top h1 h2 ..."): a process that picks
// the index up, or restarts before its recorded sequence passes top, knows
// which rows up to top it must still apply.
var builtKey = []byte("tsunagu:built")

func encodeBuilt(top int64, holes []int64) []byte {
	b := strconv.AppendInt(nil, top, 10)
	for _, h := range holes {
		b = append(b, ' ')
		b = strconv.AppendInt(b, h, 10)
	}
	return b
}

// readFollowState reads what an index has applied: every change-log row up
// to durable, and every row up to high but the holes.
func readFollowState(idx bleve.Index) (durable, high int64, holes []int64, err error) {
	if durable, err = readSeq(idx); err != nil {
		return 0, 0, nil, err
	}
	v, err := idx.GetInternal(builtKey)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("read built mark: %w", err)
	}
	high = durable
	f := strings.Fields(string(v))
	if len(f) == 0 {
		return durable, high, nil, nil
	}
	top, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || top <= durable {
		return durable, high, nil, nil // past it (or unreadable: re-read from durable)
	}
	for _, x := range f[1:] {
		h, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return durable, durable, nil, nil
		}
		if h > durable && h <= top {
			holes = append(holes, h)
		}
	}
	return durable, top, holes, nil
}
