package tsunagu

import (
	"context"
	"time"
)

// Role is what a user is on the platform. It decides every permission.
type Role string

// The four roles.
const (
	RoleCandidate   Role = "candidate"
	RoleCompany     Role = "company"
	RoleCoordinator Role = "coordinator"
	RoleAdmin       Role = "admin"
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleCandidate, RoleCompany, RoleCoordinator, RoleAdmin:
		return true
	}
	return false
}

// Staff reports whether r is NGO staff (coordinator or admin).
func (r Role) Staff() bool { return r == RoleCoordinator || r == RoleAdmin }

// User is an account.
type User struct {
	ID           int64     `db:"id" json:"id"`
	Email        string    `db:"email" json:"email"`
	DisplayName  string    `db:"display_name" json:"display_name"`
	PasswordHash string    `db:"password_hash" json:"-"`
	Role         Role      `db:"role" json:"role"`
	Locale       string    `db:"locale" json:"locale"`
	Disabled     bool      `db:"disabled" json:"disabled"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
}

type userKey struct{}

// NewContextWithUser returns ctx carrying the signed-in user.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFromContext returns the signed-in user, or nil for a visitor.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}
