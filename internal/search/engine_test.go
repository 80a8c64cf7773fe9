package search

import (
	"context"
	"sync"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

var (
	resOnce sync.Once
	testRes *Resolver
)

func mustResolver(tb testing.TB) *Resolver {
	tb.Helper()
	resOnce.Do(func() {
		tax, err := taxonomy.Load()
		if err != nil {
			tb.Fatalf("load taxonomy: %v", err)
		}
		testRes = NewResolver(tax)
	})
	return testRes
}

// fixture is an occupation with skills to build crafted profiles from,
// chosen from the taxonomy (no labels are hard-coded).
type fixture struct {
	occ    *taxonomy.Concept
	skills []*taxonomy.Concept // essential skills; skills[0] has an alternative label
}

func mustFixture(tb testing.TB, r *Resolver) fixture {
	tb.Helper()
	tax := r.Taxonomy()
	for _, o := range tax.Occupations() {
		ess, _ := tax.OccupationSkills(o.URI)
		if len(ess) < 8 {
			continue
		}
		var f fixture
		f.occ = o
		for _, u := range ess {
			s, ok := tax.Skill(u)
			if !ok {
				continue
			}
			// Labels that resolve to this skill only.
			if got := r.Skill(s.Labels["en"]); len(got) != 1 {
				continue
			}
			f.skills = append(f.skills, s)
		}
		for i, s := range f.skills {
			for _, a := range s.AltLabels {
				if got := r.Skill(a); len(got) == 1 && got[0] == s.URI && NormLabel(a) != NormLabel(s.Labels["en"]) {
					f.skills[0], f.skills[i] = f.skills[i], f.skills[0]
					if len(f.skills) >= 6 {
						return f
					}
				}
			}
		}
	}
	tb.Fatal("no occupation fits the fixture")
	return fixture{}
}

func refs(cs ...*taxonomy.Concept) []tsunagu.SkillRef {
	var out []tsunagu.SkillRef
	for _, c := range cs {
		out = append(out, tsunagu.SkillRef{Label: c.Labels["en"]})
	}
	return out
}

func mustEngine(tb testing.TB, cands []*tsunagu.Candidate, roles []*tsunagu.JobRole) *Engine {
	tb.Helper()
	e, err := NewMemEngine(mustResolver(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { e.Close() })
	if err := e.IndexCandidates(cands); err != nil {
		tb.Fatal(err)
	}
	if err := e.IndexRoles(roles); err != nil {
		tb.Fatal(err)
	}
	return e
}

func candidate(id int64, title string, skills []tsunagu.SkillRef) *tsunagu.Candidate {
	return &tsunagu.Candidate{ID: id, ExternalID: title, Name: "x", Headline: title,
		WorkHistory: []tsunagu.WorkExperience{{Title: title, Years: 3}}, Skills: skills,
		Location:  tsunagu.Location{Country: "JP", Prefecture: "Tokyo"},
		Languages: []tsunagu.LanguageSkill{{Code: "ja", Level: "N2"}}, Visibility: tsunagu.VisibilityCompanies}
}

func role(id int64, title string, req, pref []tsunagu.SkillRef) *tsunagu.JobRole {
	return &tsunagu.JobRole{ID: id, ExternalID: "role", Title: title, RequiredSkills: req, PreferredSkills: pref,
		Location: tsunagu.Location{Country: "JP", Prefecture: "Tokyo"}, Workplace: tsunagu.WorkplaceOnsite,
		Languages: []tsunagu.LanguageSkill{{Code: "ja", Level: "N2"}}, Status: tsunagu.RoleOpen, CompanyID: 1}
}

func ids(ms []Match) []int64 {
	var out []int64
	for _, m := range ms {
		out = append(out, m.CandidateID)
	}
	return out
}

func find(ms []Match, id int64) *Match {
	for i := range ms {
		if ms[i].CandidateID == id {
			return &ms[i]
		}
	}
	return nil
}

func TestRanking(t *testing.T) {
	r := mustResolver(t)
	f := mustFixture(t, r)
	title := f.occ.Labels["en"]
	s := f.skills
	ctx := context.Background()

	t.Run("RequiredBeatsPreferred", func(t *testing.T) {
		// Both hold three of the role's skills; 1 holds a required one
		// where 2 holds a preferred one.
		c1 := candidate(1, title, refs(s[1], s[2], s[3]))
		c2 := candidate(2, title, refs(s[2], s[3], s[5]))
		e := mustEngine(t, []*tsunagu.Candidate{c2, c1}, []*tsunagu.JobRole{role(10, title, refs(s[1], s[2], s[3], s[4]), refs(s[5]))})
		ms, err := e.CandidatesForRole(ctx, 10, Options{IncludeNear: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(ms); len(got) != 2 || got[0] != 1 {
			t.Fatalf("order = %v, want candidate 1 first", got)
		}
		if got, want := len(ms[1].Missing), 2; got != want {
			t.Errorf("candidate 2 missing %v, want %d required skills", ms[1].Missing, want)
		}
	})

	t.Run("SynonymMatches", func(t *testing.T) {
		alt := ""
		for _, a := range s[0].AltLabels {
			if got := r.Skill(a); len(got) == 1 && got[0] == s[0].URI && NormLabel(a) != NormLabel(s[0].Labels["en"]) {
				alt = a
				break
			}
		}
		c := candidate(1, "one", []tsunagu.SkillRef{{Label: alt}})
		e := mustEngine(t, []*tsunagu.Candidate{c}, []*tsunagu.JobRole{role(10, title, refs(s[0]), nil)})
		ms, err := e.CandidatesForRole(ctx, 10, Options{IncludeNear: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || len(ms[0].Matched) != 1 {
			t.Fatalf("matches = %+v, want the candidate with one matched skill", ms)
		}
		if got, want := ms[0].Matched[0].Via, ViaSynonym; got != want {
			t.Errorf("via = %q, want %q", got, want)
		}
		if got, want := ms[0].Matched[0].CandidateLabel, alt; got != want {
			t.Errorf("candidate label = %q, want %q", got, want)
		}
	})

	t.Run("UnmetJapaneseDemotedOrFiltered", func(t *testing.T) {
		// Candidate 1 fits better but has N3 for an N2 role.
		c1 := candidate(1, title, refs(s[1], s[2], s[3], s[4]))
		c1.Languages = []tsunagu.LanguageSkill{{Code: "ja", Level: "N3"}}
		c2 := candidate(2, "two", refs(s[1], s[2]))
		e := mustEngine(t, []*tsunagu.Candidate{c1, c2}, []*tsunagu.JobRole{role(10, title, refs(s[1], s[2], s[3], s[4]), nil)})
		ms, err := e.CandidatesForRole(ctx, 10, Options{IncludeNear: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(ms); len(got) != 2 || got[0] != 2 {
			t.Fatalf("order = %v, want candidate 2 first", got)
		}
		m := find(ms, 1)
		if len(m.Unmet) != 1 || m.Unmet[0].Code != UnmetJapanese || m.Unmet[0].Detail != "N3 < N2" {
			t.Errorf("unmet = %+v, want japanese_level N3 < N2", m.Unmet)
		}
		if m.Breakdown.Demotion >= 1 {
			t.Errorf("demotion = %v, want < 1", m.Breakdown.Demotion)
		}
		ms, err = e.CandidatesForRole(ctx, 10, Options{IncludeNear: false})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(ms); len(got) != 1 || got[0] != 2 {
			t.Errorf("without near matches = %v, want [2]", got)
		}
	})

	t.Run("LocationUnmetUnlessRelocating", func(t *testing.T) {
		c1 := candidate(1, title, refs(s[1], s[2]))
		c1.Location.Prefecture = "Osaka"
		c2 := candidate(2, title, refs(s[1], s[2]))
		c2.Location.Prefecture = "Osaka"
		c2.WillingToRelocate = true
		e := mustEngine(t, []*tsunagu.Candidate{c1, c2}, []*tsunagu.JobRole{role(10, title, refs(s[1], s[2]), nil)})
		ms, err := e.CandidatesForRole(ctx, 10, Options{IncludeNear: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(ms); len(got) != 2 || got[0] != 2 {
			t.Fatalf("order = %v, want candidate 2 first", got)
		}
		if m := find(ms, 1); len(m.Unmet) != 1 || m.Unmet[0].Code != UnmetLocation {
			t.Errorf("unmet = %+v, want location", m.Unmet)
		}
	})

	t.Run("PoolFilledWithVisibleOnly", func(t *testing.T) {
		// Forty better fits a company may not see come first in the
		// index's order; the pool of three still reaches the one it may.
		var cs []*tsunagu.Candidate
		for i := int64(1); i <= 40; i++ {
			c := candidate(i, title, refs(s[1], s[2], s[3]))
			c.Visibility = tsunagu.VisibilityCoordinators
			cs = append(cs, c)
		}
		cs = append(cs, candidate(41, "clerk", refs(s[1])))
		e := mustEngine(t, cs, []*tsunagu.JobRole{role(10, title, refs(s[1], s[2], s[3]), nil)})
		company := &tsunagu.User{ID: 7, Role: tsunagu.RoleCompany}
		ms, err := e.CandidatesForRole(ctx, 10, Options{IncludeNear: true, Viewer: company, ViewerCompanyIDs: []int64{9}, Limit: 1, Pool: 3})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(ms); len(got) != 1 || got[0] != 41 {
			t.Errorf("company sees %v, want [41]", got)
		}
	})

	t.Run("InvisibleNeverShownToCompany", func(t *testing.T) {
		hidden := candidate(1, title, refs(s[1], s[2], s[3]))
		hidden.Visibility = tsunagu.VisibilityHidden
		coord := candidate(2, title, refs(s[1], s[2], s[3]))
		coord.Visibility = tsunagu.VisibilityCoordinators
		open := candidate(3, title, refs(s[1]))
		e := mustEngine(t, []*tsunagu.Candidate{hidden, coord, open}, []*tsunagu.JobRole{role(10, title, refs(s[1], s[2], s[3]), nil)})
		company := &tsunagu.User{ID: 7, Role: tsunagu.RoleCompany}
		ms, err := e.CandidatesForRole(ctx, 10, Options{IncludeNear: true, Viewer: company, ViewerCompanyIDs: []int64{9}})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(ms); len(got) != 1 || got[0] != 3 {
			t.Errorf("company sees %v, want [3]", got)
		}
		hits, err := e.SearchCandidates(ctx, title, Filters{}, Options{Viewer: company, ViewerCompanyIDs: []int64{9}})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if h.CandidateID != 3 {
				t.Errorf("company search shows candidate %d", h.CandidateID)
			}
		}
		staff := &tsunagu.User{ID: 8, Role: tsunagu.RoleCoordinator}
		ms, err = e.CandidatesForRole(ctx, 10, Options{IncludeNear: true, Viewer: staff})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(ms); len(got) != 2 || got[0] != 2 {
			t.Errorf("coordinator sees %v, want [2 3]", got)
		}
	})

	t.Run("RolesForCandidate", func(t *testing.T) {
		c := candidate(1, title, refs(s[1], s[2], s[3]))
		r1 := role(10, title, refs(s[1], s[2], s[3]), nil)
		r2 := role(11, "unrelated", refs(s[4]), nil)
		closed := role(12, title, refs(s[1], s[2], s[3]), nil)
		closed.Status = tsunagu.RoleClosed
		e := mustEngine(t, []*tsunagu.Candidate{c}, []*tsunagu.JobRole{r1, r2, closed})
		ms, err := e.RolesForCandidate(ctx, 1, Options{IncludeNear: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 || ms[0].RoleID != 10 {
			t.Fatalf("roles = %+v, want role 10 first", ms)
		}
		for _, m := range ms {
			if m.RoleID == 12 {
				t.Error("closed role listed")
			}
		}
	})
}

func TestInferOccupationsFromSkills(t *testing.T) {
	r := mustResolver(t)
	f := mustFixture(t, r)
	p := r.Candidate(candidate(1, "", refs(f.skills...)))
	if len(p.Occupations) == 0 {
		t.Fatal("no occupation inferred")
	}
	// The fixture's occupation lists all these skills, so it must be among
	// the likeliest (others may list them all too).
	var found bool
	for _, o := range p.Occupations[:min(3, len(p.Occupations))] {
		found = found || o.URI == f.occ.URI
	}
	if !found {
		t.Errorf("occupations = %+v, want %s among the first", p.Occupations[:min(3, len(p.Occupations))], f.occ.URI)
	}
}

func TestTitles(t *testing.T) {
	r := mustResolver(t)
	f := mustFixture(t, r)
	got := r.Titles("Sr. "+f.occ.Labels["en"], 3)
	if len(got) == 0 || got[0].URI != f.occ.URI {
		t.Errorf("Titles = %+v, want %s first", got, f.occ.URI)
	}
}

func TestStrictMatchWithoutRequirements(t *testing.T) {
	r := mustResolver(t)
	f := mustFixture(t, r)
	ro := role(10, f.occ.Labels["en"], refs(f.skills[1], f.skills[2]), nil)
	ro.Languages, ro.Workplace = nil, tsunagu.WorkplaceRemote
	e := mustEngine(t, []*tsunagu.Candidate{candidate(1, f.occ.Labels["en"], refs(f.skills[1]))}, []*tsunagu.JobRole{ro})
	ms, err := e.CandidatesForRole(context.Background(), 10, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(ms); len(got) != 1 || got[0] != 1 {
		t.Errorf("strict match for a role with no hard requirements = %v, want [1]", got)
	}
}
