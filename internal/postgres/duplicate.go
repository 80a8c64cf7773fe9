package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// CandidateContact is what duplicate detection compares of a candidate.
type CandidateContact struct {
	ID          int64  `db:"id" json:"id"`
	ExternalID  string `db:"external_id" json:"-"`
	Name        string `db:"name" json:"name"`
	Email       string `db:"email" json:"email"`
	Phone       string `db:"phone" json:"phone"`
	Nationality string `db:"nationality" json:"-"`
}

// CandidateContactsAfter returns the contact fields of up to limit
// candidates whose id is above afterID, by id: one keyset page of a scan
// that never holds every candidate at once.
func (db *DB) CandidateContactsAfter(ctx context.Context, afterID int64, limit int) ([]CandidateContact, error) {
	const q = `SELECT id, coalesce(external_id, '') AS external_id, name, email, phone, nationality FROM candidates
		WHERE id > $1 ORDER BY id LIMIT $2`
	var out []CandidateContact
	if err := db.SelectContext(ctx, &out, q, afterID, limit); err != nil {
		return nil, mapError(err, "candidate contacts")
	}
	return out, nil
}

// CandidateContactsByIDs returns the contact fields of the candidates ids
// names (those that exist), by id.
func (db *DB) CandidateContactsByIDs(ctx context.Context, ids []int64) ([]CandidateContact, error) {
	const q = `SELECT id, coalesce(external_id, '') AS external_id, name, email, phone, nationality FROM candidates
		WHERE id = ANY($1) ORDER BY id`
	var out []CandidateContact
	if err := db.SelectContext(ctx, &out, q, pq.Array(ids)); err != nil {
		return nil, mapError(err, "candidate contacts by id")
	}
	return out, nil
}

// DupKeyPairs returns the pairs of candidates (a, b), a from from to to
// and b above a, whose duplicate keys share the e-mail, the phone or a
// name key, each found by its index: the pairs a scan compares, each once.
func (db *DB) DupKeyPairs(ctx context.Context, from, to int64) ([][2]int64, error) {
	const q = `
		SELECT a.candidate_id AS a, b.candidate_id AS b FROM candidate_dup_keys a
		JOIN candidate_dup_keys b ON b.email = a.email AND b.candidate_id > a.candidate_id
		WHERE a.candidate_id BETWEEN $1 AND $2 AND a.email <> ''
		UNION
		SELECT a.candidate_id, b.candidate_id FROM candidate_dup_keys a
		JOIN candidate_dup_keys b ON b.phone = a.phone AND b.candidate_id > a.candidate_id
		WHERE a.candidate_id BETWEEN $1 AND $2 AND a.phone <> ''
		UNION
		SELECT a.candidate_id, b.candidate_id FROM candidate_dup_keys a
		JOIN candidate_dup_keys b ON b.names && a.names AND b.candidate_id > a.candidate_id
		WHERE a.candidate_id BETWEEN $1 AND $2
		ORDER BY 1, 2`
	rows, err := db.QueryContext(ctx, q, from, to)
	if err != nil {
		return nil, mapError(err, "duplicate key pairs")
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, mapError(err, "duplicate key pairs")
		}
		out = append(out, p)
	}
	return out, mapError(rows.Err(), "duplicate key pairs")
}

// DupKeys are the keys a candidate's likely duplicates are found by
// (computed by the profile service from Name, Email and Phone, which say
// what they were computed from).
type DupKeys struct {
	CandidateContact
	EmailKey string   `json:"email_key"`
	PhoneKey string   `json:"phone_key"`
	NameKeys []string `json:"name_keys"`
}

// StaleDupKeys returns up to limit candidates whose duplicate keys are
// missing or out of date (their name, e-mail or phone was written since;
// a trigger marks them), by id.
func (db *DB) StaleDupKeys(ctx context.Context, limit int) ([]CandidateContact, error) {
	const q = `
		SELECT c.id, coalesce(c.external_id, '') AS external_id, c.name, c.email, c.phone, c.nationality
		FROM candidate_dup_keys k JOIN candidates c ON c.id = k.candidate_id
		WHERE k.stale ORDER BY k.candidate_id LIMIT $1`
	var out []CandidateContact
	if err := db.SelectContext(ctx, &out, q, limit); err != nil {
		return nil, mapError(err, "stale duplicate keys")
	}
	return out, nil
}

