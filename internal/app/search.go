package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/metrics"
	"github.com/tsunagu-org/tsunagu/internal/search"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
)

// SearchDir is where a process keeps its search index inside
// TSUNAGU_DATA_DIR.
func SearchDir(dataDir string) string { return filepath.Join(dataDir, "search") }

// The resolver is built once per process: it is read-only, and building
// it (every ESCO label) is the slow part of opening the index.
var (
	resolverOnce sync.Once
	resolver     *search.Resolver
	resolverErr  error
)

func sharedResolver() (*search.Resolver, error) {
	resolverOnce.Do(func() {
		tax, err := taxonomy.Load()
		if err != nil {
			resolverErr = fmt.Errorf("search: %w", err)
			return
		}
		resolver = search.NewResolver(tax)
	})
	return resolver, resolverErr
}

// searchState holds this process's index, opened on first use: by
// StartSearch in a serving process (which then follows the change log), or
// by the first task that needs it in a worker-only process (which builds
// its own copy in another folder, so a worker beside a web process on one
// machine never waits for the other's index lock).
type searchState struct {
	mu      sync.Mutex
	svc     atomic.Pointer[search.Service]
	started bool
}

// closeSearch closes this process's index, if one was opened.
func (a *App) closeSearch() {
	if svc := a.search.svc.Load(); svc != nil {
		if err := svc.Close(); err != nil {
			a.Log.Warn("search: close index", "err", err)
		}
	}
}

// indexLag is how far this process's index is behind the change log, for
// /metrics.
func (a *App) indexLag(ctx context.Context) (metrics.IndexLag, error) {
	svc := a.search.svc.Load()
	if svc == nil {
		return metrics.IndexLag{}, errNoIndex
	}
	l, err := svc.Lag(ctx)
	return metrics.IndexLag{Changes: l.Changes, Age: l.Age, Holes: l.Holes}, err
}

// Search returns this process's search service (nil before StartSearch or
// the first task that needs it).
func (a *App) Search() *search.Service { return a.search.svc.Load() }

// openSearch opens the index in dir (the caller holds a.search.mu).
func (a *App) openSearch(dir string) (*search.Service, error) {
	if svc := a.search.svc.Load(); svc != nil {
		return svc, nil
	}
	res, err := sharedResolver()
	if err != nil {
		return nil, err
	}
	svc, err := search.NewService(a.DB, a.Config.DatabaseURL, dir, res)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	a.search.svc.Store(svc)
	return svc, nil
}

// StartSearch opens the index in TSUNAGU_DATA_DIR/search, builds it when
// new, catches up from the change log and follows it until Close: serving
// processes call it before they listen.
func (a *App) StartSearch(ctx context.Context) error {
	a.search.mu.Lock()
	defer a.search.mu.Unlock()
	if a.search.started {
		return nil
	}
	svc, err := a.openSearch(SearchDir(a.Config.DataDir))
	if err != nil {
		return err
	}
	if err := svc.Start(ctx); err != nil {
		return err
	}
	a.search.started = true
	return nil
}

// searchReady makes the index current for a task: a serving process's
// index follows the log already; a worker-only process opens and builds
// its own on first use (TSUNAGU_DATA_DIR/search-worker) and catches it up
// before each task.
func (a *App) searchReady(ctx context.Context) error {
	a.search.mu.Lock()
	defer a.search.mu.Unlock()
	if a.search.started {
		return nil
	}
	if a.search.svc.Load() == nil {
		svc, err := a.openSearch(SearchDir(a.Config.DataDir) + "-worker")
		if err != nil {
			return err
		}
		return svc.Prepare(ctx)
	}
	return a.search.svc.Load().CatchUp(ctx)
}

// Default limits of IndexMaxLag and IndexMaxLagChanges: a follower that
// has not read every committed row for 30 s is stuck (it polls every
// second); 50,000 changes behind is most of a minute of applying.
const (
	DefaultIndexMaxLag        = 30 * time.Second
	DefaultIndexMaxLagChanges = 50000
)

// indexReady is /readyz's "index" check: the index is open and following
// the change log, its folder is writable, and it is not behind the log by
// more than IndexMaxLag or IndexMaxLagChanges (saves would answer 200 and
// not be found). A database it cannot read fails the "postgres" check, not
// this one.
func (a *App) indexReady(ctx context.Context) error {
	a.search.mu.Lock()
	started := a.search.started
	a.search.mu.Unlock()
	if !started {
		return errors.New("search index not started")
	}
	if err := dirWritable(SearchDir(a.Config.DataDir)); err != nil {
		return err
	}
	lag, err := a.search.svc.Load().Lag(ctx)
	if err != nil {
		return nil
	}
	if lag.Age > a.IndexMaxLag || lag.Changes > a.IndexMaxLagChanges {
		return fmt.Errorf("search index behind the change log: %d changes, not current for %v (limits %v, %d)",
			lag.Changes, lag.Age.Round(time.Millisecond), a.IndexMaxLag, a.IndexMaxLagChanges)
	}
	return nil
}

// lazyIndex is the matching service's view of this process's index,
// whichever opened it.
type lazyIndex struct{ a *App }

var errNoIndex = errors.New("search index not started")

func (l lazyIndex) svc() (*search.Service, error) {
	if svc := l.a.search.svc.Load(); svc != nil {
		return svc, nil
	}
	return nil, errNoIndex
}

func (l lazyIndex) CandidatesForRole(ctx context.Context, roleID int64, opts search.Options) ([]search.Match, error) {
	svc, err := l.svc()
	if err != nil {
		return nil, err
	}
	return svc.CandidatesForRole(ctx, roleID, opts)
}

func (l lazyIndex) RolesForCandidate(ctx context.Context, candidateID int64, opts search.Options) ([]search.Match, error) {
	svc, err := l.svc()
	if err != nil {
		return nil, err
	}
	return svc.RolesForCandidate(ctx, candidateID, opts)
}

func (l lazyIndex) SearchCandidates(ctx context.Context, q string, f search.Filters, opts search.Options) ([]search.Hit, error) {
	svc, err := l.svc()
	if err != nil {
		return nil, err
	}
	return svc.SearchCandidates(ctx, q, f, opts)
}

func (l lazyIndex) Profile(kind string, id int64) (*search.Profile, error) {
	svc, err := l.svc()
	if err != nil {
		return nil, err
	}
	return svc.Engine().Profile(kind, id)
}

func (l lazyIndex) Applied() int64 {
	if svc := l.a.search.svc.Load(); svc != nil {
		return svc.Applied()
	}
	return 0
}
