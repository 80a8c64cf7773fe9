package search

import (
	"context"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// wordy returns the fixture's skills whose English label has at least two
// words the extraction reads (single words are never extracted).
func wordy(t *testing.T, f fixture) []*taxonomy.Concept {
	t.Helper()
	var out []*taxonomy.Concept
	for _, s := range f.skills {
		if ws, _ := skillWords(s.Labels["en"], false); len(ws) >= 2 {
			out = append(out, s)
		}
	}
	if len(out) < 3 {
		t.Fatalf("fixture has %d skills of two words or more, want 3", len(out))
	}
	return out
}

func TestExtract(t *testing.T) {
	r := mustResolver(t)
	s := wordy(t, mustFixture(t, r))
	sent := "In this job you will " + s[0].Labels["en"] + " every day."
	text := "We are a friendly team. " + sent + " Apply now!"
	got := r.Extract(text)
	var hit *Extracted
	for i := range got {
		if got[i].URI == s[0].URI {
			hit = &got[i]
		}
	}
	if hit == nil {
		t.Fatalf("Extract(%q) = %+v, want %s among them", text, got, s[0].URI)
	}
	if hit.Sentence != strings.TrimSuffix(sent, ".") {
		t.Errorf("evidence = %q, want the sentence %q", hit.Sentence, sent)
	}
	if !strings.Contains(sent, hit.Span) || len(hit.Span) >= len(sent)-1 {
		t.Errorf("span = %q, want the words of %q inside the sentence", hit.Span, s[0].Labels["en"])
	}
	if got := r.Extract("We are a friendly team. Apply now!"); len(got) != 0 {
		t.Errorf("Extract(no skills) = %+v, want none", got)
	}
}

func TestDescriptionOnlyRole(t *testing.T) {
	r := mustResolver(t)
	s := wordy(t, mustFixture(t, r))
	ctx := context.Background()
	// The role lists no skills: its description names three. Candidate 1's
	// summary names two of them; candidate 2's names none. Same titles.
	rl := role(10, "Staff", nil, nil)
	rl.Description = "You will " + s[0].Labels["en"] + ". You will also " + s[1].Labels["en"] + ". We value people who " + s[2].Labels["en"] + "."
	c1 := candidate(1, "Staff", nil)
	c1.Summary = "In my last job I had to " + s[0].Labels["en"] + ". I also " + s[2].Labels["en"] + "."
	c2 := candidate(2, "Staff", nil)
	c2.Summary = "I enjoy cooking and long walks."
	e := mustEngine(t, []*tsunagu.Candidate{c2, c1}, []*tsunagu.JobRole{rl})
	ms, err := e.CandidatesForRole(ctx, 10, Options{IncludeNear: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].CandidateID != 1 {
		t.Fatalf("order = %v, want candidate 1 first", ids(ms))
	}
	if len(ms[0].Matched) != 2 {
		t.Fatalf("matched = %+v, want the two skills of the summary", ms[0].Matched)
	}
	for _, m := range ms[0].Matched {
		if !m.Extracted || m.Evidence == "" || !strings.Contains(c1.Summary, m.Evidence) {
			t.Errorf("match %+v: want it marked as read from the summary, with its sentence", m)
		}
	}
	p, err := e.Profile(KindRole, 10)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ps := range p.Skills {
		if ps.Extracted && ps.Evidence != "" {
			n++
		}
	}
	if n < 3 || n != len(p.Skills) {
		t.Errorf("role skills = %+v, want the description's three (and labels inside them), each marked extracted with its sentence", p.Skills)
	}
}

func TestExtractedCountsLess(t *testing.T) {
	r := mustResolver(t)
	f := mustFixture(t, r)
	s := wordy(t, f)
	title := f.occ.Labels["en"]
	ctx := context.Background()
	// Both candidates have s[0] and s[1]; candidate 1 lists s[0], candidate
	// 2 only writes it in their summary.
	c1 := candidate(1, title, refs(s[0], s[1]))
	c2 := candidate(2, title, refs(s[1]))
	c2.Summary = "At my last job I had to " + s[0].Labels["en"] + "."
	e := mustEngine(t, []*tsunagu.Candidate{c2, c1}, []*tsunagu.JobRole{role(10, title, refs(s[0], s[1]), nil)})
	ms, err := e.CandidatesForRole(ctx, 10, Options{IncludeNear: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(ms); len(got) != 2 || got[0] != 1 {
		t.Fatalf("order = %v, want candidate 1 (who lists the skill) first", got)
	}
	m1, m2 := find(ms, 1), find(ms, 2)
	if !(m1.Breakdown.Required > m2.Breakdown.Required && m2.Breakdown.Required > 0.5) {
		t.Errorf("required share: listed %v, extracted %v; want the extracted one lower but counting (above the 0.5 of s[1] alone)", m1.Breakdown.Required, m2.Breakdown.Required)
	}
	var ex *SkillMatch
	for i := range m2.Matched {
		if m2.Matched[i].URI == s[0].URI {
			ex = &m2.Matched[i]
		}
	}
	if ex == nil || !ex.Extracted || ex.Credit >= 1 {
		t.Errorf("candidate 2's %s: %+v, want matched, marked extracted, credit below a listed skill's", s[0].Labels["en"], ex)
	}
	for _, m := range m1.Matched {
		if m.Extracted {
			t.Errorf("candidate 1's listed skill %+v marked extracted", m)
		}
	}
}

func TestLanguagesResolve(t *testing.T) {
	r := mustResolver(t)
	t.Run("JapaneseAndEnglishSameConcept", func(t *testing.T) {
		ja, en := r.Skill("プロジェクト管理"), r.Skill("project management")
		if len(ja) == 0 || len(en) == 0 || ja[0] != en[0] {
			t.Errorf("プロジェクト管理 -> %v, project management -> %v: want the same concept first", ja, en)
		}
		// Every Japanese skill label names the concept its English label
		// names first.
		for _, c := range r.Taxonomy().Skills() {
			l := c.Labels["ja"]
			if l == "" {
				continue
			}
			if a, b := r.Skill(l), r.Skill(c.Labels["en"]); len(a) == 0 || len(b) == 0 || a[0] != b[0] {
				t.Errorf("%s -> %v, %s -> %v", l, a, c.Labels["en"], b)
			}
		}
	})
	t.Run("ArabicTitle", func(t *testing.T) {
		// Every occupation with an Arabic label: that label as a title
		// finds it first, nearly always.
		n, ok := 0, 0
		var occ *taxonomy.Concept
		for _, o := range r.Taxonomy().Occupations() {
			ar := o.Labels["ar"]
			if ar == "" {
				continue
			}
			n++
			if ts := r.Titles(ar, 1); len(ts) == 1 && ts[0].URI == o.URI {
				ok++
				if occ == nil && !strings.Contains(ar, "/") {
					occ = o
				}
			}
		}
		if n < 1000 || float64(ok) < 0.95*float64(n) {
			t.Fatalf("Arabic labels finding their occupation first: %d of %d", ok, n)
		}
		if occ == nil {
			t.Fatal("no single-form Arabic label found")
		}
		// A candidate whose only title is in Arabic.
		c := candidate(1, occ.Labels["ar"], nil)
		p := r.Candidate(c)
		if len(p.Occupations) == 0 || p.Occupations[0].URI != occ.URI {
			t.Errorf("candidate titled %q: occupations %+v, want %s first", occ.Labels["ar"], p.Occupations, occ.URI)
		}
	})
}
