package app

import (
	"context"
	"path/filepath"
	"sync"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
)

// suggester opens the taxonomy index once, on first use or when warmed up
// in the background at start, so a process that never suggests (a test, a
// one-shot command) never pays for it.
type suggester struct {
	dir  string
	once sync.Once
	done chan struct{}
	n    *taxonomy.Normalizer
	err  error
}

func (s *suggester) open() {
	s.once.Do(func() {
		defer close(s.done)
		t, err := taxonomy.Load()
		if err != nil {
			s.err = err
			return
		}
		s.n, s.err = taxonomy.OpenNormalizer(s.dir, t)
	})
}

// Warm opens the index in the background.
func (s *suggester) Warm() { go s.open() }

// Normalizer waits for the index (or ctx) and returns it.
func (s *suggester) Normalizer(ctx context.Context) (*taxonomy.Normalizer, error) {
	go s.open()
	select {
	case <-s.done:
		return s.n, s.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *suggester) close() {
	select {
	case <-s.done:
		if s.n != nil {
			s.n.Close()
		}
	default:
		// Never opened, or still opening: wait so the files are released.
		go s.open()
		<-s.done
		if s.n != nil {
			s.n.Close()
		}
	}
}

// wireTaxonomy registers the suggestion endpoints over the taxonomy index
// in TSUNAGU_DATA_DIR/taxonomy.
func (a *App) wireTaxonomy() {
	s := &suggester{dir: filepath.Join(a.Config.DataDir, "taxonomy"), done: make(chan struct{})}
	a.suggest = s
	a.Routes = append(a.Routes, thttp.TaxonomyRoutes(s))
	a.OnClose(s.close)
}

// WarmUp prepares what a serving process needs before its first request:
// the taxonomy index for suggestions, in the background.
func (a *App) WarmUp() {
	if a.suggest != nil {
		a.suggest.Warm()
	}
}
