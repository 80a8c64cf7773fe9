package tsunagu

import "time"

// TokenScope is what a personal access token may do.
type TokenScope string

// Token scopes: read answers GET (and HEAD) only; read_write everything its
// owner may do, except managing tokens.
const (
	ScopeRead      TokenScope = "read"
	ScopeReadWrite TokenScope = "read_write"
)

// TokenLifetimes are the expiries, in days, a token may be given.
var TokenLifetimes = []int{7, 30, 90, 365}

// APIToken is a personal access token. Only the hash of its secret is
// stored; the secret is shown once, when it is created.
type APIToken struct {
	ID        int64      `db:"id" json:"id"`
	UserID    int64      `db:"user_id" json:"-"`
	Name      string     `db:"name" json:"name"`
	Scope     TokenScope `db:"scope" json:"scope"`
	CreatedAt time.Time  `db:"created_at" json:"created_at"`
	ExpiresAt time.Time  `db:"expires_at" json:"expires_at"`
	LastUsed  *time.Time `db:"last_used" json:"last_used"`
	RevokedAt *time.Time `db:"revoked_at" json:"revoked_at"`
}

// Active reports whether t still opens the API at now.
func (t APIToken) Active(now time.Time) bool {
	return t.RevokedAt == nil && now.Before(t.ExpiresAt)
}
