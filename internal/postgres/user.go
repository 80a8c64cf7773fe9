package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// CreateUser inserts u and sets its ID and timestamps.
// Returns ECONFLICT when the email is taken.
func (db *DB) CreateUser(ctx context.Context, u *tsunagu.User) error {
	return createUser(ctx, db.DB, u)
}

func createUser(ctx context.Context, q sqlx.ExtContext, u *tsunagu.User) error {
	const insert = `
		INSERT INTO users (email, display_name, password_hash, role, locale)
		VALUES (:email, :display_name, :password_hash, :role, :locale)
		RETURNING id, created_at, updated_at`
	rows, err := sqlx.NamedQueryContext(ctx, q, insert, u)
	if err != nil {
		return mapError(err, "create user")
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&u.ID, &u.CreatedAt, &u.UpdatedAt); err != nil {
			return mapError(err, "create user")
		}
	}
	return mapError(rows.Err(), "create user")
}

// UserByID returns the user with id, or ENOTFOUND.
func (db *DB) UserByID(ctx context.Context, id int64) (*tsunagu.User, error) {
	const q = `SELECT * FROM users WHERE id = $1`
	var u tsunagu.User
	if err := db.GetContext(ctx, &u, q, id); err != nil {
		return nil, mapError(err, "user by id")
	}
	return &u, nil
}

// UserByEmail returns the user with email (case-insensitive), or ENOTFOUND.
func (db *DB) UserByEmail(ctx context.Context, email string) (*tsunagu.User, error) {
	const q = `SELECT * FROM users WHERE lower(email) = lower($1)`
	var u tsunagu.User
	if err := db.GetContext(ctx, &u, q, email); err != nil {
		return nil, mapError(err, "user by email")
	}
	return &u, nil
}

// ListUsers returns users, newest first.
func (db *DB) ListUsers(ctx context.Context, limit, offset int) ([]tsunagu.User, error) {
	const q = `SELECT * FROM users ORDER BY id DESC LIMIT $1 OFFSET $2`
	var us []tsunagu.User
	if err := db.SelectContext(ctx, &us, q, limit, offset); err != nil {
		return nil, mapError(err, "list users")
	}
	return us, nil
}

// CandidateIDsOfUsers returns the ids of the candidate profiles of the
// accounts userIDs, in id order.
func (db *DB) CandidateIDsOfUsers(ctx context.Context, userIDs []int64) ([]int64, error) {
	const q = `SELECT id FROM candidates WHERE user_id = ANY($1) ORDER BY id`
	out := []int64{}
	if err := db.SelectContext(ctx, &out, q, pq.Array(userIDs)); err != nil {
		return nil, mapError(err, "candidates of users")
	}
	return out, nil
}

// PeopleByEmails returns, in id order, the accounts whose e-mail is one of
// emails and the candidate profiles of those accounts or with one of those
// addresses (case folded).
func (db *DB) PeopleByEmails(ctx context.Context, emails []string) (users, candidates []int64, err error) {
	const qu = `SELECT id FROM users WHERE lower(email) = ANY($1) ORDER BY id`
	const qc = `SELECT id FROM candidates WHERE lower(email) = ANY($1)
		OR user_id IN (SELECT id FROM users WHERE lower(email) = ANY($1)) ORDER BY id`
	low := make([]string, len(emails))
	for i, e := range emails {
		low[i] = strings.ToLower(e)
	}
	users, candidates = []int64{}, []int64{}
	if err := db.SelectContext(ctx, &users, qu, pq.Array(low)); err != nil {
		return nil, nil, mapError(err, "people by e-mail")
	}
	if err := db.SelectContext(ctx, &candidates, qc, pq.Array(low)); err != nil {
		return nil, nil, mapError(err, "people by e-mail")
	}
	return users, candidates, nil
}

// SetUserLocale remembers the user's interface language.
func (db *DB) SetUserLocale(ctx context.Context, id int64, locale string) error {
	const q = `UPDATE users SET locale = $2, updated_at = now() WHERE id = $1`
	_, err := db.ExecContext(ctx, q, id, locale)
	return mapError(err, "set user locale")
}

