package search

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func TestSkillsIn(t *testing.T) {
	r := mustResolver(t)
	f := mustFixture(t, r)
	a, b := f.skills[1], f.skills[2]
	got := r.SkillsIn("  " + strings.ToUpper(a.Labels["en"]) + " and " + b.Labels["en"] + " ")
	for _, u := range []string{a.URI, b.URI} {
		if !slices.Contains(got, u) {
			t.Errorf("SkillsIn(%q and %q) = %v, lacks %s", a.Labels["en"], b.Labels["en"], got, u)
		}
	}
	if got := r.SkillsIn(a.Labels["en"]); len(got) == 0 || got[0] != r.Skill(a.Labels["en"])[0] {
		t.Errorf("SkillsIn(%q) = %v, want the label's own skill first", a.Labels["en"], got)
	}
	if got := r.SkillsIn(""); len(got) != 0 {
		t.Errorf("SkillsIn(\"\") = %v", got)
	}
}

// TestSearchResolvedSkills: resolved skills are searched by URI, not label
// text (which the index no longer holds for them), so a text naming two
// skills finds the holders of either, and a label nobody resolves is still
// found as text.
func TestSearchResolvedSkills(t *testing.T) {
	r := mustResolver(t)
	f := mustFixture(t, r)
	title := "Registered xylophone tuner"
	c1 := candidate(1, title, refs(f.skills[1]))
	c2 := candidate(2, title, refs(f.skills[2]))
	c3 := candidate(3, title, refs(f.skills[3]))
	c3.Skills = append(c3.Skills, tsunagu.SkillRef{Label: "zither restoration"})
	e := mustEngine(t, []*tsunagu.Candidate{c1, c2, c3}, nil)
	for _, c := range []struct {
		q    string
		want []int64
	}{
		{f.skills[1].Labels["en"] + " and " + f.skills[2].Labels["en"], []int64{1, 2}},
		{"restoration", []int64{3}},
	} {
		hits, err := e.SearchCandidates(context.Background(), c.q, Filters{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, h := range hits {
			got = append(got, h.CandidateID)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("search %q = %v, want %v", c.q, got, c.want)
		}
	}
}
