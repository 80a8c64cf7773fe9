package profilehttp_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// statementCounts counts what the requests whose context carries it send
// to PostgreSQL. lib/pq runs a query with parameters as two round trips
// unless it is a prepared statement, which takes one.
type statementCounts struct {
	unprepared atomic.Int64 // queries and execs on the connection: two round trips each
	prepared   atomic.Int64 // executions of prepared statements: one round trip each
	prepares   atomic.Int64 // statements prepared (once per pooled connection)
}

type countsKey struct{}

func countsOf(ctx context.Context) *statementCounts {
	n, _ := ctx.Value(countsKey{}).(*statementCounts)
	return n
}

// countingConnector wraps lib/pq's connector.
type countingConnector struct{ driver.Connector }

func (c countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: conn}, nil
}

// countingConn passes every call to lib/pq's connection, counting those
// made for a counted request.
type countingConn struct{ driver.Conn }

func (c *countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	if n := countsOf(ctx); n != nil {
		n.unprepared.Add(1)
	}
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
}

func (c *countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	if n := countsOf(ctx); n != nil {
		n.unprepared.Add(1)
	}
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
}

func (c *countingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	if n := countsOf(ctx); n != nil {
		n.prepares.Add(1)
	}
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return &countingStmt{Stmt: st}, nil
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if n := countsOf(ctx); n != nil {
		n.unprepared.Add(1)
	}
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *countingConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

func (c *countingConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *countingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *countingConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

// countingStmt counts executions of a prepared statement.
type countingStmt struct{ driver.Stmt }

func (s *countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if n := countsOf(ctx); n != nil {
		n.prepared.Add(1)
	}
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (s *countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if n := countsOf(ctx); n != nil {
		n.prepared.Add(1)
	}
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

// TestCardPageStatements counts what one company card page sends to
// PostgreSQL: the session with its user, and the card with the viewer's
// companies, each a prepared statement (one round trip). A change that
// adds a query to the page, or loses the preparation, fails here.
func TestCardPageStatements(t *testing.T) {
	env, paths, cookie := companyCardSetup(t)
	conn, err := pq.NewConnector(env.App.Config.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	// Every service holds env.App.DB: swap the pool under it.
	pool := sql.OpenDB(countingConnector{conn})
	t.Cleanup(func() { pool.Close() })
	env.App.DB.DB = sqlx.NewDb(pool, "postgres")

	get := func(path string) (*statementCounts, *httptest.ResponseRecorder) {
		n := &statementCounts{}
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Cookie", cookie)
		req = req.WithContext(context.WithValue(req.Context(), countsKey{}, n))
		w := httptest.NewRecorder()
		env.Server.Handler().ServeHTTP(w, req)
		return n, w
	}
	if _, w := get(paths[0]); w.Code != http.StatusOK {
		t.Fatalf("warm-up: status %d", w.Code)
	}
	var lecturers []int64
	if err := env.App.DB.Select(&lecturers, `SELECT DISTINCT candidate_id FROM workshop_lecturers`); err != nil {
		t.Fatal(err)
	}
	lecturer := map[string]bool{}
	for _, id := range lecturers {
		lecturer[fmt.Sprintf("/company/candidates/%d", id)] = true
	}
	checked := 0
	for _, p := range paths[1:] {
		if lecturer[p] || checked == 5 {
			continue
		}
		checked++
		n, w := get(p)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d", p, w.Code)
		}
		if got, want := n.prepared.Load(), int64(2); got != want {
			t.Errorf("%s: %d prepared statements run, want %d (session, card)", p, got, want)
		}
		if got := n.unprepared.Load(); got != 0 {
			t.Errorf("%s: %d unprepared queries (two round trips each), want 0", p, got)
		}
	}
	if checked == 0 {
		t.Fatal("no card of a candidate who never lectured to check")
	}
}
