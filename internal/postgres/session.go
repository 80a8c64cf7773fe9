package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// CreateSession stores s.
func (db *DB) CreateSession(ctx context.Context, s *tsunagu.Session) error {
	const q = `
		INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, user_agent, ip)
		VALUES (:token_hash, :user_id, :csrf_token, :expires_at, :user_agent, :ip)`
	_, err := db.NamedExecContext(ctx, q, s)
	return mapError(err, "create session")
}

// SessionByHash returns the unexpired session with the token hash, or ENOTFOUND.
func (db *DB) SessionByHash(ctx context.Context, hash []byte, now time.Time) (*tsunagu.Session, error) {
	const q = `SELECT * FROM sessions WHERE token_hash = $1 AND expires_at > $2`
	var s tsunagu.Session
	if err := db.GetContext(ctx, &s, q, hash, now); err != nil {
		return nil, mapError(err, "session")
	}
	return &s, nil
}

// SessionWithUser returns the unexpired session with the token hash and
// its user, in one round trip, or ENOTFOUND. It is what every signed-in
// request runs first, so it is a prepared statement scanned by hand.
func (db *DB) SessionWithUser(ctx context.Context, hash []byte, now time.Time) (*tsunagu.Session, *tsunagu.User, error) {
	const q = `
		SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen, s.expires_at,
		       s.user_agent, s.ip,
		       u.id, u.email, u.display_name, u.password_hash, u.role, u.locale, u.disabled,
		       u.created_at, u.updated_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires_at > $2`
	st, err := db.prepared(ctx, q)
	if err != nil {
		return nil, nil, mapError(err, "session")
	}
	var s tsunagu.Session
	var u tsunagu.User
	err = st.QueryRowContext(ctx, hash, now).Scan(&s.TokenHash, &s.UserID, &s.CSRFToken, &s.CreatedAt,
		&s.LastSeen, &s.ExpiresAt, &s.UserAgent, &s.IP,
		&u.ID, &u.Email, &u.DisplayName, &u.PasswordHash, &u.Role, &u.Locale, &u.Disabled,
		&u.CreatedAt, &u.UpdatedAt)
	if err != nil {
		return nil, nil, mapError(err, "session")
	}
	return &s, &u, nil
}

// TouchSession records activity and slides the expiry.
func (db *DB) TouchSession(ctx context.Context, hash []byte, now, expires time.Time) error {
	const q = `UPDATE sessions SET last_seen = $2, expires_at = $3 WHERE token_hash = $1`
	_, err := db.ExecContext(ctx, q, hash, now, expires)
	return mapError(err, "touch session")
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	const q = `DELETE FROM sessions WHERE token_hash = $1`
	_, err := db.ExecContext(ctx, q, hash)
	return mapError(err, "delete session")
}

// DeleteUserSessions ends every session of a user.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	const q = `DELETE FROM sessions WHERE user_id = $1`
	_, err := db.ExecContext(ctx, q, userID)
	return mapError(err, "delete user sessions")
}

// DeleteExpiredSessions removes sessions past their expiry.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	const q = `DELETE FROM sessions WHERE expires_at <= $1`
	res, err := db.ExecContext(ctx, q, now)
	if err != nil {
		return 0, mapError(err, "delete expired sessions")
	}
	return res.RowsAffected()
}

// CreatePasswordReset stores a reset token hash for a user.
func (db *DB) CreatePasswordReset(ctx context.Context, userID int64, hash []byte, expires time.Time) error {
	const q = `INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`
	_, err := db.ExecContext(ctx, q, hash, userID, expires)
	return mapError(err, "create password reset")
}

