package profile

import (
	"context"
	"strings"

	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TaxonomyVocabulary is the ESCO vocabulary of a loaded taxonomy: it
// implements Vocabulary and Labeler.
type TaxonomyVocabulary struct{ T *taxonomy.Taxonomy }

// OccupationExists reports whether uri is an ESCO occupation.
func (v TaxonomyVocabulary) OccupationExists(uri string) bool {
	_, ok := v.T.Occupation(uri)
	return ok
}

// SkillExists reports whether uri is an ESCO skill.
func (v TaxonomyVocabulary) SkillExists(uri string) bool {
	_, ok := v.T.Skill(uri)
	return ok
}

// OccupationLabel returns the occupation's label in lang (English when
// there is none), or "".
func (v TaxonomyVocabulary) OccupationLabel(uri, lang string) string {
	c, ok := v.T.Occupation(uri)
	if !ok {
		return ""
	}
	return v.T.Label(c, lang)
}

// Suggester ranks ESCO concepts for free text (taxonomy.Normalizer is one).
type Suggester interface {
	Skills(ctx context.Context, q, lang string, limit int) ([]taxonomy.Result, error)
	Occupations(ctx context.Context, q, lang string, limit int) ([]taxonomy.Result, error)
}

// LabelResolver resolves free text to ESCO by exact label: a skill or a
// title equal (ignoring case and spacing) to a preferred, alternative,
// hidden or mapped (O*NET) label of exactly one concept, preferred labels first. Optionally
// it falls back to a Suggester for job titles, taking its best occupation
// when it scores at least MinTitleScore. Skills fall back only on an
// exact match, so a typed skill never turns into a guessed one.
type LabelResolver struct {
	skills        map[string]string
	occupations   map[string]string
	Titles        Suggester
	MinTitleScore float64
}

// NewLabelResolver indexes the labels of t.
func NewLabelResolver(t *taxonomy.Taxonomy) *LabelResolver {
	r := &LabelResolver{skills: map[string]string{}, occupations: map[string]string{}}
	index := func(m map[string]string, concepts []*taxonomy.Concept) {
		ambiguous := map[string]bool{}
		// Pass 1: preferred labels in every language win.
		for _, c := range concepts {
			for _, l := range c.Labels {
				k := normLabel(l)
				if prev, ok := m[k]; ok && prev != c.URI {
					ambiguous[k] = true
					continue
				}
				m[k] = c.URI
			}
		}
		preferred := make(map[string]bool, len(m))
		for k := range m {
			preferred[k] = true
		}
		// Pass 2: alternative and hidden labels where no preferred label
		// claims them; a label two concepts share resolves to neither.
		for _, c := range concepts {
			extra := make([]string, len(c.ExtraLabels))
			for i, e := range c.ExtraLabels {
				extra[i] = e.Label
			}
			for _, set := range [][]string{c.AltLabels, c.HiddenLabels, extra} {
				for _, l := range set {
					k := normLabel(l)
					if preferred[k] {
						continue
					}
					if prev, ok := m[k]; ok && prev != c.URI {
						ambiguous[k] = true
						continue
					}
					m[k] = c.URI
				}
			}
		}
		for k := range ambiguous {
			if !preferred[k] {
				delete(m, k)
			}
		}
	}
	index(r.skills, t.Skills())
	index(r.occupations, t.Occupations())
	return r
}

func normLabel(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// ResolveSkill returns the skill whose label is label.
func (r *LabelResolver) ResolveSkill(_ context.Context, label, _ string) (string, bool) {
	uri, ok := r.skills[normLabel(label)]
	return uri, ok
}

// ResolveOccupation returns the occupation whose label is title, or the
// Suggester's best guess when it is confident enough.
func (r *LabelResolver) ResolveOccupation(ctx context.Context, title, lang string) (string, bool) {
	if uri, ok := r.occupations[normLabel(title)]; ok {
		return uri, true
	}
	if r.Titles == nil {
		return "", false
	}
	res, err := r.Titles.Occupations(ctx, title, lang, 1)
	if err != nil || len(res) == 0 || res[0].Score < r.MinTitleScore {
		return "", false
	}
	return res[0].URI, true
}

// OccupationGuesser ranks the occupations a role most likely is, from its
// title, description and skills, best first, with probabilities; a
// confirmed OccupationURI and earlier guesses are not evidence
// (search.Resolver is one: the same inference matching uses).
type OccupationGuesser interface {
	RoleOccupations(r *tsunagu.JobRole, limit int) []tsunagu.OccupationGuess
}

// roleGuesses is how many occupation guesses a role keeps.
const roleGuesses = 3
