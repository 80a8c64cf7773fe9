package postgres

import (
	"context"
	"database/sql"
	"errors"
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