// SetDupKeys stores the keys of each candidate and marks them current,
// where the candidate's name, e-mail and phone are still those the keys
// were computed from (a candidate written meanwhile stays stale).
func (db *DB) SetDupKeys(ctx context.Context, keys []DupKeys) error {
	if len(keys) == 0 {
		return nil
	}
	for i := range keys {
		if keys[i].NameKeys == nil {
			keys[i].NameKeys = []string{}
		}
	}
	raw, err := json.Marshal(keys)
	if err != nil {
		return fmt.Errorf("set duplicate keys: %w", err)
	}
	const q = `
		UPDATE candidate_dup_keys k SET stale = FALSE, email = x.email_key, phone = x.phone_key,
			names = ARRAY(SELECT jsonb_array_elements_text(x.name_keys))
		FROM jsonb_to_recordset($1::jsonb) AS x(id BIGINT, name TEXT, email TEXT, phone TEXT, email_key TEXT, phone_key TEXT, name_keys JSONB),
			candidates c
		WHERE k.candidate_id = x.id AND c.id = x.id AND c.name = x.name AND c.email = x.email AND c.phone = x.phone`
	_, err = db.ExecContext(ctx, q, raw)
	return mapError(err, "set duplicate keys")
}

// CandidatesByDupKeys returns the candidates that share the e-mail key,
// the phone key or any of the name keys (each found by its index), by id.
// Empty keys match nothing.
func (db *DB) CandidatesByDupKeys(ctx context.Context, email, phone string, names []string) ([]CandidateContact, error) {
	const q = `
		SELECT c.id, coalesce(c.external_id, '') AS external_id, c.name, c.email, c.phone, c.nationality
		FROM candidates c WHERE c.id IN (
			SELECT candidate_id FROM candidate_dup_keys WHERE $1 <> '' AND email <> '' AND email = $1
			UNION SELECT candidate_id FROM candidate_dup_keys WHERE $2 <> '' AND phone <> '' AND phone = $2
			UNION SELECT candidate_id FROM candidate_dup_keys WHERE names && $3)
		ORDER BY c.id`
	if names == nil {
		names = []string{}
	}
	var out []CandidateContact
	if err := db.SelectContext(ctx, &out, q, email, phone, pq.Array(names)); err != nil {
		return nil, mapError(err, "candidates by duplicate keys")
	}
	return out, nil
}

// DuplicatePair is a pair of candidates that are likely one person.
type DuplicatePair struct {
	FirstID   int64          `db:"first_id" json:"first_id"`
	SecondID  int64          `db:"second_id" json:"second_id"`
	Reasons   pq.StringArray `db:"reasons" json:"reasons"`
	FoundAt   time.Time      `db:"found_at" json:"found_at"`
	First     string         `db:"first_name" json:"first_name"`
	Second    string         `db:"second_name" json:"second_name"`
	FirstExt  string         `db:"first_external_id" json:"first_external_id,omitempty"`
	SecondExt string         `db:"second_external_id" json:"second_external_id,omitempty"`
}

// RecordDuplicatePair keeps a likely pair for review; a pair seen again
// keeps its first finding and stays dismissed if it was.
func (db *DB) RecordDuplicatePair(ctx context.Context, a, b int64, reasons []string) error {
	if a > b {
		a, b = b, a
	}
	const q = `
		INSERT INTO candidate_duplicate_pairs (first_id, second_id, reasons) VALUES ($1, $2, $3)
		ON CONFLICT (first_id, second_id) DO UPDATE SET reasons = EXCLUDED.reasons`
	_, err := db.ExecContext(ctx, q, a, b, pq.Array(reasons))
	return mapError(err, "record duplicate pair")
}

