package app

import (
	"context"
	"errors"
	"sync"

	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
)

// suggester opens the taxonomy index once, on first use or when warmed up
// in the background at start, so a process that never suggests (a test, a
// one-shot command) never pays for it.
type suggester struct {
	dir    string
	done   chan struct{}      // closed when opening has finished
	ctx    context.Context    // ends at close: a first-run build is abandoned
	cancel context.CancelFunc // rather than holding up shutdown

	mu      sync.Mutex
	started bool
	closed  bool
	n       *taxonomy.Normalizer
	err     error
}

// start begins opening the index unless it has begun or the app closed.
func (s *suggester) start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.closed {
		return
	}
	s.started = true
	go func() {
		defer close(s.done)
		t, err := taxonomy.Load()
		var n *taxonomy.Normalizer
		if err == nil {
			n, err = taxonomy.OpenNormalizerContext(s.ctx, s.dir, t)
		}
		s.mu.Lock()
		s.n, s.err = n, err
		s.mu.Unlock()
	}()
}

func newSuggester(dir string) *suggester {
	ctx, cancel := context.WithCancel(context.Background())
	return &suggester{dir: dir, done: make(chan struct{}), ctx: ctx, cancel: cancel}
}

// Warm opens the index in the background.
func (s *suggester) Warm() { s.start() }

// Normalizer waits for the index (or ctx) and returns it.
func (s *suggester) Normalizer(ctx context.Context) (*taxonomy.Normalizer, error) {
	s.start()
	s.mu.Lock()
	closed, started := s.closed, s.started
	s.mu.Unlock()
	if closed && !started {
		return nil, errors.New("taxonomy index: closed")
	}
	select {
	case <-s.done:
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.n, s.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// close stops an opening in progress (a first run's build is abandoned and
// redone at the next start), waits for it, and releases the index; an index
// never opened stays unopened.
func (s *suggester) close() {
	s.mu.Lock()
	s.closed = true
	started := s.started
	s.mu.Unlock()
	s.cancel()
	if !started {
		return
	}
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n != nil {
		s.n.Close()
		s.n = nil
	}
}

// WarmUp prepares what a serving process needs before its first request:
// the taxonomy index for suggestions, in the background.
func (a *App) WarmUp() {
	if a.suggest != nil {
		a.suggest.Warm()
	}
}

// SuggestionsReady opens the taxonomy index now and waits for it (or ctx).
func (a *App) SuggestionsReady(ctx context.Context) error {
	_, err := a.suggest.Normalizer(ctx)
	return err
}
