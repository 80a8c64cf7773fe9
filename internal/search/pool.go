package search

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Filters narrow a search of the candidate pool: the domain's one filter shape.
type Filters = tsunagu.PoolFilters

// Hit is one candidate found by a pool search.
type Hit struct {
	CandidateID int64   `json:"candidate_id"`
	ExternalID  string  `json:"external_id,omitempty"`
	Headline    string  `json:"headline"`
	Score       float64 `json:"score"`
	// Skills are the candidate's skills the query named.
	Skills []string `json:"skills,omitempty"`
	// Occupation is the candidate's likeliest occupation (ESCO URI).
	Occupation string `json:"occupation,omitempty"`
}

// SearchCandidates searches the pool with free text, as a coordinator does:
// the text is matched against every language's text field, and also resolved
// to ESCO (a skill label, or job titles' likely occupations) so "book
// keeping" finds bookkeepers whatever language they wrote in. An empty query
// lists candidates by filters only. Hidden candidates never appear; a
// company viewer sees only what tsunagu.Can allows.
func (e *Engine) SearchCandidates(ctx context.Context, text string, f Filters, opts Options) ([]Hit, error) {
	vis := bleve.NewBooleanQuery()
	vis.AddMust(term(fType, KindCandidate, 0))
	visibility(vis, opts)
	filters := []query.Query{vis}
	if f.JapaneseMin > 0 {
		min := float64(f.JapaneseMin)
		inc := true
		q := bleve.NewNumericRangeInclusiveQuery(&min, nil, &inc, nil)
		q.SetField(fJapanese)
		filters = append(filters, q)
	}
	if f.Prefecture != "" {
		p := strings.ToLower(f.Prefecture)
		reloc := bleve.NewBoolFieldQuery(true)
		reloc.SetField(fRelocate)
		filters = append(filters, bleve.NewDisjunctionQuery(term(fPrefecture, p, 0), term(fPrefs, p, 0), reloc))
	}
	if f.Workplace != "" {
		filters = append(filters, term(fWorkplace, f.Workplace, 0))
	}
	for _, fact := range f.CandidateFacts.Held() {
		filters = append(filters, term(fFacts, fact, 0))
	}
	text = strings.TrimSpace(text)
	var should []query.Query
	var skills []string
	// A viewer who sees only cards (a company) searches only what a card
	// shows: listed skills (fCardSkill). The text fields (headline, titles
	// as typed, summary), the skills read from the summary and the
	// occupations inferred from them are not on the card.
	cardOnly := opts.Viewer != nil && !opts.Viewer.Role.Staff()
	skillField := fSkill
	if cardOnly {
		skillField = fCardSkill
	}
	if text != "" {
		for _, lang := range []string{"", "en", "ja", "ar", "fa", "fr", "ru"} {
			if cardOnly {
				break
			}
			m := bleve.NewMatchQuery(text)
			m.SetField(textFields[lang])
			should = append(should, m)
		}
		// The text fields hold titles, summaries and unresolved skill
		// labels; resolved skills are found by their ESCO URIs: the whole
		// text, or any run of its words, naming a skill.
		skills = e.res.SkillsIn(text)
		for _, u := range skills {
			should = append(should, term(skillField, u, 3))
		}
		for _, o := range e.res.Titles(text, 5) {
			if o.Score >= 0.5 && !cardOnly {
				should = append(should, term(fOcc, o.URI, 4*o.Score))
			}
		}
	} else {
		should = append(should, bleve.NewMatchAllQuery())
	}
	q := bleve.NewConjunctionQuery(append(filters, bleve.NewDisjunctionQuery(should...))...)
	req := bleve.NewSearchRequestOptions(q, opts.limit()*2, 0, false)
	e.mu.RLock()
	res, err := e.idx.SearchInContext(ctx, req)
	e.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	out := []Hit{}
	for _, h := range res.Hits {
		_, id, err := parseDocID(h.ID)
		if err != nil {
			continue
		}
		c, err := e.get(KindCandidate, id)
		if err == nil && visible(c, opts) {
			c, err = e.shown(KindCandidate, c) // with its profile
		} else if err == nil {
			continue
		}
		if err != nil {
			if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
				continue
			}
			return nil, err
		}
		hit := Hit{CandidateID: id, ExternalID: c.p.ExternalID, Headline: c.p.Title, Score: h.Score}
		occs := c.p.Occupations
		if cardOnly {
			hit.Headline, occs = "", c.p.CardOccupations
		}
		for _, u := range skills {
			if i, ok := c.skill(u); ok && !(cardOnly && c.p.Skills[i].Extracted) {
				hit.Skills = append(hit.Skills, c.p.Skills[i].Label)
			}
		}
		if len(occs) > 0 {
			hit.Occupation = occs[0].URI
		}
		out = append(out, hit)
		if len(out) == opts.limit() {
			break
		}
	}
	return out, nil
}
