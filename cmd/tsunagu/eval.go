package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// evalDir is the evaluation folder named on the command line, by default
// ../shared/eval.
func evalDir(fs *flag.FlagSet) string {
	if fs.NArg() > 0 {
		return fs.Arg(0)
	}
	return "../shared/eval"
}

// cmdEval runs the evaluations on the development splits in DIR: title and
// skill normalisation (jobbert, skills) and candidate-role ranking
// (match-dev and match-real-dev). The sets are read at run time and never shipped.
func cmdEval(ctx context.Context, e *Env, args []string) error {
	fs := newFlagSet(e, "eval")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	dir := evalDir(fs)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		fmt.Fprintf(e.Stderr, "tsunagu eval: no evaluation folder at %s; give its path: tsunagu eval DIR\n", dir)
		return errUsage
	}
	var errs []error
	ran := 0
	for _, part := range []struct {
		subs []string
		run  func(context.Context, *Env, string) error
	}{
		{matchSets, cmdEvalMatch},
		{[]string{"jobbert", "skills"}, cmdEvalNorm},
	} {
		found := false
		for _, sub := range part.subs {
			if _, err := os.Stat(filepath.Join(dir, sub)); err == nil {
				found = true
			}
		}
		if !found {
			fmt.Fprintf(e.Stdout, "%s: not present in %s, skipped\n", strings.Join(part.subs, ", "), dir)
			continue
		}
		ran++
		if err := part.run(ctx, e, dir); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", strings.Join(part.subs, ", "), err))
		}
	}
	if ran == 0 {
		fmt.Fprintf(e.Stderr, "tsunagu eval: %s holds none of match-dev, match-real-dev, jobbert, skills\n", dir)
		return errUsage
	}
	return errors.Join(errs...)
}
