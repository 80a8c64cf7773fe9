package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// currentFile names, inside the data folder, the live index folder.
const currentFile = "CURRENT"

// Service is the search a serving process uses: an Engine over a Bleve index
// in its own data folder, kept current from the database's change log.
//
//	svc, err := search.NewService(db, cfg.DatabaseURL, cfg.DataDir, res)
//	err = svc.Start(ctx)       // build if new, catch up, then follow
//	ms, err := svc.CandidatesForRole(ctx, roleID, search.Options{Viewer: u})
//	svc.Close()
type Service struct {
	db  *postgres.DB
	dsn string
	dir string
	res *Resolver
	eng *Engine

	// PollInterval is how often the follower polls when no NOTIFY comes
	// (default 1s). GapTimeout is how long a hole in the sequence (a
	// transaction that took a number and has not committed) holds back the
	// recorded sequence before it is taken as rolled back (default 30s).
	// Every hole's clock starts when it is first seen, so any number of
	// holes (a PostgreSQL crash skips up to 32 numbers) hold it back for
	// one GapTimeout together.
	PollInterval time.Duration
	GapTimeout   time.Duration

	current string // live index folder name
	build   bool   // the live index is new and must be built

	// The follower's position: every change-log row up to durable is
	// applied (or its number given up as rolled back), and every row up to
	// high but the holes. A hole is looked up again on every pass, and
	// new rows are read past high, so neither a hole nor any number of rows
	// after one keeps newer rows from being read.
	applyMu sync.Mutex
	durable int64               // sequence recorded in the index
	high    int64               // highest sequence read
	holes   map[int64]time.Time // numbers in (durable, high] without a row yet, and when first seen

	// Read without applyMu (a pass holds it through its database reads):
	// high, the number of holes, and when a pass last read everything
	// committed (unix nanoseconds).
	applied   atomic.Int64
	holeCount atomic.Int64
	caughtUp  atomic.Int64

	cancel context.CancelFunc
	done   chan struct{}

	// beforeApply, when set (tests), runs before each batch is written.
	beforeApply func(n int) error
}

// NewService opens (or creates) the index in dataDir. Call Start before
// searching.
func NewService(db *postgres.DB, databaseURL, dataDir string, res *Resolver) (*Service, error) {
	s := &Service{db: db, dsn: databaseURL, dir: dataDir, res: res, PollInterval: time.Second,
		GapTimeout: 30 * time.Second, holes: map[int64]time.Time{}}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	name, err := readCurrent(dataDir)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = newIndexName()
	}
	eng, fresh, err := OpenEngine(res, filepath.Join(dataDir, name))
	if err != nil {
		return nil, err
	}
	if err := writeCurrent(dataDir, name); err != nil {
		eng.Close()
		return nil, err
	}
	s.eng, s.current, s.build = eng, name, fresh
	eng.mu.RLock()
	durable, high, holes, err := readFollowState(eng.idx)
	eng.mu.RUnlock()
	if err != nil {
		eng.Close()
		return nil, err
	}
	s.setPosition(durable, high, holes)
	return s, nil
}

