package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// ExportCandidateData returns everything stored about a candidate, as rows
// by table: every table with a candidate_id column, every table with a
// case_id column for the candidate's case, and the candidate's account
// (without its password hash) with its notifications. The tables are found
// from the catalogue, so a table added later is exported without a change
// here.
func (db *DB) ExportCandidateData(ctx context.Context, candidateID int64) (map[string][]json.RawMessage, error) {
	out := map[string][]json.RawMessage{}
	err := db.InTx(ctx, func(tx *Tx) error {
		var userID *int64
		if err := tx.GetContext(ctx, &userID, `SELECT user_id FROM candidates WHERE id = $1`, candidateID); err != nil {
			return mapError(err, "export candidate")
		}
		add := func(table, q string, args ...any) error {
			var rows []json.RawMessage
			if err := tx.SelectContext(ctx, &rows, q, args...); err != nil {
				return mapError(err, "export "+table)
			}
			if len(rows) > 0 {
				out[table] = rows
			}
			return nil
		}
		const tablesWith = `
			SELECT table_name FROM information_schema.columns
			WHERE table_schema = 'public' AND column_name = $1 ORDER BY table_name`
		var candTables []string
		if err := tx.SelectContext(ctx, &candTables, tablesWith, "candidate_id"); err != nil {
			return mapError(err, "export tables")
		}
		if err := add("candidates", `SELECT row_to_json(t) FROM candidates t WHERE id = $1`, candidateID); err != nil {
			return err
		}
		for _, t := range candTables {
			q := fmt.Sprintf(`SELECT row_to_json(t) FROM %s t WHERE candidate_id = $1`, pq.QuoteIdentifier(t))
			if err := add(t, q, candidateID); err != nil {
				return err
			}
		}
		var caseTables []string
		if err := tx.SelectContext(ctx, &caseTables, tablesWith, "case_id"); err != nil {
			return mapError(err, "export tables")
		}
		for _, t := range caseTables {
			q := fmt.Sprintf(`SELECT row_to_json(t) FROM %s t WHERE case_id IN (SELECT id FROM cases WHERE candidate_id = $1)`, pq.QuoteIdentifier(t))
			if err := add(t, q, candidateID); err != nil {
				return err
			}
		}
		if userID != nil {
			if err := add("users", `SELECT to_jsonb(t) - 'password_hash' FROM users t WHERE id = $1`, *userID); err != nil {
				return err
			}
			if err := add("notifications", `SELECT row_to_json(t) FROM notifications t WHERE user_id = $1`, *userID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// EraseCandidate deletes a candidate with everything that refers to them
// (the schema cascades), their account and sessions, and writes the
// change-log row that removes them from every search index, in one
// transaction. The audit log keeps that an erasure happened, by whom, and
// no personal data.
func (db *DB) EraseCandidate(ctx context.Context, candidateID, actorID int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var userID *int64
		if err := tx.GetContext(ctx, &userID, `SELECT user_id FROM candidates WHERE id = $1 FOR UPDATE`, candidateID); err != nil {
			return mapError(err, "erase candidate")
		}
		if err := deleteCandidate(ctx, tx, candidateID); err != nil {
			return err
		}
		if userID != nil {
			if _, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = $1 AND role = $2`, *userID, tsunagu.RoleCandidate); err != nil {
				return mapError(err, "erase account")
			}
		}
		var actor *int64
		if actorID != 0 && (userID == nil || actorID != *userID) {
			actor = &actorID
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (actor_id, action, subject_type, subject_id) VALUES ($1, 'candidate.erased', 'candidate', $2)`,
			actor, fmt.Sprint(candidateID))
		return mapError(err, "audit erasure")
	})
}

// DeleteCandidateAccount deletes a candidate's account that has no profile.
func (db *DB) DeleteCandidateAccount(ctx context.Context, userID int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = $1 AND role = $2`, userID, tsunagu.RoleCandidate); err != nil {
			return mapError(err, "delete account")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (action, subject_type, subject_id) VALUES ('candidate.account_erased', 'user', $1)`, fmt.Sprint(userID))
		return mapError(err, "audit erasure")
	})
}
