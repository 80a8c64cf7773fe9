package matchhttp

import (
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/matching"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestCardsHTML checks the cards written in Go rather than by the
// template: every value a person typed or a catalogue holds is escaped, and
// only a company gets the introduction form, with the page's token.
func TestCardsHTML(t *testing.T) {
	const evil = `<script>alert("x")</script>&'`
	page := func(company bool) string {
		pg := roleMatchesPage{RoleMatches: &matching.RoleMatches{Role: &tsunagu.JobRole{ID: 42}}, Company: company,
			CardPath: "/company/candidates/", L: map[string]string{"reasons_matched": evil, "request": evil},
			Cards: []cardView{{ID: 7, Title: evil, Score: evil, Occupation: evil, Facts: evil, Matched: []skillView{{evil, evil}},
				Missing: []string{evil}, Unmet: []string{evil}, Breakdown: evil}}}
		return string(pg.CardsHTML(`tok"en`))
	}
	for _, company := range []bool{true, false} {
		body := page(company)
		if strings.Contains(body, "<script") || strings.Contains(body, `"x"`) || strings.Contains(body, `&'`) {
			t.Errorf("company=%v: a value is not escaped:\n%s", company, body)
		}
		if got, want := strings.Count(body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;&#39;"), 11; company && got != want {
			t.Errorf("escaped values = %d, want %d:\n%s", got, want, body)
		}
		if !strings.Contains(body, `id="candidate-7"`) || !strings.Contains(body, `href="/company/candidates/7"`) {
			t.Errorf("company=%v: card id or link missing:\n%s", company, body)
		}
		form := strings.Contains(body, `action="/roles/42/matches/7/introduction"`)
		token := strings.Contains(body, `name="csrf_token" value="tok&#34;en"`)
		if form != company || token != company {
			t.Errorf("company=%v: form %v, token %v", company, form, token)
		}
	}
}