func readCurrent(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", currentFile, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// writeCurrent points the data folder at an index folder, atomically.
func writeCurrent(dir, name string) error {
	tmp := filepath.Join(dir, currentFile+".tmp")
	if err := os.WriteFile(tmp, []byte(name+"\n"), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", currentFile, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, currentFile)); err != nil {
		return fmt.Errorf("write %s: %w", currentFile, err)
	}
	return nil
}

func newIndexName() string {
	return "index-" + strconv.FormatInt(time.Now().UnixNano(), 36)
}

// Engine returns the engine (for in-process use such as benchmarks).
func (s *Service) Engine() *Engine { return s.eng }

// Start builds the index when it is new, catches up from the change log,
// and follows it in the background until Close (or ctx ends).
func (s *Service) Start(ctx context.Context) error {
	// LISTEN before catching up: a row committed in between is then either
	// caught up or announced, never missed until the next poll.
	l := pq.NewListener(s.dsn, 50*time.Millisecond, 5*time.Second, func(ev pq.ListenerEventType, err error) {
		if err != nil {
			slog.Warn("search: change log listener", "err", err)
		}
	})
	if err := l.Listen(postgres.ChangeLogChannel); err != nil {
		slog.Warn("search: listen for changes; polling only", "err", err)
	}
	if err := s.Prepare(ctx); err != nil {
		l.Close()
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	s.cancel, s.done = cancel, make(chan struct{})
	go s.follow(ctx, l)
	return nil
}

// Prepare builds the index when it is new and catches up from the change
// log, without following it (one-shot commands).
func (s *Service) Prepare(ctx context.Context) error {
	if s.build {
		if err := s.rebuildFrom(ctx, DBSource(s.db)); err != nil {
			return err
		}
	}
	return s.CatchUp(ctx)
}

// Close stops following and closes the index.
func (s *Service) Close() error {
	if s.cancel != nil {
		s.cancel()
		<-s.done
	}
	return s.eng.Close()
}

// follow applies the change log as NOTIFY announces rows on l, polling as a
// fallback, and picks up an index rebuilt by `tsunagu reindex`.
func (s *Service) follow(ctx context.Context, l *pq.Listener) {
	defer close(s.done)
	defer l.Close()
	poll := s.PollInterval
	if poll <= 0 {
		poll = time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.Notify:
			// Coalesce a burst of notifications into one pass.
			for drained := false; !drained; {
				select {
				case <-l.Notify:
				default:
					drained = true
				}
			}
		case <-t.C:
			if err := s.pickUpRebuilt(); err != nil {
				slog.Error("search: switch to rebuilt index", "err", err)
			}
		}
		if err := s.CatchUp(ctx); err != nil && ctx.Err() == nil {
			slog.Error("search: apply change log", "err", err)
		}
	}
}

// changePage is how many change-log rows CatchUp reads at a time.
const changePage = 2000

// maxNewHoles bounds the holes one jump in the sequence opens (a sequence
// set forward by hand): numbers beyond it are given up at once.
const maxNewHoles = 10000

// CatchUp applies every change-log row not yet applied: the rows that
// filled a hole since the last pass, then every row past the highest read,
// a page at a time. A hole older than GapTimeout is given up (taken as
// rolled back); all such holes go together.
func (s *Service) CatchUp(ctx context.Context) error {
	s.applyMu.Lock()
	defer s.applyMu.Unlock()
	var late []postgres.Change
	if len(s.holes) > 0 {
		seqs := make([]int64, 0, len(s.holes))
		for q := range s.holes {
			seqs = append(seqs, q)
		}
		var err error
		if late, err = s.db.ChangesAt(ctx, seqs); err != nil {
			return err
		}
	}
	for {
		readAt := time.Now()
		rows, err := s.db.ChangesSince(ctx, s.high, changePage)
		if err != nil {
			return err
		}
		todo := append(late, rows...)
		late = nil
		if err := s.apply(ctx, todo, rows); err != nil {
			return err
		}
		if len(rows) < changePage {
			s.caughtUp.Store(readAt.UnixNano())
			return nil
		}
	}
}

// apply applies todo (rows, read past high, and any rows that filled
// holes) and records the sequence the index reaches, in one batch; the
// follower's position moves only once the batch is written.
func (s *Service) apply(ctx context.Context, todo, rows []postgres.Change) error {
	now := time.Now()
	filled := map[int64]bool{}
	for _, r := range todo {
		if r.Seq <= s.high {
			filled[r.Seq] = true
		}
	}
	// Numbers skipped between the rows read are new holes.
	high := s.high
	added := map[int64]time.Time{}
	for _, r := range rows {
		if r.Seq-high-1 > maxNewHoles {
			slog.Warn("search: change log jumped; numbers skipped given up", "from", high, "to", r.Seq)
		}
		for q := max(high+1, r.Seq-maxNewHoles); q < r.Seq; q++ {
			added[q] = now
		}
		high = max(high, r.Seq)
	}
	// The recorded sequence stops before the lowest hole still waited for.
	next := high
	var expired []int64
	wait := func(q int64, since time.Time) {
		if now.Sub(since) >= s.GapTimeout {
			expired = append(expired, q)
		} else if q-1 < next {
			next = q - 1
		}
	}
	for q, since := range s.holes {
		if !filled[q] {
			wait(q, since)
		}
	}
	for q, since := range added {
		wait(q, since)
	}
	changes, err := s.load(ctx, todo)
	if err != nil {
		return err
	}
	if s.beforeApply != nil {
		if err := s.beforeApply(len(changes)); err != nil {
			return err
		}
	}
	if len(changes) > 0 || next != s.durable {
		if err := s.eng.Apply(changes, next); err != nil {
			return err
		}
	}
	for q := range filled {
		delete(s.holes, q)
	}
	for q, since := range added {
		s.holes[q] = since
	}
	for _, q := range expired {
		delete(s.holes, q)
	}
	if len(expired) > 0 {
		slog.Info("search: change-log holes given up as rolled back", "count", len(expired), "timeout", s.GapTimeout)
	}
	s.high, s.durable = high, next
	s.applied.Store(high)
	s.holeCount.Store(int64(len(s.holes)))
	return nil
}

// setPosition sets the follower's position (the caller holds applyMu, or
// owns s): every row up to durable applied, and every row up to high but
// holes, whose clocks start now.
func (s *Service) setPosition(durable, high int64, holes []int64) {
	s.durable, s.high = durable, max(durable, high)
	s.holes = make(map[int64]time.Time, len(holes))
	now := time.Now()
	for _, h := range holes {
		if h > s.durable && h <= s.high {
			s.holes[h] = now
		}
	}
	s.applied.Store(s.high)
	s.holeCount.Store(int64(len(s.holes)))
	s.caughtUp.Store(now.UnixNano())
}

// Lag is how far this process's index is behind the change log.
type Lag struct {
	// Changes counts the sequence numbers in the log past the highest
	// applied.
	Changes int64
	// Age is, while Changes > 0, how long since the follower last had read
	// every row committed (0 otherwise): a healthy follower stays within
	// PollInterval of it.
	Age time.Duration
	// Holes counts the numbers below the highest applied still waited for
	// (a transaction open, or rolled back and not yet given up).
	Holes int
}

// Lag reads the change log's highest sequence and compares it with the
// index's; it does not wait for a pass under way.
func (s *Service) Lag(ctx context.Context) (Lag, error) {
	top, err := s.db.LastChangeSeq(ctx)
	if err != nil {
		return Lag{}, err
	}
	l := Lag{Changes: max(top-s.applied.Load(), 0), Holes: int(s.holeCount.Load())}
	if l.Changes > 0 {
		l.Age = time.Since(time.Unix(0, s.caughtUp.Load()))
	}
	return l, nil
}

// load reads the current state of the changed records: the last row per
// record decides; a record gone from the database is deleted.
func (s *Service) load(ctx context.Context, rows []postgres.Change) ([]Change, error) {
	type key struct {
		kind string
		id   int64
	}
	last := map[key]string{}
	var order []key
	for _, r := range rows {
		kind := r.Entity
		if kind != KindCandidate && kind != KindRole {
			continue
		}
		k := key{kind, r.EntityID}
		if _, ok := last[k]; !ok {
			order = append(order, k)
		}
		last[k] = r.Op
	}
	var candIDs, roleIDs []int64
	for _, k := range order {
		if last[k] != "upsert" {
			continue
		}
		if k.kind == KindCandidate {
			candIDs = append(candIDs, k.id)
		} else {
			roleIDs = append(roleIDs, k.id)
		}
	}
	profiles := map[key]*Profile{}
	if len(candIDs) > 0 {
		cs, err := s.db.CandidatesByIDs(ctx, candIDs)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			profiles[key{KindCandidate, c.ID}] = s.res.Candidate(c)
		}
	}
	if len(roleIDs) > 0 {
		rs, err := s.db.RolesByIDs(ctx, roleIDs)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			profiles[key{KindRole, r.ID}] = s.res.Role(r)
		}
	}
	out := make([]Change, 0, len(order))
	for _, k := range order {
		out = append(out, Change{Kind: k.kind, ID: k.id, Profile: profiles[k]})
	}
	return out, nil
}

