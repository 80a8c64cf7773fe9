package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
)

// cmdEvalNorm prints the normalisation figures on dir (../shared/eval by
// default): title to occupation on jobbert/titles.dev.csv.gz (MRR,
// Recall@1/5/10) and skill mention to skill on
// skills/{tech,house}_validation_annotations.csv (MRR, R-Precision@5).
func cmdEvalNorm(ctx context.Context, e *Env, dir string) error {
	if _, err := os.Stat(dir); err != nil {
		fmt.Fprintf(e.Stdout, "normalisation: evaluation folder %s not found, skipped\n", dir)
		return nil
	}
	start := time.Now()
	n, err := openNormalizer(e)
	if err != nil {
		return err
	}
	defer n.Close()
	setup := time.Since(start)
	start = time.Now()
	if err := taxonomy.EvalReport(ctx, n, dir, e.Stdout); err != nil {
		return fmt.Errorf("eval normalisation: %w", err)
	}
	fmt.Fprintf(e.Stdout, "normalisation: taxonomy and index ready in %v, evaluated in %v\n",
		setup.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	return nil
}
