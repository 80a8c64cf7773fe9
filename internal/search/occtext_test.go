package search

import (
	"strings"
	"testing"
)

// TestOccupationFromDescription: a posting that lists no skills and whose
// title says nothing ("Staff") is placed in the occupation whose skills
// its description talks about, at build time.
func TestOccupationFromDescription(t *testing.T) {
	r := mustResolver(t)
	f := mustFixture(t, r)
	var sents []string
	for _, s := range f.skills[:4] {
		sents = append(sents, "You will "+s.Labels["en"]+" in a small team.")
	}
	desc := strings.Join(sents, " ")
	if sims := r.textSims(desc); len(sims) == 0 || r.occs[sims[0].occ].URI != f.occ.URI {
		t.Fatalf("textSims(%q) best %v, want %s", desc, sims, f.occ.Labels["en"])
	}
	rl := role(10, "Staff", nil, nil)
	rl.Description = desc
	p := r.Role(rl)
	if len(p.Occupations) == 0 || p.Occupations[0].URI != f.occ.URI {
		t.Errorf("role occupations %+v, want %s first", p.Occupations, f.occ.URI)
	}
	rl.Description = ""
	if p := r.Role(rl); len(p.Occupations) > 0 && p.Occupations[0].URI == f.occ.URI {
		t.Errorf("without the description the role is still %s: the test tests nothing", f.occ.Labels["en"])
	}
}