// Applied returns the highest change-log sequence applied so far (without
// waiting for a pass under way).
func (s *Service) Applied() int64 { return s.applied.Load() }

// WaitApplied waits until the change-log row seq has been applied.
func (s *Service) WaitApplied(ctx context.Context, seq int64) error {
	for {
		s.applyMu.Lock()
		_, hole := s.holes[seq]
		ok := s.high >= seq && !hole
		s.applyMu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// Reindex rebuilds the index from the database in a new folder beside the
// live one, swaps it in while searches go on, catches up and removes the old
// folder.
func (s *Service) Reindex(ctx context.Context) error {
	return s.ReindexFrom(ctx, DBSource(s.db))
}

// ReindexFrom is Reindex from another source (records in memory for a
// benchmark or a bulk load): the index holds exactly what src yields, then
// catches up from the sequence src reports.
func (s *Service) ReindexFrom(ctx context.Context, src Source) error {
	if err := s.rebuildFrom(ctx, src); err != nil {
		return err
	}
	return s.CatchUp(ctx)
}

// rebuildFrom builds an index from src beside the live one and swaps it in.
func (s *Service) rebuildFrom(ctx context.Context, src Source) error {
	name := newIndexName()
	b, err := buildIndexReusing(ctx, s.res, filepath.Join(s.dir, name), src, true, s.eng.reusableSum)
	if err != nil {
		return err
	}
	if err := s.swap(b.idx, name, b.seq, b.top, b.holes, b.cands, b.roles); err != nil {
		return err
	}
	s.build = false
	return nil
}

// swap makes idx (folder name) the live index, reflecting every change-log
// row up to durable, and up to high but the holes, with the given profile
// caches (nil: empty).
func (s *Service) swap(idx bleve.Index, name string, durable, high int64, holes []int64, cands, roles map[int64]*entry) error {
	if cands == nil || roles == nil {
		cands, roles = map[int64]*entry{}, map[int64]*entry{}
	}
	s.applyMu.Lock()
	defer s.applyMu.Unlock()
	if err := writeCurrent(s.dir, name); err != nil {
		return err
	}
	s.eng.mu.Lock()
	old := s.eng.idx
	s.eng.idx = idx
	s.eng.cands, s.eng.roles = cands, roles
	s.eng.mu.Unlock()
	oldName := s.current
	s.current = name
	s.setPosition(durable, high, holes)
	if err := old.Close(); err != nil {
		slog.Warn("search: close old index", "err", err)
	}
	if oldName != name {
		os.RemoveAll(filepath.Join(s.dir, oldName))
	}
	return nil
}

// pickUpRebuilt switches to the index `tsunagu reindex` built, when the
// data folder's CURRENT names another folder.
func (s *Service) pickUpRebuilt() error {
	name, err := readCurrent(s.dir)
	if err != nil || name == "" || name == s.current {
		return err
	}
	idx, fresh, err := openIndex(s.res, filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	if fresh {
		idx.Close()
		return fmt.Errorf("index %s named in %s is not built", name, currentFile)
	}
	durable, high, holes, err := readFollowState(idx)
	if err != nil {
		idx.Close()
		return err
	}
	return s.swap(idx, name, durable, high, holes, nil, nil)
}

// Rebuild builds a new index in dataDir from the database and points
// CURRENT at it, for `tsunagu reindex`. A serving process using dataDir
// switches to it on its next poll; the old folder is removed here when no
// process holds it, else by that process when it switches.
func Rebuild(ctx context.Context, db *postgres.DB, res *Resolver, dataDir string) (docs uint64, err error) {
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return 0, fmt.Errorf("create data folder: %w", err)
	}
	old, err := readCurrent(dataDir)
	if err != nil {
		return 0, err
	}
	name := newIndexName()
	b, err := buildIndex(ctx, res, filepath.Join(dataDir, name), DBSource(db), false)
	if err != nil {
		return 0, err
	}
	idx := b.idx
	docs, _ = idx.DocCount()
	if err := idx.Close(); err != nil {
		return 0, fmt.Errorf("close new index: %w", err)
	}
	if err := writeCurrent(dataDir, name); err != nil {
		return 0, err
	}
	if old != "" && old != name {
		// Remove the old index unless a serving process holds it open.
		oldPath := filepath.Join(dataDir, old)
		if oi, err := bleve.OpenUsing(oldPath, map[string]any{"bolt_timeout": "200ms"}); err == nil {
			oi.Close()
			os.RemoveAll(oldPath)
		}
	}
	return docs, nil
}

// candidateChanges resolves candidates in parallel.
func (r *Resolver) candidateChanges(cs []*tsunagu.Candidate) []Change {
	out := make([]Change, len(cs))
	parallel(len(cs), func(i int) {
		out[i] = Change{Kind: KindCandidate, ID: cs[i].ID, Profile: r.Candidate(cs[i])}
	})
	return out
}

// roleChanges resolves roles in parallel.
func (r *Resolver) roleChanges(rs []*tsunagu.JobRole) []Change {
	out := make([]Change, len(rs))
	parallel(len(rs), func(i int) {
		out[i] = Change{Kind: KindRole, ID: rs[i].ID, Profile: r.Role(rs[i])}
	})
	return out
}

// parallel runs fn(0..n-1) on every CPU.
func parallel(n int, fn func(i int)) {
	w := min(runtime.GOMAXPROCS(0), n)
	if w <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	for k := 0; k < w; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			for i := k; i < n; i += w {
				fn(i)
			}
		}(k)
	}
	wg.Wait()
}

// CandidatesForRole ranks candidates for a role (see Engine). Returns
// ENOTFOUND when the role is not indexed.
func (s *Service) CandidatesForRole(ctx context.Context, roleID int64, opts Options) ([]Match, error) {
	return s.eng.CandidatesForRole(ctx, roleID, opts)
}

// RolesForCandidate ranks open roles for a candidate (see Engine). Returns
// ENOTFOUND when the candidate is not indexed.
func (s *Service) RolesForCandidate(ctx context.Context, candidateID int64, opts Options) ([]Match, error) {
	return s.eng.RolesForCandidate(ctx, candidateID, opts)
}

// SearchCandidates searches the pool with free text and filters (see
// Engine.SearchCandidates).
func (s *Service) SearchCandidates(ctx context.Context, q string, f Filters, opts Options) ([]Hit, error) {
	return s.eng.SearchCandidates(ctx, q, f, opts)
}
