package profilehttp_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
)

// A saved role says which occupation it probably is, and its author
// confirms one on the form (issue 14).
func TestRoleOccupationConfirm(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	setLocale(t, env, "company", "en")
	company := env.Client()
	company.SignInDemo("company")
	form := url.Values{
		"title": {"Senior welder (TIG)"}, "required_skills[0].label": {"welding techniques"},
		"location.prefecture": {"Tokyo"}, "workplace": {"onsite"}, "employment_type": {"full_time"},
		"openings": {"1"}, "status": {"open"},
	}
	r := company.PostForm("/roles", "/roles/new", form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", r.Status, r.Body)
	}
	page := r.Location
	r = company.Get(page)
	if !strings.Contains(r.Body, "Probably: ") || !strings.Contains(r.Body, `/edit#occupation">Confirm the occupation</a>`) {
		t.Fatalf("role page: status %d, says no probable occupation to confirm\n%s", r.Status, r.Body)
	}
	r = company.Get(page + "/edit")
	choices := regexp.MustCompile(`name="occupation_uri" value="(http[^"]+)" *>`).FindAllStringSubmatch(r.Body, -1)
	if len(choices) < 2 {
		t.Fatalf("edit form: status %d, %d occupations offered, want the guesses (2 or 3), none chosen yet", r.Status, len(choices))
	}
	if !strings.Contains(r.Body, `name="occupation_uri" value="" checked>`) {
		t.Error("edit form: \"not sure\" is not the choice before one is confirmed")
	}
	second := html.UnescapeString(choices[1][1])
	form.Set("occupation_uri", second)
	if r = company.PostForm(page, page+"/edit", form); r.Status != http.StatusSeeOther {
		t.Fatalf("confirm: status %d\n%s", r.Status, r.Body)
	}
	r = company.Get(page)
	if strings.Contains(r.Body, "Probably: ") || !strings.Contains(r.Body, "ESCO: ") {
		t.Errorf("role page after confirming: still a guess, or no occupation shown")
	}
	r = company.Get(page + "/edit")
	if !strings.Contains(r.Body, `name="occupation_uri" value="`+second+`" checked>`) {
		t.Errorf("edit form after confirming: %s not chosen", second)
	}
}
