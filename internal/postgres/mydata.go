package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/lib/pq"
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
		return exportKept(ctx, tx, candidateID, userID, add)
	})
	return out, err
}
