package postgres

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// tokenColumns are the api_tokens columns tsunagu.APIToken holds.
const tokenColumns = `id, user_id, name, scope, created_at, expires_at, last_used, revoked_at`

// CreateAPIToken stores a personal access token (its hash only) and sets
// t's ID and CreatedAt.
func (db *DB) CreateAPIToken(ctx context.Context, t *tsunagu.APIToken, hash []byte) error {
	const q = `
		INSERT INTO api_tokens (token_hash, user_id, name, scope, expires_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`
	err := db.QueryRowxContext(ctx, q, hash, t.UserID, t.Name, t.Scope, t.ExpiresAt).Scan(&t.ID, &t.CreatedAt)
	return mapError(err, "create api token")
}

// APITokenWithUser returns the unrevoked, unexpired token with hash and its
// owner, noting the use, or ENOTFOUND.
func (db *DB) APITokenWithUser(ctx context.Context, hash []byte, now time.Time) (*tsunagu.APIToken, *tsunagu.User, error) {
	const q = `
		UPDATE api_tokens SET last_used = $2
		WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2
		RETURNING ` + tokenColumns
	var t tsunagu.APIToken
	if err := db.GetContext(ctx, &t, q, hash, now); err != nil {
		return nil, nil, mapError(err, "api token")
	}
	u, err := db.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	return &t, u, nil
}

// ListAPITokens returns a user's tokens, newest first, revoked and expired
// ones included (the list page shows their state).
func (db *DB) ListAPITokens(ctx context.Context, userID int64) ([]tsunagu.APIToken, error) {
	const q = `SELECT ` + tokenColumns + ` FROM api_tokens WHERE user_id = $1 ORDER BY id DESC LIMIT 200`
	var ts []tsunagu.APIToken
	if err := db.SelectContext(ctx, &ts, q, userID); err != nil {
		return nil, mapError(err, "list api tokens")
	}
	return ts, nil
}

// RevokeAPIToken revokes the token id of userID. Returns ENOTFOUND when the
// user has no such token (another user's token included).
func (db *DB) RevokeAPIToken(ctx context.Context, userID, id int64, now time.Time) error {
	const q = `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND user_id = $2`
	res, err := db.ExecContext(ctx, q, id, userID, now)
	if err != nil {
		return mapError(err, "revoke api token")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
	}
	return nil
}

// RevokeUserTokens revokes every token of a user.
func (db *DB) RevokeUserTokens(ctx context.Context, userID int64, now time.Time) error {
	return revokeUserTokens(ctx, db.DB, userID, now)
}

func revokeUserTokens(ctx context.Context, q sqlx.ExecerContext, userID int64, now time.Time) error {
	const u = `UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`
	_, err := q.ExecContext(ctx, u, userID, now)
	return mapError(err, "revoke user tokens")
}
