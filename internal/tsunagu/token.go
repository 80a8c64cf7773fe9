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

// InvitationKind is why an invitation link was issued.
type InvitationKind string

// Invitation kinds: a coordinator invites the person behind an account-less
// profile; someone signing up with the e-mail of such a profile proves the
// address (claim); a company admin invites a colleague (member).
const (
	InviteCandidate InvitationKind = "candidate"
	InviteClaim     InvitationKind = "claim"
	InviteMember    InvitationKind = "member"
	// Staff invitations: the kind is the role the account takes.
	InviteCoordinator InvitationKind = "coordinator"
	InviteAdmin       InvitationKind = "admin"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 14 * 24 * time.Hour

// Invitation is a single-use, expiring link that creates an account (and,
// for a candidate, claims their profile; for a member, joins the company).
// Only the hash of its token is stored.
type Invitation struct {
	ID          int64          `db:"id" json:"id"`
	Kind        InvitationKind `db:"kind" json:"kind"`
	Email       string         `db:"email" json:"email"`
	Locale      string         `db:"locale" json:"locale"`
	CandidateID *int64         `db:"candidate_id" json:"candidate_id,omitempty"`
	CompanyID   *int64         `db:"company_id" json:"company_id,omitempty"`
	InvitedBy   *int64         `db:"invited_by" json:"invited_by,omitempty"`
	CreatedAt   time.Time      `db:"created_at" json:"created_at"`
	ExpiresAt   time.Time      `db:"expires_at" json:"expires_at"`
	UsedAt      *time.Time     `db:"used_at" json:"used_at,omitempty"`
	UsedBy      *int64         `db:"used_by" json:"-"`
}

// Role is the role of the account an invitation creates.
func (i *Invitation) Role() Role {
	switch i.Kind {
	case InviteMember:
		return RoleCompany
	case InviteCoordinator:
		return RoleCoordinator
	case InviteAdmin:
		return RoleAdmin
	}
	return RoleCandidate
}
