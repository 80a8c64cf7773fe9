package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/config"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
)

// cmdTaxonomy runs the taxonomy subcommands:
//
//	tsunagu taxonomy occupations --limit N   one query a line on stdin, one JSON line out
//	tsunagu taxonomy skills --limit N
//	tsunagu taxonomy load                    upsert the ESCO concepts into PostgreSQL
func cmdTaxonomy(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.Stderr, "usage: tsunagu taxonomy occupations|skills [--limit N] [--lang L] < queries\n       tsunagu taxonomy load")
		return errUsage
	}
	switch args[0] {
	case "occupations", "skills":
		return taxonomyQuery(ctx, e, args[0], args[1:])
	case "load":
		return withDB("taxonomy load", taxonomyLoad)(ctx, e, args[1:])
	default:
		fmt.Fprintf(e.Stderr, "tsunagu taxonomy: unknown subcommand %q (want occupations, skills or load)\n", args[0])
		return errUsage
	}
}

// taxonomyIndexDir is where the normaliser's index lives: under
// TSUNAGU_DATA_DIR. The query commands need nothing else from the
// configuration, so a configuration error elsewhere (a missing secret, say)
// does not stop them.
func taxonomyIndexDir(e *Env) string {
	dir := "data"
	if cfg, err := e.Config(); err == nil {
		dir = cfg.DataDir
	} else if d := e.Getenv("TSUNAGU_DATA_DIR"); d != "" {
		dir = filepath.Clean(d)
	}
	return filepath.Join(dir, "taxonomy")
}

type taxonomyResult struct {
	URI   string  `json:"uri"`
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

type taxonomyLine struct {
	Query   string           `json:"query"`
	Results []taxonomyResult `json:"results"`
}

func taxonomyQuery(ctx context.Context, e *Env, kind string, args []string) error {
	fs := newFlagSet(e, "taxonomy "+kind)
	limit := fs.Int("limit", 10, "results per query")
	lang := fs.String("lang", "en", "language of the returned labels (en, ja, ar)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *limit <= 0 || *limit > 1000 {
		fmt.Fprintln(e.Stderr, "tsunagu taxonomy: --limit must be between 1 and 1000")
		return errUsage
	}
	n, err := openNormalizer(e)
	if err != nil {
		return err
	}
	defer n.Close()

	sc := bufio.NewScanner(e.Stdin)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	w := bufio.NewWriter(e.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for sc.Scan() {
		q := strings.TrimRight(sc.Text(), "\r")
		var res []taxonomy.Result
		if kind == "skills" {
			res, err = n.Skills(ctx, q, *lang, *limit)
		} else {
			res, err = n.Occupations(ctx, q, *lang, *limit)
		}
		if err != nil {
			return err
		}
		line := taxonomyLine{Query: q, Results: make([]taxonomyResult, len(res))}
		for i, r := range res {
			line.Results[i] = taxonomyResult{URI: r.URI, Label: r.Label, Score: r.Score}
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
		// Answer each line at once: the caller may be waiting for it.
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read queries: %w", err)
	}
	return nil
}

// taxonomyLoad upserts the ESCO concepts, their labels and the
// occupation-skill links into PostgreSQL.
func taxonomyLoad(ctx context.Context, e *Env, _ config.Config, db *postgres.DB) error {
	start := time.Now()
	t, err := taxonomy.Load()
	if err != nil {
		return err
	}
	occs, skills, rels := t.StoreRows()
	st, err := postgres.NewTaxonomyStore(db).Load(ctx, occs, skills, rels)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "taxonomy loaded in %v: %d occupations, %d skills, %d occupation-skill links; written: %d occupations, %d skills, %d links; deleted %d\n",
		time.Since(start).Round(time.Millisecond), len(occs), len(skills), len(rels), st.Occupations, st.Skills, st.Relations, st.Deleted)
	return nil
}
