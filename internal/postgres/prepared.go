package postgres

import (
	"context"
	"database/sql"
	"fmt"
)

// prepared returns the pool's prepared statement for q, preparing it on
// first use; it stays for the life of the pool.
//
// lib/pq runs a query with parameters as two round trips (parse and
// describe, then bind and execute) and PostgreSQL plans it every time; a
// prepared statement is one round trip, with the plan kept. database/sql
// prepares it again on each pooled connection the first time that
// connection runs it. Only hot paths use it, and their SQL names its
// columns rather than `*`, so a migration that adds a column cannot change
// the result type under a cached plan.
func (db *DB) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	k := stmtKey{db.DB.DB, q}
	if st, ok := db.stmts.Load(k); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.DB.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if prev, loaded := db.stmts.LoadOrStore(k, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// stmtKey names a prepared statement: the pool it belongs to (a test may
// put another pool under a DB) and its SQL.
type stmtKey struct {
	pool *sql.DB
	q    string
}
