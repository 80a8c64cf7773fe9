package postgres

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jmoiron/sqlx"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Versioned records. Every row of candidates, companies, roles, cases,
// introductions and workshops has a version that a trigger bumps on every
// UPDATE (migration 00014). A save that names the version it was read at
// updates WHERE id = $1 AND version = $2 (or checks the version of the row
// it locked) in its transaction; one that names none (version 0) saves
// whatever the version.

// staleOrMissing explains a conditional update of the row id of table that
// changed nothing: ENOTFOUND when there is no such row, else
// tsunagu.Stale with the version it has now.
func staleOrMissing(ctx context.Context, q sqlx.QueryerContext, table string, id int64) error {
	var v int64
	if err := sqlx.GetContext(ctx, q, &v, `SELECT version FROM `+table+` WHERE id = $1`, id); err != nil {
		return mapError(err, "find "+table)
	}
	return tsunagu.Stale(v)
}

// CheckVersion returns tsunagu.Stale when want is a version (not 0) and
// the record, read locked in the caller's transaction, is at another one.
func CheckVersion(want, have int64) error {
	if want != 0 && want != have {
		return tsunagu.Stale(have)
	}
	return nil
}

// saveVersioned runs q, the insert of row or its update at its version
// (sqlx named parameters), and scans what it returns (the id, version and
// timestamps) into dst. An update of the row id at version (not 0) that
// changed nothing is explained by staleOrMissing. what names the save in
// errors.
func saveVersioned(ctx context.Context, ext sqlx.ExtContext, table, what, q string, row any, id, version int64, dst ...any) error {
	query, args, err := sqlx.Named(q, row)
	if err != nil {
		return mapError(err, what)
	}
	err = ext.QueryRowxContext(ctx, ext.Rebind(query), args...).Scan(dst...)
	if errors.Is(err, sql.ErrNoRows) && id != 0 && version != 0 {
		return staleOrMissing(ctx, ext, table, id)
	}
	return mapError(err, what)
}
