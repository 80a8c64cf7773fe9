package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Change is one row of the change log: a candidate or role that was saved
// (op "upsert") or deleted (op "delete"). Search indexes apply them in seq
// order.
type Change struct {
	Seq      int64     `db:"seq"`
	Entity   string    `db:"entity"` // "candidate", "role"
	EntityID int64     `db:"entity_id"`
	Op       string    `db:"op"` // "upsert", "delete"
	At       time.Time `db:"at"`
}

// ChangeLogChannel is the NOTIFY channel a change_log insert signals on.
const ChangeLogChannel = "tsunagu_change_log"

// ChangesSince returns up to limit change-log rows with seq > after, in seq
// order.
func (db *DB) ChangesSince(ctx context.Context, after int64, limit int) ([]Change, error) {
	const q = `SELECT seq, entity, entity_id, op, at FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2`
	var out []Change
	if err := db.SelectContext(ctx, &out, q, after, limit); err != nil {
		return nil, mapError(err, "read change log")
	}
	return out, nil
}

// ChangesAt returns the change-log rows with those sequence numbers (the
// ones not committed are left out), in seq order: a follower asks for the
// holes it is waiting on.
func (db *DB) ChangesAt(ctx context.Context, seqs []int64) ([]Change, error) {
	const q = `SELECT seq, entity, entity_id, op, at FROM change_log WHERE seq = ANY($1) ORDER BY seq`
	var out []Change
	if err := db.SelectContext(ctx, &out, q, pq.Array(seqs)); err != nil {
		return nil, mapError(err, "read change log")
	}
	return out, nil
}

// ChangeLogMark returns, from one snapshot, the highest sequence in the
// change log and the sequence numbers in (top-window, top] without a
// committed row: each belongs to a transaction still open (its row may
// commit later, whatever its number), or to one rolled back or lost in a
// crash. A rebuild reads its records after the mark, so it reflects every
// row up to top but those holes, which a follower must still apply.
func (db *DB) ChangeLogMark(ctx context.Context, window int64) (top int64, holes []int64, err error) {
	tx, err := db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return 0, nil, mapError(err, "read change log mark")
	}
	defer tx.Rollback()
	if err := tx.GetContext(ctx, &top, `SELECT COALESCE(max(seq), 0) FROM change_log`); err != nil {
		return 0, nil, mapError(err, "read change log mark")
	}
	const q = `
		SELECT s FROM generate_series(GREATEST($1::bigint - $2::bigint, 0) + 1, $1::bigint) AS s
		WHERE NOT EXISTS (SELECT 1 FROM change_log WHERE seq = s) ORDER BY s`
	if err := tx.SelectContext(ctx, &holes, q, top, window); err != nil {
		return 0, nil, mapError(err, "read change log holes")
	}
	return top, holes, nil
}

// LastChangeSeq returns the highest sequence in the change log (0 if empty).
func (db *DB) LastChangeSeq(ctx context.Context) (int64, error) {
	const q = `SELECT COALESCE(max(seq), 0) FROM change_log`
	var seq int64
	if err := db.GetContext(ctx, &seq, q); err != nil {
		return 0, mapError(err, "read change log")
	}
	return seq, nil
}

// CandidateIDs returns the ids of every candidate after id after, in id
// order, up to limit (for rebuilding an index in pages).
func (db *DB) CandidateIDs(ctx context.Context, after int64, limit int) ([]int64, error) {
	const q = `SELECT id FROM candidates WHERE id > $1 ORDER BY id LIMIT $2`
	var ids []int64
	if err := db.SelectContext(ctx, &ids, q, after, limit); err != nil {
		return nil, mapError(err, "list candidate ids")
	}
	return ids, nil
}

// RoleIDs returns the ids of every role after id after, in id order, up to
// limit.
func (db *DB) RoleIDs(ctx context.Context, after int64, limit int) ([]int64, error) {
	const q = `SELECT id FROM roles WHERE id > $1 ORDER BY id LIMIT $2`
	var ids []int64
	if err := db.SelectContext(ctx, &ids, q, after, limit); err != nil {
		return nil, mapError(err, "list role ids")
	}
	return ids, nil
}

// CandidatesByIDs returns the candidates with those ids (missing ones are
// left out), for applying the change log and rebuilding indexes in batches.
func (db *DB) CandidatesByIDs(ctx context.Context, ids []int64) ([]*tsunagu.Candidate, error) {
	var rows []candidateRow
	if err := db.SelectContext(ctx, &rows, candidateSelect+" WHERE c.id = ANY($1)", pq.Array(ids)); err != nil {
		return nil, mapError(err, "find candidates")
	}
	out := make([]*tsunagu.Candidate, 0, len(rows))
	for i := range rows {
		c, err := rows[i].candidate()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// RolesByIDs returns the roles with those ids (missing ones are left out).
func (db *DB) RolesByIDs(ctx context.Context, ids []int64) ([]*tsunagu.JobRole, error) {
	var rows []roleRow
	if err := db.SelectContext(ctx, &rows, roleSelect+" WHERE r.id = ANY($1)", pq.Array(ids)); err != nil {
		return nil, mapError(err, "find roles")
	}
	out := make([]*tsunagu.JobRole, 0, len(rows))
	for i := range rows {
		r, err := rows[i].role()
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