// DuplicatePairs lists the pairs not dismissed, newest first.
func (db *DB) DuplicatePairs(ctx context.Context, limit int) ([]DuplicatePair, error) {
	const q = `
		SELECT p.first_id, p.second_id, p.reasons, p.found_at, a.name AS first_name, b.name AS second_name,
			coalesce(a.external_id, '') AS first_external_id, coalesce(b.external_id, '') AS second_external_id
		FROM candidate_duplicate_pairs p
		JOIN candidates a ON a.id = p.first_id JOIN candidates b ON b.id = p.second_id
		WHERE p.dismissed_at IS NULL
		ORDER BY p.found_at DESC, p.first_id, p.second_id LIMIT $1`
	var out []DuplicatePair
	if err := db.SelectContext(ctx, &out, q, limit); err != nil {
		return nil, mapError(err, "duplicate pairs")
	}
	return out, nil
}

// DismissDuplicatePair records that a and b are not one person. Returns
// ENOTFOUND when there is no such pair.
func (db *DB) DismissDuplicatePair(ctx context.Context, a, b, by int64) error {
	if a > b {
		a, b = b, a
	}
	const q = `UPDATE candidate_duplicate_pairs SET dismissed_at = now(), dismissed_by = $3 WHERE first_id = $1 AND second_id = $2`
	res, err := db.ExecContext(ctx, q, a, b, by)
	if err != nil {
		return mapError(err, "dismiss duplicate pair")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
	}
	return db.Audit(ctx, by, "candidate.duplicate_dismissed", "candidate", fmt.Sprint(a), []byte(fmt.Sprintf(`{"other": %d}`, b)))
}

// AuditMerged is the audit action of a merge.
const AuditMerged = "candidate.merged"

// fkRef is a column that refers to candidates(id).
type fkRef struct {
	Table  string `db:"table_name"`
	Column string `db:"column_name"`
}

