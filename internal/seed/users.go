// Package seed loads deterministic demo data. Running it again keeps what
// is there.
package seed

import (
	"context"
	"fmt"

	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// DemoPassword is the password of every demo account. Demo data is for a
// local trial only.
const DemoPassword = "tsunagu-demo-2026"

// DemoUser is a demo login.
type DemoUser struct {
	Email string
	Name  string
	Role  tsunagu.Role
}

// DemoUsers are the demo logins, one per role first.
var DemoUsers = []DemoUser{
	{"candidate@demo.tsunagu.jp", "Amina K.", tsunagu.RoleCandidate},
	{"company@demo.tsunagu.jp", "佐藤 花子 (Sakura Logistics)", tsunagu.RoleCompany},
	{"coordinator@demo.tsunagu.jp", "田中 一郎", tsunagu.RoleCoordinator},
	{"admin@demo.tsunagu.jp", "Admin", tsunagu.RoleAdmin},
}

// Users creates the demo accounts that do not exist yet.
func Users(ctx context.Context, db *postgres.DB) error {
	for _, d := range DemoUsers {
		if _, err := db.UserByEmail(ctx, d.Email); err == nil {
			continue
		} else if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			return err
		}
		hash, err := auth.HashPassword(DemoPassword)
		if err != nil {
			return err
		}
		u := &tsunagu.User{Email: d.Email, DisplayName: d.Name, PasswordHash: hash, Role: d.Role, Locale: "ja"}
		if err := db.CreateUser(ctx, u); err != nil {
			return fmt.Errorf("seed user %s: %w", d.Email, err)
		}
	}
	return nil
}

// PendingCompanyEmail signs in to a company that signed up by itself and
// waits for the programme's check: its home page says so, and it sees no
// candidate until a coordinator verifies it.
const PendingCompanyEmail = "pending-company@demo.tsunagu.jp"

// PendingCompany creates the demo company awaiting verification and its
// account, unless they exist.
func PendingCompany(ctx context.Context, db *postgres.DB) error {
	if _, err := db.UserByEmail(ctx, PendingCompanyEmail); err == nil {
		return nil
	} else if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		return err
	}
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return err
	}
	u := &tsunagu.User{Email: PendingCompanyEmail, DisplayName: "鈴木 健 (Hikari Foods)", PasswordHash: hash, Role: tsunagu.RoleCompany, Locale: "ja"}
	if _, err := db.CreateCompanyAccount(ctx, u, "Hikari Foods"); err != nil {
		return fmt.Errorf("seed pending company: %w", err)
	}
	return nil
}
