// Package postgres implements the domain's stores on PostgreSQL with sqlx.
// One file per aggregate; the SQL sits beside the method that runs it.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/pressly/goose/v3"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
	"github.com/tsunagu-org/tsunagu/migrations"
)

// DB wraps the connection pool.
type DB struct {
	*sqlx.DB
	Now   func() time.Time
	stmts sync.Map // stmtKey -> *sql.Stmt (prepared)
}

// Open connects to PostgreSQL and checks the connection.
func Open(ctx context.Context, url string) (*DB, error) {
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(25)
	db.SetMaxIdleConns(25)
	db.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return &DB{DB: db, Now: time.Now}, nil
}

// Migrate applies every pending migration.
func Migrate(ctx context.Context, db *sql.DB) error {
	// Out-of-order versions are allowed: features land in parallel branches.
	provider, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS, goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	results, err := provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		slog.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
	}
	return nil
}

// Tx is a transaction; stores take it to write several aggregates at once.
type Tx struct {
	*sqlx.Tx
}

// InTx runs fn in a transaction, committing when it returns nil and rolling
// back otherwise.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(&Tx{Tx: tx}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// errUnavailable is the domain error of a database that cannot be reached
// or does not accept work now (503 with Retry-After).
var errUnavailable = tsunagu.Errorf(tsunagu.EUNAVAILABLE, "error.unavailable")

// IsUnavailable reports whether err says the database cannot be reached or
// is not accepting work now, rather than that the query was wrong: a refused
// or broken connection, PostgreSQL's connection exceptions (class 08),
// shutting down or starting up (57P01, 57P02, 57P03) or out of connection
// slots (53300).
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case "57P01", "57P02", "57P03", "53300":
			return true
		}
		return pqErr.Code.Class() == "08"
	}
	var opErr *net.OpError
	return errors.Is(err, driver.ErrBadConn) || errors.As(err, &opErr) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}

// mapError turns driver errors into domain errors: sql.ErrNoRows becomes
// ENOTFOUND, unique violations ECONFLICT and a database out of reach
// EUNAVAILABLE (the driver's error kept in the chain for the log). what
// names the record.
func mapError(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case "23505":
			return &tsunagu.Error{Code: tsunagu.ECONFLICT, Message: "error.conflict", Data: map[string]any{"Constraint": pqErr.Constraint}}
		case "22021", "22P05":
			// Text PostgreSQL cannot store (invalid UTF-8, a NUL byte): the
			// HTTP edge refuses it first; this is the last line.
			return &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.bad_text"}
		case "22003":
			// A number out of the column's range (an id of 10^25): the
			// input is wrong, not the server.
			return tsunagu.Errorf(tsunagu.EINVALID, "error.invalid_input")
		}
	}
	if IsUnavailable(err) {
		return fmt.Errorf("%s: %w: %w", what, errUnavailable, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// MapError is mapError for other packages' SQL (search, jobs).
func MapError(err error, what string) error { return mapError(err, what) }

// IsUniqueViolation reports whether err is a unique_violation on constraint
// (any constraint when it is "").
func IsUniqueViolation(err error, constraint string) bool {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "23505" {
		return constraint == "" || pqErr.Constraint == constraint
	}
	return false
}