// SetUserDisabled enables or disables an account. Disabling ends, in the
// same transaction, every session and personal access token of the
// account; enabling it again revives neither. Returns ENOTFOUND.
func (db *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	const q = `UPDATE users SET disabled = $2, updated_at = now() WHERE id = $1`
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, q, id, disabled)
		if err != nil {
			return mapError(err, "set user disabled")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
		}
		if !disabled {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return mapError(err, "end sessions")
		}
		return revokeUserTokens(ctx, tx, id, time.Now())
	})
}

// RecordFailedLogin notes a failed sign-in for rate limiting.
func (db *DB) RecordFailedLogin(ctx context.Context, email, ip string) error {
	const q = `INSERT INTO login_attempts (email, ip) VALUES (lower($1), $2)`
	_, err := db.ExecContext(ctx, q, email, ip)
	return mapError(err, "record failed login")
}

// CountFailedLogins counts failures since the given time for the email
// from the address (an account is locked for one address, not for
// everyone), and for the address whatever the email.
func (db *DB) CountFailedLogins(ctx context.Context, email, ip string, since time.Time) (byEmail, byIP int, err error) {
	const q = `
		SELECT count(*) FILTER (WHERE email = lower($1)), count(*)
		FROM login_attempts WHERE at >= $3 AND ip = $2`
	err = db.QueryRowContext(ctx, q, email, ip, since).Scan(&byEmail, &byIP)
	return byEmail, byIP, mapError(err, "count failed logins")
}

// CountPasswordResets counts the reset links issued to a user since the
// given time.
func (db *DB) CountPasswordResets(ctx context.Context, userID int64, since time.Time) (int, error) {
	const q = `SELECT count(*) FROM password_resets WHERE user_id = $1 AND created_at >= $2`
	var n int
	err := db.GetContext(ctx, &n, q, userID, since)
	return n, mapError(err, "count password resets")
}

// ClearFailedLogins forgets an account's failures from an address after a
// good sign-in from it.
func (db *DB) ClearFailedLogins(ctx context.Context, email, ip string) error {
	const q = `DELETE FROM login_attempts WHERE email = lower($1) AND ip = $2`
	_, err := db.ExecContext(ctx, q, email, ip)
	return mapError(err, "clear failed logins")
}

// Audit writes one audit log row.
func (db *DB) Audit(ctx context.Context, actorID int64, action, subjectType, subjectID string, detail []byte) error {
	const q = `INSERT INTO audit_log (actor_id, action, subject_type, subject_id, detail) VALUES ($1, $2, $3, $4, $5)`
	var actor *int64
	if actorID != 0 {
		actor = &actorID
	}
	if detail == nil {
		detail = []byte("{}")
	}
	_, err := db.ExecContext(ctx, q, actor, action, subjectType, subjectID, detail)
	return mapError(err, "audit")
}

// AuditRead writes the audit row of a read by u that returned identity
// (names): about one candidate (subject, not 0) or a list naming in detail
// "ids" every candidate it returned (nothing when the list is empty), so
// the audit log found by person holds it. detail (may be nil) gets the
// reader's "role".
func (db *DB) AuditRead(ctx context.Context, u *tsunagu.User, action string, subject int64, ids []int64, detail map[string]any) error {
	if subject == 0 && len(ids) == 0 {
		return nil
	}
	if detail == nil {
		detail = map[string]any{}
	}
	detail["role"] = string(u.Role)
	sub := ""
	if subject != 0 {
		sub = strconv.FormatInt(subject, 10)
	} else {
		detail["ids"] = ids
	}
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	if err := db.Audit(ctx, u.ID, action, "candidate", sub, b); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// ListAudit returns the newest audit rows, optionally for one subject.
func (db *DB) ListAudit(ctx context.Context, subjectType, subjectID string, limit int) ([]tsunagu.AuditEntry, error) {
	const q = `
		SELECT * FROM audit_log
		WHERE ($1 = '' OR subject_type = $1) AND ($2 = '' OR subject_id = $2)
		ORDER BY id DESC LIMIT $3`
	var es []tsunagu.AuditEntry
	if err := db.SelectContext(ctx, &es, q, subjectType, subjectID, limit); err != nil {
		return nil, mapError(err, "list audit")
	}
	return es, nil
}
