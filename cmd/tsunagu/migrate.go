package main

import (
	"context"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
)

func init() {
	register("migrate", "apply pending database migrations", cmdMigrate)
}

// cmdMigrate applies every pending migration.
func cmdMigrate(ctx context.Context, e *Env, args []string) error {
	if err := parseFlags(newFlagSet(e, "migrate"), args); err != nil {
		return err
	}
	cfg, err := e.Config()
	if err != nil {
		return err
	}
	e.Logger(cfg)
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	return postgres.Migrate(ctx, db.DB.DB)
}