// MergeCandidates merges candidate drop into keep, in one transaction:
// every row that refers to drop (found from the catalogue's foreign keys,
// so a table added later is covered) moves to keep; list rows keep their
// order after keep's own; where a unique key allows one row only (one case
// per candidate, one enrolment per cohort), the rows that refer to drop's
// row move to keep's, and drop's row is kept in the audit detail. keep takes
// what it lacks of drop's fields (contact, account, external id), drop's
// audit history is re-filed under keep, drop's own row is kept in the audit
// detail, and the search index is told. Returns ENOTFOUND, EINVALID (the
// same candidate twice).
func (db *DB) MergeCandidates(ctx context.Context, keep, drop, actorID int64) error {
	if keep == drop {
		var v tsunagu.Validation
		v.Add("drop", "error.merge_same", nil)
		return v.Err()
	}
	return db.InTx(ctx, func(tx *Tx) error {
		var dropped []json.RawMessage
		if err := tx.SelectContext(ctx, &dropped, `SELECT to_jsonb(c) FROM candidates c WHERE id = ANY($1) ORDER BY id = $2 FOR UPDATE`, pq.Array([]int64{keep, drop}), drop); err != nil {
			return mapError(err, "merge: lock")
		}
		if len(dropped) != 2 {
			return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
		}
		moved := map[string]int64{}
		kept := map[string][]json.RawMessage{"candidates": {dropped[1]}}
		if _, err := tx.ExecContext(ctx, `DELETE FROM candidate_duplicate_pairs WHERE first_id = $1 OR second_id = $1`, drop); err != nil {
			return mapError(err, "merge: pairs")
		}
		var refs []fkRef
		if err := tx.SelectContext(ctx, &refs, fkQuery, "candidates"); err != nil {
			return mapError(err, "merge: references")
		}
		for _, r := range refs {
			if err := moveRefs(ctx, tx, r, keep, drop, moved, kept); err != nil {
				return err
			}
		}
		// keep takes what it lacks of drop's fields.
		const fill = `
			UPDATE candidates k SET
				email = CASE WHEN k.email = '' THEN d.email ELSE k.email END,
				phone = CASE WHEN k.phone = '' THEN d.phone ELSE k.phone END,
				nationality = CASE WHEN k.nationality = '' THEN d.nationality ELSE k.nationality END,
				headline = CASE WHEN k.headline = '' THEN d.headline ELSE k.headline END,
				summary = CASE WHEN k.summary = '' THEN d.summary ELSE k.summary END,
				photo_url = CASE WHEN k.photo_url = '' THEN d.photo_url ELSE k.photo_url END,
				updated_at = now()
			FROM candidates d WHERE k.id = $1 AND d.id = $2`
		if _, err := tx.ExecContext(ctx, fill, keep, drop); err != nil {
			return mapError(err, "merge: fields")
		}
		var acct struct {
			KeepUser *int64  `db:"keep_user"`
			KeepExt  *string `db:"keep_ext"`
			DropUser *int64  `db:"drop_user"`
			DropExt  *string `db:"drop_ext"`
		}
		const accounts = `SELECT k.user_id AS keep_user, k.external_id AS keep_ext, d.user_id AS drop_user, d.external_id AS drop_ext
			FROM candidates k, candidates d WHERE k.id = $1 AND d.id = $2`
		if err := tx.GetContext(ctx, &acct, accounts, keep, drop); err != nil {
			return mapError(err, "merge: account")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE candidates SET user_id = NULL, external_id = NULL WHERE id = $1`, drop); err != nil {
			return mapError(err, "merge: account")
		}
		if acct.KeepUser == nil {
			acct.KeepUser = acct.DropUser
		}
		if acct.KeepExt == nil {
			acct.KeepExt = acct.DropExt
		}
		if _, err := tx.ExecContext(ctx, `UPDATE candidates SET user_id = $2, external_id = $3 WHERE id = $1`, keep, acct.KeepUser, acct.KeepExt); err != nil {
			return mapError(err, "merge: account")
		}
		const refile = `UPDATE audit_log SET subject_id = $1 WHERE subject_type = 'candidate' AND subject_id = $2`
		if _, err := tx.ExecContext(ctx, refile, fmt.Sprint(keep), fmt.Sprint(drop)); err != nil {
			return mapError(err, "merge: audit history")
		}
		if err := deleteCandidate(ctx, tx, drop); err != nil {
			return err
		}
		if err := logChange(ctx, tx, "candidate", keep, "upsert"); err != nil {
			return err
		}
		detail, err := json.Marshal(map[string]any{"merged": drop, "moved": moved, "kept": kept})
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		var actor *int64
		if actorID != 0 {
			actor = &actorID
		}
		const audit = `INSERT INTO audit_log (actor_id, action, subject_type, subject_id, detail) VALUES ($1, $2, 'candidate', $3, $4)`
		_, err = tx.ExecContext(ctx, audit, actor, AuditMerged, fmt.Sprint(keep), detail)
		return mapError(err, "merge: audit")
	})
}

// fkQuery lists the single columns with a foreign key to a table.
const fkQuery = `
	SELECT c.conrelid::regclass::text AS table_name, a.attname AS column_name
	FROM pg_constraint c
	JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
	WHERE c.contype = 'f' AND c.confrelid = $1::regclass AND array_length(c.conkey, 1) = 1
	ORDER BY 1, 2`

// uniqueKeys returns the other columns of every unique key of table that
// includes column.
func uniqueKeys(ctx context.Context, tx *Tx, table, column string) ([][]string, error) {
	const q = `
		SELECT array_agg(a.attname::text ORDER BY a.attname) FILTER (WHERE a.attname <> $2)
		FROM pg_index i
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
		WHERE i.indrelid = $1::regclass AND i.indisunique
		  AND EXISTS (SELECT 1 FROM pg_attribute b WHERE b.attrelid = i.indrelid AND b.attname = $2 AND b.attnum = ANY(i.indkey))
		GROUP BY i.indexrelid`
	var rows []pq.StringArray
	if err := tx.SelectContext(ctx, &rows, q, table, column); err != nil {
		return nil, mapError(err, "merge: keys of "+table)
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) < len(out[j]) })
	return out, nil
}

// moveRefs moves the rows of r.Table that refer to drop onto keep.
func moveRefs(ctx context.Context, tx *Tx, r fkRef, keep, drop int64, moved map[string]int64, kept map[string][]json.RawMessage) error {
	if r.Table == "candidate_duplicate_pairs" {
		return nil
	}
	keys, err := uniqueKeys(ctx, tx, r.Table, r.Column)
	if err != nil {
		return err
	}
	t, col := pq.QuoteIdentifier(r.Table), pq.QuoteIdentifier(r.Column)
	for _, k := range keys {
		others := k[:0:0]
		positional := false
		for _, c := range k {
			if c == "position" {
				positional = true
			} else {
				others = append(others, c)
			}
		}
		if positional {
			// A list: drop's items go after keep's.
			q := fmt.Sprintf(`UPDATE %[1]s SET position = position + (SELECT coalesce(max(position) + 1, 0) FROM %[1]s WHERE %[2]s = $1) + 1000000 WHERE %[2]s = $2`, t, col)
			if _, err := tx.ExecContext(ctx, q, keep, drop); err != nil {
				return mapError(err, "merge: order "+r.Table)
			}
			q = fmt.Sprintf(`UPDATE %[1]s SET position = position - 1000000 WHERE %[2]s = $1 AND position >= 1000000`, t, col)
			if _, err := tx.ExecContext(ctx, q, drop); err != nil {
				return mapError(err, "merge: order "+r.Table)
			}
			if len(others) == 0 {
				continue
			}
		}
		// Rows of drop that keep already has under this key: what refers to
		// them moves to keep's row, and they are kept in the audit.
		on := []string{fmt.Sprintf("k.%s = $1", col)}
		for _, c := range others {
			on = append(on, fmt.Sprintf("k.%[1]s IS NOT DISTINCT FROM d.%[1]s", pq.QuoteIdentifier(c)))
		}
		hasID := false
		if err := tx.GetContext(ctx, &hasID, `SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
			WHERE i.indrelid = $1::regclass AND i.indisprimary AND array_length(i.indkey::int2[], 1) = 1 AND a.attname = 'id')`, r.Table); err != nil {
			return mapError(err, "merge: key of "+r.Table)
		}
		q := fmt.Sprintf(`SELECT d.ctid::text AS tid, to_jsonb(d) AS row, %s FROM %s d JOIN %s k ON %s WHERE d.%s = $2`,
			idColsAliased(hasID), t, t, strings.Join(on, " AND "), col)
		var clashes []struct {
			TID    string          `db:"tid"`
			Row    json.RawMessage `db:"row"`
			DropID *int64          `db:"id"`
			KeepID *int64          `db:"id_1"`
		}
		if err := tx.SelectContext(ctx, &clashes, q, keep, drop); err != nil {
			return mapError(err, "merge: clashes in "+r.Table)
		}
		for _, c := range clashes {
			if c.DropID != nil {
				if err := repoint(ctx, tx, r.Table, *c.DropID, *c.KeepID, moved); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE ctid = $1::tid`, t), c.TID); err != nil {
				return mapError(err, "merge: clash in "+r.Table)
			}
			kept[r.Table] = append(kept[r.Table], c.Row)
		}
	}
	res, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %s SET %s = $1 WHERE %s = $2`, t, col, col), keep, drop)
	if err != nil {
		return mapError(err, "merge: move "+r.Table)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		moved[r.Table] += n
	}
	return nil
}

func idColsAliased(hasID bool) string {
	if hasID {
		return "d.id AS id, k.id AS id_1"
	}
	return "NULL::bigint AS id, NULL::bigint AS id_1"
}

// repoint moves the rows that refer to row from of table onto row to (the
// case of a merged candidate onto the kept candidate's case, with its
// events, introductions and follow-ups).
func repoint(ctx context.Context, tx *Tx, table string, from, to int64, moved map[string]int64) error {
	var refs []fkRef
	if err := tx.SelectContext(ctx, &refs, fkQuery, table); err != nil {
		return mapError(err, "merge: references to "+table)
	}
	for _, r := range refs {
		q := fmt.Sprintf(`UPDATE %s SET %s = $1 WHERE %s = $2`, pq.QuoteIdentifier(r.Table), pq.QuoteIdentifier(r.Column), pq.QuoteIdentifier(r.Column))
		res, err := tx.ExecContext(ctx, q, to, from)
		if err != nil {
			return mapError(err, "merge: move "+r.Table)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			moved[r.Table] += n
		}
	}
	return nil
}
