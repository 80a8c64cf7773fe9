package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/app"
	"github.com/tsunagu-org/tsunagu/internal/config"
	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/matching"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func newApp(t *testing.T, dataDir string) *app.App {
	t.Helper()
	env := map[string]string{
		"DATABASE_URL": dbtest.NewDatabaseURL(t), "REDIS_URL": dbtest.NewRedisURL(t),
		"TSUNAGU_DATA_DIR": dataDir, "TSUNAGU_ADDR": "127.0.0.1:0", "TSUNAGU_DEV": "1",
	}
	cfg, err := config.FromEnv(func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return a
}

// TestSearchWiring: a worker-only process opens no index until a task needs
// one, then builds its own beside the web process's folder; a serving
// process starts the index under TSUNAGU_DATA_DIR/search, and /readyz's
// index check follows.
func TestSearchWiring(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	t.Run("Worker", func(t *testing.T) {
		a := newApp(t, dir)
		if a.Search() != nil {
			t.Fatal("index opened before anything needed it")
		}
		if _, err := a.Matching.RunSavedSearches(ctx); err != nil {
			t.Fatal(err)
		}
		if a.Search() == nil {
			t.Fatal("the saved-search task did not open an index")
		}
		if _, err := os.Stat(filepath.Join(dir, "search-worker", "CURRENT")); err != nil {
			t.Errorf("worker index: %v", err)
		}
	})
	t.Run("Serve", func(t *testing.T) {
		a := newApp(t, dir)
		srv, err := a.Server()
		if err != nil {
			t.Fatal(err)
		}
		ready := func() string {
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			return rec.Body.String()
		}
		if body := ready(); strings.Contains(body, `"index":"ok"`) {
			t.Errorf("readyz before the index started: %s", body)
		}
		if err := a.StartSearch(ctx); err != nil {
			t.Fatal(err)
		}
		if err := a.StartSearch(ctx); err != nil {
			t.Fatalf("second start: %v", err)
		}
		if body := ready(); !strings.Contains(body, `"index":"ok"`) {
			t.Errorf("readyz after the index started: %s", body)
		}
		if _, err := os.Stat(filepath.Join(dir, "search", "CURRENT")); err != nil {
			t.Errorf("serving index: %v", err)
		}
		user := &tsunagu.User{ID: 1, Role: tsunagu.RoleCoordinator}
		if _, err := a.Matching.SearchPool(tsunagu.NewContextWithUser(ctx, user), matching.PoolQuery{Text: "accountant"}, "en"); err != nil {
			t.Fatal(err)
		}
	})
}
