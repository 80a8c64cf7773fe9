package profilehttp_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
)

// Countries and languages are picked and shown by their names in the
// reader's language (CLDR), not typed and shown as two-letter codes: a
// Burmese speaker's language is never blank on a Japanese page.
func TestCandidateFormNamesCountriesAndLanguages(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	setLocale(t, env, "candidate", "ja")
	c := env.Client()
	c.SignInDemo("candidate")
	r := c.PostForm("/me/profile", "/me/profile/edit", url.Values{
		"name": {"Aye"}, "headline": {"会計"}, "nationality": {"MM"}, "visibility": {"companies"},
		"languages[0].code": {"my"}, "languages[0].level": {"native"},
		"work_history[0].title": {"Accountant"}, "work_history[0].country": {"TH"},
	})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", r.Status, r.Body)
	}
	r = c.Get("/me/profile/edit")
	for _, want := range []string{`<option value="MM" selected>ミャンマー`, `<option value="my" selected>ミャンマー語`, `<option value="TH" selected>タイ`, `<option value="XX" >無国籍`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	if strings.Contains(r.Body, `maxlength="2"`) {
		t.Error("a two-letter code is still typed")
	}
	r = c.Get("/me/profile")
	for _, want := range []string{"ミャンマー語", "タイ"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("profile page lacks %q", want)
		}
	}
}

// A salary is written as the reader's language writes numbers.
func TestRoleSalaryFormatted(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	company := env.Client()
	company.Lang = "ja"
	company.SignInDemo("company")
	r := company.PostForm("/roles", "/roles/new", url.Values{
		"title": {"経理スタッフ"}, "location.prefecture": {"Tokyo"}, "workplace": {"onsite"},
		"employment_type": {"full_time"}, "salary_min": {"3,000,000"}, "salary_max": {"3600000"},
		"openings": {"1"}, "status": {"open"},
	})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", r.Status, r.Body)
	}
	if r = company.Get(r.Location); !strings.Contains(r.Body, "年収 3,000,000円〜3,600,000円") {
		t.Errorf("role page: status %d, no formatted salary", r.Status)
	}
}

// The work wanted is typed as job titles with suggestions and kept as
// occupations; a title that names none is an error on its row.
func TestCandidateWorkWanted(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	setLocale(t, env, "candidate", "en")
	c := env.Client()
	c.SignInDemo("candidate")
	form := url.Values{"name": {"Aye"}, "visibility": {"companies"}, "desired_occupations": {"accountant", "", "qqxz wibble"}}
	r := c.PostForm("/me/profile", "/me/profile/edit", form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="desired_occupations[1]-error"`) || !strings.Contains(r.Body, `value="qqxz wibble"`) {
		t.Fatalf("unknown title: status %d; want an error on its row and the input kept", r.Status)
	}
	form["desired_occupations"] = []string{"accountant"}
	if r = c.PostForm("/me/profile", "/me/profile/edit", form); r.Status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", r.Status, r.Body)
	}
	r = c.Get("/api/v1/me/candidate")
	if !strings.Contains(r.Body, `"desired_occupations":["http://data.europa.eu/esco/occupation/`) {
		t.Errorf("not stored as an occupation: %s", r.Body)
	}
	if r = c.Get("/me/profile/edit"); !strings.Contains(strings.ToLower(r.Body), `name="desired_occupations" value="accountant"`) {
		t.Error("the form does not show the work wanted by its label")
	}
}

// A new role's page is titled for posting one, not for editing.
func TestRoleFormTitle(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	company := env.Client()
	company.SignInDemo("company") // reads Japanese
	if r := company.Get("/roles/new"); !strings.Contains(r.Body, "<h1>求人を作成</h1>") || strings.Contains(r.Body, "求人を編集") {
		t.Errorf("new role form: status %d, not titled 求人を作成", r.Status)
	}
}
