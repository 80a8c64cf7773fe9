package search

import (
	"reflect"
	"strings"
	"testing"
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
	r.entry(a)
	r.entry(b)
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
