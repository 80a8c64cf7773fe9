package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/app"
)

// metricValue scrapes a's /metrics and returns the value of an unlabelled
// metric (-1 when absent).
func metricValue(t *testing.T, a *app.App, name string) float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	a.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return f
		}
	}
	return -1
}

// TestReadyzIndexLag: /readyz fails its index check while the index is
// behind the change log for longer than IndexMaxLag (the follower stuck on
// a locked table), /metrics shows the lag, and both recover when it
// catches up.
func TestReadyzIndexLag(t *testing.T) {
	ctx := context.Background()
	a := newApp(t, t.TempDir())
	if err := a.StartSearch(ctx); err != nil {
		t.Fatal(err)
	}
	srv, err := a.Server()
	if err != nil {
		t.Fatal(err)
	}
	ready := func() (int, []string, string) {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		var body struct{ Failing []string }
		json.Unmarshal(rec.Body.Bytes(), &body)
		return rec.Code, body.Failing, rec.Body.String()
	}
	if code, _, body := ready(); code != http.StatusOK {
		t.Fatalf("readyz before: %d %s", code, body)
	}
	if got := metricValue(t, a, "tsunagu_index_lag_changes"); got != 0 {
		t.Errorf("tsunagu_index_lag_changes before = %v, want 0", got)
	}

	a.IndexMaxLag = 500 * time.Millisecond
	// The follower reads the new row but cannot read the candidate it
	// names until the lock goes.
	tx, err := a.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `LOCK TABLE candidates IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.ExecContext(ctx, `INSERT INTO change_log (entity, entity_id, op) VALUES ('candidate', 1, 'upsert')`); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * a.IndexMaxLag)
	code, failing, body := ready()
	if code != http.StatusServiceUnavailable || len(failing) != 1 || failing[0] != "index" {
		t.Errorf("readyz with the index behind: %d %s, want 503 failing [index]", code, body)
	}
	if got := metricValue(t, a, "tsunagu_index_lag_changes"); got != 1 {
		t.Errorf("tsunagu_index_lag_changes = %v, want 1", got)
	}
	if got := metricValue(t, a, "tsunagu_index_lag_seconds"); got < a.IndexMaxLag.Seconds() {
		t.Errorf("tsunagu_index_lag_seconds = %v, want at least %v", got, a.IndexMaxLag.Seconds())
	}

	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for {
		code, _, body := ready()
		if code == http.StatusOK {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("readyz %v after the lock went: %d %s", time.Since(start), code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := metricValue(t, a, "tsunagu_index_lag_changes"); got != 0 {
		t.Errorf("tsunagu_index_lag_changes after = %v, want 0", got)
	}
	t.Logf("readyz ok %v after the follower could go on", time.Since(start))
}
