package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

func init() {
	register("eval", "matching and normalisation figures on the evaluation sets: eval [DIR] (default ../shared/eval)", cmdEval)
}

// cmdEval runs the evaluations on the development splits in DIR: title and
// skill normalisation (jobbert, skills) and candidate-role ranking
// (match-dev). The sets are read at run time and never shipped.
func cmdEval(ctx context.Context, e *Env, args []string) error {
	fs := newFlagSet(e, "eval")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	dir := "../shared/eval"
	if fs.NArg() > 0 {
		dir = fs.Arg(0)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		fmt.Fprintf(e.Stderr, "tsunagu eval: no evaluation folder at %s; give its path: tsunagu eval DIR\n", dir)
		return errUsage
	}
	var errs []error
	ran := 0
	for _, part := range []struct {
		sub string
		run func(context.Context, *Env, string) error
	}{
		{"match-dev", cmdEvalMatch},
		{"jobbert", cmdEvalNorm},
	} {
		if _, err := os.Stat(filepath.Join(dir, part.sub)); err != nil {
			fmt.Fprintf(e.Stdout, "%s: not present in %s, skipped\n", part.sub, dir)
			continue
		}
		ran++
		if err := part.run(ctx, e, dir); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", part.sub, err))
		}
	}
	if ran == 0 {
		fmt.Fprintf(e.Stderr, "tsunagu eval: %s holds none of match-dev, jobbert, skills\n", dir)
		return errUsage
	}
	return errors.Join(errs...)
}
