package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// CaseCoordinatorID returns the coordinator assigned to the case of the
// candidate with candidateID (0 when there is no case or no coordinator):
// who, among coordinators, may read a hidden profile.
func (db *DB) CaseCoordinatorID(ctx context.Context, candidateID int64) (int64, error) {
	const q = `SELECT coalesce(coordinator_id, 0) FROM cases WHERE candidate_id = $1`
	var id int64
	err := db.GetContext(ctx, &id, q, candidateID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, mapError(err, "case coordinator")
	}
	return id, nil
}

// AuditQuery narrows the audit log. Zero fields do not narrow.
type AuditQuery struct {
	// Person is a candidate id: rows about them, and list reads that
	// named them (detail "ids").
	Person int64
	Actor  int64
	From   time.Time // at or after
	To     time.Time // before
	Limit  int       // default and at most 500
}

// AuditTrailEntry is an audit row with its actor's name.
type AuditTrailEntry struct {
	tsunagu.AuditEntry
	ActorName string `db:"actor_name" json:"actor_name"`
}

// SearchAudit returns the newest audit rows q selects, with the actors'
// names.
func (db *DB) SearchAudit(ctx context.Context, q AuditQuery) ([]AuditTrailEntry, error) {
	const sq = `
		SELECT a.*, coalesce(u.display_name, '') AS actor_name
		FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
		WHERE ($1 = 0 OR (a.subject_type = 'candidate' AND a.subject_id = $1::text)
				OR (jsonb_typeof(a.detail->'ids') = 'array' AND a.detail->'ids' @> to_jsonb($1::bigint)))
		  AND ($2 = 0 OR a.actor_id = $2)
		  AND ($3::timestamptz IS NULL OR a.at >= $3)
		  AND ($4::timestamptz IS NULL OR a.at < $4)
		ORDER BY a.at DESC, a.id DESC
		LIMIT $5`
	limit := pageLimit(q.Limit, 500)
	var from, to *time.Time
	if !q.From.IsZero() {
		from = &q.From
	}
	if !q.To.IsZero() {
		to = &q.To
	}
	out := []AuditTrailEntry{}
	if err := db.SelectContext(ctx, &out, sq, q.Person, q.Actor, from, to, limit); err != nil {
		return nil, mapError(err, "search audit")
	}
	return out, nil
}
