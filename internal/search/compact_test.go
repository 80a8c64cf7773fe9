package search

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestCompactProfile: a cached profile keeps every value, holds one shared
// copy of each repeated string and lists without spare capacity; compacting
// it again writes nothing.
func TestCompactProfile(t *testing.T) {
	r := mustResolver(t)
	f := mustFixture(t, r)
	// Two resolutions of the same candidate, their strings copied as a
	// database read gives them (each its own).
	fresh := func() *Profile {
		c := candidate(1, f.occ.Labels["en"], refs(f.skills[:5]...))
		for i := range c.Skills {
			c.Skills[i].Label, c.Skills[i].ESCOURI = strings.Clone(c.Skills[i].Label), strings.Clone(c.Skills[i].ESCOURI)
		}
		c.Location.Prefecture = strings.Clone(c.Location.Prefecture)
		return r.Candidate(c)
	}
	a, b := fresh(), fresh()
	want := fresh()
	a.Skills = append(make([]PSkill, 0, 4*len(a.Skills)), a.Skills...)
	compactProfile(a) // as the cache does to a role's profile
	compactProfile(b)
	if !reflect.DeepEqual(a, want) || !reflect.DeepEqual(b, want) {
		t.Fatalf("compacting changed the profile:\n%+v\nwant\n%+v", a, want)
	}
	if cap(a.Skills) != len(a.Skills) {
		t.Errorf("skills: cap %d, len %d", cap(a.Skills), len(a.Skills))
	}
	same := func(x, y string) bool { return unsafe.StringData(x) == unsafe.StringData(y) }
	for i := range a.Skills {
		if a.Skills[i].URI == "" || !same(a.Skills[i].URI, b.Skills[i].URI) || !same(a.Skills[i].Label, b.Skills[i].Label) {
			t.Errorf("skill %d: strings not shared (%q)", i, a.Skills[i].URI)
		}
	}
	if a.Prefecture != "" && !same(a.Prefecture, b.Prefecture) {
		t.Errorf("prefecture %q not shared", a.Prefecture)
	}
	skills := unsafe.SliceData(a.Skills)
	compactProfile(a)
	if unsafe.SliceData(a.Skills) != skills {
		t.Error("compacting a compact profile copied its skills again")
	}
}

// TestReindexReusesEntries: a rebuild shares the live cache's entry of an
// unchanged profile and makes a new one for a changed profile.
func TestReindexReusesEntries(t *testing.T) {
	r := mustResolver(t)
	f := mustFixture(t, r)
	c1 := candidate(1, f.occ.Labels["en"], refs(f.skills[:3]...))
	c2 := candidate(2, f.occ.Labels["en"], refs(f.skills[:2]...))
	e := mustEngine(t, []*tsunagu.Candidate{c1, c2}, nil)
	old1, old2 := e.cands[1], e.cands[2]
	if old1 == nil || old2 == nil {
		t.Fatal("engine did not cache the candidates")
	}
	if got := e.reusable(r.Candidate(c1)); got != old1 {
		t.Errorf("unchanged candidate: entry %p, want the cached %p", got, old1)
	}
	c2.Skills = c2.Skills[:1]
	if got := e.reusable(r.Candidate(c2)); got != nil {
		t.Errorf("changed candidate: reused entry %p", got)
	}
}

// TestCandidateCacheHoldsNoProfile: the engine caches no candidate's
// profile, yet rates every candidate as its full entry does (hard
// requirements included), and the matches shown carry the labels and
// evidence read back from the index.
func TestCandidateCacheHoldsNoProfile(t *testing.T) {
	r := mustResolver(t)
	f := mustFixture(t, r)
	soon, late := time.Now().AddDate(0, 0, 10), time.Now().AddDate(1, 0, 0)
	var cs []*tsunagu.Candidate
	for i := range 8 {
		c := candidate(int64(i+1), f.occ.Labels["en"], refs(f.skills[:2+i%4]...))
		c.Skills = append(c.Skills, tsunagu.SkillRef{Label: "Zz unresolved craft"})
		switch i % 4 {
		case 1:
			c.Location.Prefecture, c.WillingToRelocate = "Osaka", false
			c.AvailableFrom = &late
		case 2:
			c.Location.Prefecture, c.PreferredPrefectures = "Osaka", []string{"TOKYO"}
			c.AvailableFrom = &soon
		case 3:
			c.Languages = []tsunagu.LanguageSkill{{Code: "ja", Level: "N4"}}
			c.Visibility = tsunagu.VisibilityHidden
		}
		cs = append(cs, c)
	}
	rl := role(100, f.occ.Labels["en"], refs(f.skills[:3]...), append(refs(f.skills[3]), tsunagu.SkillRef{Label: "zz unresolved craft"}))
	e := mustEngine(t, cs, []*tsunagu.JobRole{rl})
	re := e.roles[100]
	if re == nil || re.p == nil {
		t.Fatal("the role's entry is not cached with its profile")
	}
	startBy := time.Now().AddDate(0, 0, 90)
	for _, c := range cs {
		en := e.cands[c.ID]
		if en == nil {
			t.Fatalf("candidate %d not cached", c.ID)
		}
		if en.p != nil {
			t.Errorf("candidate %d: the cache holds its profile", c.ID)
		}
		full := r.entry(r.Candidate(c))
		for _, card := range []bool{false, true} {
			gotRaw, gotN := r.rate(re, en, startBy, card)
			wantRaw, wantN := r.rate(re, full, startBy, card)
			if gotRaw != wantRaw || gotN != wantN {
				t.Errorf("candidate %d (card %v): cached rates %v with %d unmet, full %v with %d", c.ID, card, gotRaw, gotN, wantRaw, wantN)
			}
			if got, want := gotN, len(r.score(re, full, startBy, card).Unmet); got != want {
				t.Errorf("candidate %d: %d unmet counted, %d listed", c.ID, got, want)
			}
		}
		if got, want := visible(en, Options{}), c.Visibility != tsunagu.VisibilityHidden; got != want {
			t.Errorf("candidate %d: visible %v, want %v", c.ID, got, want)
		}
	}
	ms, err := e.CandidatesForRole(context.Background(), 100, Options{IncludeNear: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 6 { // the two hidden ones never appear
		t.Fatalf("%d matches, want 6: %v", len(ms), ids(ms))
	}
	for _, m := range ms {
		want := r.score(re, r.entry(r.Candidate(cs[m.CandidateID-1])), startBy, false)
		want.raw = m.raw
		if want.CandidateExternalID == "" || !reflect.DeepEqual(m.Matched, want.Matched) || !reflect.DeepEqual(m.Unmet, want.Unmet) {
			t.Errorf("candidate %d shown as\n%+v\nwant\n%+v", m.CandidateID, m, want)
		}
	}
	p, err := e.Profile(KindCandidate, 2)
	if err != nil || p.ExternalID != cs[1].ExternalID || p.Prefecture != "Osaka" {
		t.Errorf("Profile(candidate 2) = %+v, %v", p, err)
	}
}
