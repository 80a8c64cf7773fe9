package main

import (
	"context"
	"fmt"

	"github.com/tsunagu-org/tsunagu/internal/app"
	"github.com/tsunagu-org/tsunagu/internal/config"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// cmdSeed loads the demo accounts and data; a second run keeps what is there.
func cmdSeed(ctx context.Context, e *Env, _ config.Config, db *postgres.DB) error {
	if err := seed.All(ctx, db, e.Stderr); err != nil {
		return err
	}
	fmt.Fprintln(e.Stderr, "demo data loaded")
	return nil
}

// printDemoLogins lists the demo accounts that exist in this database.
func printDemoLogins(e *Env, a *app.App) {
	var lines []string
	for _, d := range seed.DemoUsers {
		if _, err := a.DB.UserByEmail(context.Background(), d.Email); err == nil {
			lines = append(lines, fmt.Sprintf("  %-12s %-30s password: %s", d.Role, d.Email, seed.DemoPassword))
		}
	}
	if _, err := a.DB.UserByEmail(context.Background(), seed.PendingCompanyEmail); err == nil {
		lines = append(lines, fmt.Sprintf("  %-12s %-30s password: %s (company awaiting verification)", tsunagu.RoleCompany, seed.PendingCompanyEmail, seed.DemoPassword))
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintln(e.Stderr, "demo logins:")
	for _, l := range lines {
		fmt.Fprintln(e.Stderr, l)
	}
	fmt.Fprintln(e.Stderr)
}
