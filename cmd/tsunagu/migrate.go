package main

import (
	"context"

	"github.com/tsunagu-org/tsunagu/internal/config"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
)

// cmdMigrate applies every pending migration.
func cmdMigrate(ctx context.Context, _ *Env, _ config.Config, db *postgres.DB) error {
	return postgres.Migrate(ctx, db.DB.DB)
}
