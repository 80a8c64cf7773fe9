package matching

import (
	"context"
	"slices"
	"strings"

	"github.com/tsunagu-org/tsunagu/internal/search"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// RoleFit is one open role for a candidate and what they miss for it.
type RoleFit struct {
	Role  *tsunagu.JobRole `json:"role"`
	Match search.Match     `json:"match"`
	// Missing are the role's required skills the candidate lacks, named in
	// the reader's language where they resolve to ESCO.
	Missing []GapSkill `json:"missing"`
}

// GapSkill is a skill a candidate lacks.
type GapSkill struct {
	URI   string `json:"uri,omitempty"`
	Label string `json:"label"`
}

// Opening is a skill that would open roles: how many of the candidate's
// roles require it and lack it, how many it alone would complete, and the
// training programmes that teach it.
type Opening struct {
	GapSkill
	Roles      int                    `json:"roles"`
	Completes  int                    `json:"completes"`
	Programmes []tsunagu.ProgrammeRef `json:"programmes"`
}

// CandidateRoles is a candidate's "roles for you" with the gap.
type CandidateRoles struct {
	Roles    []RoleFit `json:"roles"`
	Openings []Opening `json:"openings"`
	// Pending reports that the profile is not in the index yet; NoProfile
	// that there is no profile at all.
	Pending   bool `json:"pending,omitempty"`
	NoProfile bool `json:"no_profile,omitempty"`
}

// RolesForMe returns the open roles that fit the signed-in candidate, best
// first, each with the required skills they lack, and overall the skills
// that would open the most roles with the training that teaches them.
// includeNear keeps roles whose hard requirements they miss (marked).
// Returns EUNAUTHORIZED, EFORBIDDEN for users who are not candidates.
func (s *Service) RolesForMe(ctx context.Context, includeNear bool, limit int, lang string) (*CandidateRoles, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActCandidateArea, tsunagu.Subject{}) {
		return nil, tsunagu.Forbidden()
	}
	out := &CandidateRoles{Roles: []RoleFit{}, Openings: []Opening{}}
	cand, err := s.DB.CandidateByUserID(ctx, u.ID)
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
		out.NoProfile = true
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 50 {
		limit = 20
	}
	ms, err := s.Index.RolesForCandidate(ctx, cand.ID, search.Options{IncludeNear: includeNear, Limit: limit})
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
		out.Pending = true
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.RoleID
	}
	roles := map[int64]*tsunagu.JobRole{}
	if len(ids) > 0 {
		rs, err := s.DB.RolesByIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			roles[r.ID] = r
		}
	}
	type tally struct {
		GapSkill
		roles, completes int
	}
	tallies := map[string]*tally{}
	var order []string
	for _, m := range ms {
		r := roles[m.RoleID]
		if r == nil || r.Status != tsunagu.RoleOpen {
			continue
		}
		fit := RoleFit{Role: r, Match: m, Missing: []GapSkill{}}
		uris := map[string]string{} // role's required label -> ESCO URI
		if p, err := s.Index.Profile(search.KindRole, m.RoleID); err == nil {
			for _, sk := range p.Skills {
				if !sk.Preferred {
					uris[sk.Label] = sk.URI
				}
			}
		}
		for _, label := range m.Missing {
			g := GapSkill{URI: uris[label], Label: label}
			if g.URI != "" && s.SkillLabel != nil {
				if l := s.SkillLabel(g.URI, lang); l != "" {
					g.Label = l
				}
			}
			fit.Missing = append(fit.Missing, g)
			key := g.URI
			if key == "" {
				key = "label:" + strings.ToLower(search.NormLabel(label))
			}
			t := tallies[key]
			if t == nil {
				t = &tally{GapSkill: g}
				tallies[key] = t
				order = append(order, key)
			}
			t.roles++
			if len(m.Missing) == 1 {
				t.completes++
			}
		}
		out.Roles = append(out.Roles, fit)
	}
	var uris []string
	for _, k := range order {
		t := tallies[k]
		out.Openings = append(out.Openings, Opening{GapSkill: t.GapSkill, Roles: t.roles, Completes: t.completes, Programmes: []tsunagu.ProgrammeRef{}})
		if t.URI != "" {
			uris = append(uris, t.URI)
		}
	}
	slices.SortStableFunc(out.Openings, func(a, b Opening) int {
		if a.Roles != b.Roles {
			return b.Roles - a.Roles
		}
		return b.Completes - a.Completes
	})
	if len(out.Openings) > 10 {
		out.Openings = out.Openings[:10]
	}
	if s.Training != nil && len(uris) > 0 {
		teach, err := s.Training.ProgrammesTeaching(ctx, uris)
		if err != nil {
			return nil, err
		}
		for i := range out.Openings {
			if ps := teach[out.Openings[i].URI]; len(ps) > 0 {
				out.Openings[i].Programmes = ps
			}
		}
	}
	return out, nil
}