// UsePasswordReset consumes a valid reset token and sets the new password
// hash, ending the user's sessions and revoking their personal access
// tokens, all in one transaction. Returns
// ENOTFOUND for an unknown, used or expired token.
func (db *DB) UsePasswordReset(ctx context.Context, hash []byte, passwordHash string, now time.Time) (int64, error) {
	var userID int64
	err := db.InTx(ctx, func(tx *Tx) error {
		const q = `
			UPDATE password_resets SET used_at = $2
			WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
			RETURNING user_id`
		if err := tx.GetContext(ctx, &userID, q, hash, now); err != nil {
			return mapError(err, "use password reset")
		}
		// The user's other outstanding links die with this one.
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, userID, now); err != nil {
			return mapError(err, "end other password resets")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1`, userID, passwordHash, now); err != nil {
			return mapError(err, "set password")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return mapError(err, "end sessions")
		}
		// Personal access tokens end with the password they were made under.
		return revokeUserTokens(ctx, tx, userID, now)
	})
	return userID, err
}

// mailColumns are the mail_outbox columns tsunagu.Mail holds.
const mailColumns = `id, to_addr, subject, body, created_at, sent_at, error`

// QueueMailOnce stores a message in the mail outbox under key unless a
// message with that key is there already; queued reports whether this call
// stored it (and so should send it).
func (db *DB) QueueMailOnce(ctx context.Context, key, to, subject, body string) (id int64, queued bool, err error) {
	const q = `
		INSERT INTO mail_outbox (dedupe_key, to_addr, subject, body) VALUES ($1, $2, $3, $4)
		ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`
	err = db.GetContext(ctx, &id, q, key, to, subject, body)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, mapError(err, "queue mail")
	}
	return id, true, nil
}

// QueueMail stores a message in the mail outbox.
func (db *DB) QueueMail(ctx context.Context, to, subject, body string) (int64, error) {
	const q = `INSERT INTO mail_outbox (to_addr, subject, body) VALUES ($1, $2, $3) RETURNING id`
	var id int64
	err := db.GetContext(ctx, &id, q, to, subject, body)
	return id, mapError(err, "queue mail")
}

// MarkMailSent records the outcome of sending a queued message.
func (db *DB) MarkMailSent(ctx context.Context, id int64, sendErr error) error {
	if sendErr != nil {
		_, err := db.ExecContext(ctx, `UPDATE mail_outbox SET error = $2 WHERE id = $1`, id, sendErr.Error())
		return mapError(err, "mark mail")
	}
	_, err := db.ExecContext(ctx, `UPDATE mail_outbox SET sent_at = now(), error = '' WHERE id = $1`, id)
	return mapError(err, "mark mail")
}

// ListMail returns the newest messages of the mail outbox.
func (db *DB) ListMail(ctx context.Context, limit int) ([]tsunagu.Mail, error) {
	const q = `SELECT ` + mailColumns + ` FROM mail_outbox ORDER BY id DESC LIMIT $1`
	var ms []tsunagu.Mail
	if err := db.SelectContext(ctx, &ms, q, limit); err != nil {
		return nil, mapError(err, "list mail")
	}
	return ms, nil
}

// FlushMail sends unsent mail older than a minute (newer rows are being sent
// by the request that queued them) through send, at most limit rows, and
// records each outcome. Rows are locked while they are sent, so two workers
// never send the same message.
func (db *DB) FlushMail(ctx context.Context, limit int, send func(ctx context.Context, m tsunagu.Mail) error) (int, error) {
	sent := 0
	err := db.InTx(ctx, func(tx *Tx) error {
		const q = `
			SELECT ` + mailColumns + ` FROM mail_outbox
			WHERE sent_at IS NULL AND error = '' AND created_at < now() - interval '1 minute'
			ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`
		var ms []tsunagu.Mail
		if err := tx.SelectContext(ctx, &ms, q, limit); err != nil {
			return mapError(err, "flush mail")
		}
		for _, m := range ms {
			if err := send(ctx, m); err != nil {
				if _, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET error = $2 WHERE id = $1`, m.ID, err.Error()); err != nil {
					return mapError(err, "flush mail")
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET sent_at = now() WHERE id = $1`, m.ID); err != nil {
				return mapError(err, "flush mail")
			}
			sent++
		}
		return nil
	})
	return sent, err
}
