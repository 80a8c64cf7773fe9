// Package bench generates a deterministic population of candidates and roles
// from ESCO and measures the platform against the performance targets of
// DESIGN.md, beside PostgreSQL full-text search (ts_rank over a GIN index)
// on the same data. The measurements are benchmarks (go test -bench), never
// part of a plain `go test` run:
//
//	make bench   # go test -run '^$' -bench . -benchtime 1x ./internal/bench/...
//
// TSUNAGU_BENCH_CANDIDATES and TSUNAGU_BENCH_ROLES shrink the population for
// a quick run (defaults 100000 and 5000).
package bench

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Prefectures used by the generator (the largest labour markets).
var Prefectures = []string{"Tokyo", "Kanagawa", "Osaka", "Aichi", "Saitama", "Chiba", "Hyogo", "Fukuoka", "Hokkaido", "Kyoto"}

var seniority = []string{"", "", "", "Senior ", "Junior ", "Sr. ", "Assistant ", "Lead "}

// Population is a generated set of candidates and roles.
type Population struct {
	Candidates []*tsunagu.Candidate
	Roles      []*tsunagu.JobRole
	// CandidateOcc and RoleOcc are the ESCO occupations each was generated
	// from, to measure ranking quality on the generated data.
	CandidateOcc []string
	RoleOcc      []string
}

// Generate builds nCand candidates and nRoles roles from the taxonomy,
// the same every time for the same sizes. Each person or role belongs to an
// ESCO occupation: its title is one of the occupation's labels (sometimes
// with a seniority word), its skills drawn from the occupation's skills and
// written half the time with an alternative label; a few skills come from
// elsewhere. Ids are 1..n.
func Generate(t *taxonomy.Taxonomy, nCand, nRoles int) *Population {
	rng := rand.New(rand.NewPCG(20261124, 42))
	type occ struct {
		c        *taxonomy.Concept
		ess, opt []*taxonomy.Concept
	}
	var occs []occ
	for _, o := range t.Occupations() {
		e, op := t.OccupationSkills(o.URI)
		if len(e) < 6 {
			continue
		}
		x := occ{c: o}
		for _, u := range e {
			if s, ok := t.Skill(u); ok {
				x.ess = append(x.ess, s)
			}
		}
		for _, u := range op {
			if s, ok := t.Skill(u); ok {
				x.opt = append(x.opt, s)
			}
		}
		if len(x.opt) < 3 {
			continue
		}
		occs = append(occs, x)
	}
	all := t.Skills()
	label := func(c *taxonomy.Concept) string {
		if len(c.AltLabels) > 0 && rng.IntN(2) == 0 {
			return c.AltLabels[rng.IntN(len(c.AltLabels))]
		}
		return c.Labels["en"]
	}
	title := func(o occ) string {
		return seniority[rng.IntN(len(seniority))] + label(o.c)
	}
	pick := func(from []*taxonomy.Concept, n int) []*taxonomy.Concept {
		idx := rng.Perm(len(from))
		if n > len(idx) {
			n = len(idx)
		}
		out := make([]*taxonomy.Concept, n)
		for i := range out {
			out[i] = from[idx[i]]
		}
		return out
	}
	levels := []string{"", "N5", "N4", "N3", "N3", "N2", "N2", "N1", "native"}
	p := &Population{}
	for i := 0; i < nCand; i++ {
		o := occs[rng.IntN(len(occs))]
		pool := append(append([]*taxonomy.Concept{}, o.ess...), o.opt...)
		skills := pick(pool, 4+rng.IntN(14))
		if rng.IntN(3) == 0 {
			skills = append(skills, all[rng.IntN(len(all))])
		}
		c := &tsunagu.Candidate{
			ID: int64(i + 1), ExternalID: fmt.Sprintf("bench-cand-%06d", i+1), Name: "Bench Candidate",
			Headline: title(o), Location: tsunagu.Location{Country: "JP", Prefecture: Prefectures[rng.IntN(len(Prefectures))]},
			WillingToRelocate: rng.IntN(10) < 3, Visibility: tsunagu.VisibilityCompanies,
		}
		if rng.IntN(10) == 0 {
			c.Visibility = tsunagu.VisibilityCoordinators
		}
		c.WorkHistory = []tsunagu.WorkExperience{{Title: c.Headline, Years: float64(1 + rng.IntN(15))}}
		if rng.IntN(2) == 0 {
			o2 := occs[rng.IntN(len(occs))]
			c.WorkHistory = append(c.WorkHistory, tsunagu.WorkExperience{Title: title(o2), Years: float64(1 + rng.IntN(5))})
		}
		for _, s := range skills {
			c.Skills = append(c.Skills, tsunagu.SkillRef{Label: label(s)})
		}
		if l := levels[rng.IntN(len(levels))]; l != "" {
			c.Languages = append(c.Languages, tsunagu.LanguageSkill{Code: "ja", Level: l})
		}
		c.Languages = append(c.Languages, tsunagu.LanguageSkill{Code: "en", Level: "B2"})
		p.Candidates = append(p.Candidates, c)
		p.CandidateOcc = append(p.CandidateOcc, o.c.URI)
	}
	workplaces := []string{tsunagu.WorkplaceOnsite, tsunagu.WorkplaceOnsite, tsunagu.WorkplaceHybrid, tsunagu.WorkplaceRemote}
	for i := 0; i < nRoles; i++ {
		o := occs[rng.IntN(len(occs))]
		r := &tsunagu.JobRole{
			ID: int64(i + 1), ExternalID: fmt.Sprintf("bench-role-%05d", i+1), CompanyID: int64(1 + rng.IntN(500)),
			CompanyName: fmt.Sprintf("Company %03d", 1+rng.IntN(500)), Title: title(o),
			Location:  tsunagu.Location{Country: "JP", Prefecture: Prefectures[rng.IntN(len(Prefectures))]},
			Workplace: workplaces[rng.IntN(len(workplaces))], Status: tsunagu.RoleOpen, EmploymentType: "full_time",
		}
		for _, s := range pick(o.ess, 6) {
			r.RequiredSkills = append(r.RequiredSkills, tsunagu.SkillRef{Label: label(s)})
		}
		for _, s := range pick(o.opt, 3) {
			r.PreferredSkills = append(r.PreferredSkills, tsunagu.SkillRef{Label: label(s)})
		}
		if l := levels[1+rng.IntN(len(levels)-2)]; rng.IntN(4) > 0 {
			r.Languages = []tsunagu.LanguageSkill{{Code: "ja", Level: l}}
		}
		p.Roles = append(p.Roles, r)
		p.RoleOcc = append(p.RoleOcc, o.c.URI)
	}
	return p
}

// CandidateText is the text PostgreSQL full-text search indexes for a
// candidate: the same words the Bleve text fields hold.
func CandidateText(c *tsunagu.Candidate) string {
	var b strings.Builder
	b.WriteString(c.Headline)
	for _, w := range c.WorkHistory {
		b.WriteString("\n" + w.Title)
	}
	for _, s := range c.Skills {
		b.WriteString("\n" + s.Label)
	}
	return b.String()
}

// RoleText is the query text for a role: its title and skill labels.
func RoleText(r *tsunagu.JobRole) string {
	parts := []string{r.Title}
	for _, s := range r.RequiredSkills {
		parts = append(parts, s.Label)
	}
	for _, s := range r.PreferredSkills {
		parts = append(parts, s.Label)
	}
	return strings.Join(parts, " ")
}
