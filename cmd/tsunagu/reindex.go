package main

import (
	"context"
	"fmt"
	"syscall"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/config"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/search"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
)

// cmdReindex rebuilds the search index in TSUNAGU_DATA_DIR from the
// database, in a new folder, and points the data folder at it; a serving
// process using the folder switches to it within a second and catches up.
func cmdReindex(ctx context.Context, e *Env, cfg config.Config, db *postgres.DB) error {
	tax, err := taxonomy.Load()
	if err != nil {
		return err
	}
	start, cpu0 := time.Now(), processCPU()
	docs, err := search.Rebuild(ctx, db, search.NewResolver(tax), searchDir(cfg.DataDir))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "reindexed %d documents in %.1fs (%.1fs CPU) into %s\n", docs, time.Since(start).Seconds(),
		(processCPU() - cpu0).Seconds(), searchDir(cfg.DataDir))
	return nil
}

// processCPU is the CPU time (user and system) this process has used: on a
// shared machine it says more about the rebuild than the wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
