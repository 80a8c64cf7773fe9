package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/search"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// searchDir is where a process keeps its search index inside TSUNAGU_DATA_DIR.
func searchDir(dataDir string) string { return filepath.Join(dataDir, "search") }

// openSearch opens the database and the search service (built and caught
// up, not following).
func openSearch(ctx context.Context, e *Env) (*postgres.DB, *search.Service, error) {
	cfg, db, err := e.OpenDB(ctx)
	if err != nil {
		return nil, nil, err
	}
	tax, err := taxonomy.Load()
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	svc, err := search.NewService(db, cfg.DatabaseURL, searchDir(cfg.DataDir), search.NewResolver(tax))
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if err := svc.Prepare(ctx); err != nil {
		svc.Close()
		db.Close()
		return nil, nil, err
	}
	return db, svc, nil
}

type matchLine struct {
	CandidateID   string   `json:"candidate_id"`
	Score         float64  `json:"score"`
	MatchedSkills []string `json:"matched_skills"`
	MissingSkills []string `json:"missing_skills"`
	Unmet         []string `json:"unmet"`
}

type roleLine struct {
	RoleID       string   `json:"role_id"`
	CandidateIDs []string `json:"candidate_ids"`
}

// cmdMatch prints, for one role, one JSON line per candidate, best first;
// for every role (--all-roles), one line per role with its candidate ids.
// Ids are external ids (the internal id where there is none). Candidates
// missing a hard requirement are included, demoted, with it in "unmet",
// unless --near=false.
func cmdMatch(ctx context.Context, e *Env, args []string) error {
	fs := newFlagSet(e, "match")
	roleID := fs.String("role", "", "role id (external id, or internal number)")
	all := fs.Bool("all-roles", false, "rank candidates for every role")
	limit := fs.Int("limit", 20, "candidates per role")
	near := fs.Bool("near", true, "include candidates who miss a hard requirement (demoted)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if (*roleID == "") == !*all || *limit <= 0 {
		fmt.Fprintln(e.Stderr, "tsunagu match: give --role ID or --all-roles, and a positive --limit")
		return errUsage
	}
	db, svc, err := openSearch(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	defer svc.Close()
	opts := search.Options{Limit: *limit, IncludeNear: *near}
	enc := json.NewEncoder(e.Stdout)
	enc.SetEscapeHTML(false)

	if !*all {
		role, err := db.RoleByExternalID(ctx, *roleID)
		if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			if n, perr := strconv.ParseInt(*roleID, 10, 64); perr == nil {
				role, err = db.RoleByID(ctx, n)
			}
		}
		if err != nil {
			if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
				return fmt.Errorf("role %q not found", *roleID)
			}
			return err
		}
		ms, err := svc.CandidatesForRole(ctx, role.ID, opts)
		if err != nil {
			return fmt.Errorf("match role %s: %w", *roleID, err)
		}
		for _, m := range ms {
			line := matchLine{CandidateID: extID(m.CandidateExternalID, m.CandidateID), Score: m.Score,
				MatchedSkills: []string{}, MissingSkills: m.Missing, Unmet: []string{}}
			for _, s := range m.Matched {
				line.MatchedSkills = append(line.MatchedSkills, s.Label)
			}
			for _, u := range m.Unmet {
				line.Unmet = append(line.Unmet, u.Code)
			}
			if err := enc.Encode(line); err != nil {
				return err
			}
		}
		return nil
	}
	for after := int64(0); ; {
		ids, err := db.RoleIDs(ctx, after, 500)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		roles, err := db.RolesByIDs(ctx, ids)
		if err != nil {
			return err
		}
		for _, r := range roles {
			ms, err := svc.CandidatesForRole(ctx, r.ID, opts)
			if err != nil {
				return fmt.Errorf("match role %s: %w", extID(r.ExternalID, r.ID), err)
			}
			line := roleLine{RoleID: extID(r.ExternalID, r.ID), CandidateIDs: []string{}}
			for _, m := range ms {
				line.CandidateIDs = append(line.CandidateIDs, extID(m.CandidateExternalID, m.CandidateID))
			}
			if err := enc.Encode(line); err != nil {
				return err
			}
		}
		after = ids[len(ids)-1]
	}
}

func extID(ext string, id int64) string {
	if ext != "" {
		return ext
	}
	return strconv.FormatInt(id, 10)
}
