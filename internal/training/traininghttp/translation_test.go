package traininghttp_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
)

// createCohort adds a cohort ("June 2030", one session) to the programme
// at progPath and returns the cohort's page's path.
func createCohort(t *testing.T, c *apptest.Client, progPath string) string {
	t.Helper()
	r := c.PostForm(progPath+"/cohorts", progPath, url.Values{"name": {"June"}, "starts_on": {"2030-06-01"},
		"ends_on": {"2030-06-30"}, "place": {"Shinjuku"}, "sessions": {"2030-06-02 10:00"}})
	mustStatus(t, r, http.StatusSeeOther, "create cohort")
	return r.Location
}

// A coordinator writes a programme's title in Arabic too: a candidate
// reading Arabic sees it in the catalogue, one reading French (no French
// given) the English title. A translation into Japanese or English, which
// have fields of their own, and one too long are per-field errors, and the
// form keeps what was typed in its row (issue 13.3).
func TestProgrammeTranslations(t *testing.T) {
	t.Parallel()
	env, c, tax := coordinator(t)
	setLang(t, c, "en")
	form := url.Values{"title_ja": {"介護の基礎"}, "title_en": {"Care basics"}, "kind": {"hard"}, "format": {"in_person"},
		"capacity": {"5"}, "min_attendance": {"50"}, "skills": {tax.Skills()[0].URI},
		"translations[1].title": {"أساسيات الرعاية"}}
	progPath := createProgramme(t, c, form)
	createCohort(t, c, progPath)

	r := c.Get(progPath + "/edit")
	mustContain(t, r.Body, `name="translations[1].title" value="أساسيات الرعاية"`)

	long := strings.Repeat("я", 201)
	form.Set("translations[3].title", long)
	r = c.PostForm(progPath, progPath+"/edit", form)
	mustStatus(t, r, http.StatusUnprocessableEntity, "too long a Ukrainian title")
	mustContain(t, r.Body, `id="translations[3].title-error"`, `value="`+long+`"`)

	r = apiCall(t, c, http.MethodPatch, "/api/v1/training/programmes/"+lastID(t, progPath),
		`{"translations":[{"lang":"en","title":"Care"}]}`)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"translations[0].lang"`) {
		t.Errorf("an English translation: status %d, want 422 naming translations[0].lang\n%s", r.Status, r.Body)
	}

	for lang, want := range map[string]string{"ar": "أساسيات الرعاية", "fr": "Care basics"} {
		cand := env.ClientFor(t)
		cand.SignInDemo("candidate")
		setLang(t, cand, lang)
		if r := cand.Get("/training"); !strings.Contains(r.Body, want) {
			t.Errorf("catalogue in %s: status %d, lacks %q", lang, r.Status, want)
		}
	}
}
