package profilehttp_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
)

// A company writes its role's title and description in French as well; a
// candidate reading French sees them, with the original one click away,
// and one reading Japanese sees the role as written (issue 13.3).
func TestRoleTranslations(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	setLocale(t, env, "company", "en")
	company := env.Client()
	company.SignInDemo("company")
	form := url.Values{
		"title": {"品質管理スタッフ"}, "description": {"製品の検査を担当します。"},
		"location.prefecture": {"Tokyo"}, "workplace": {"onsite"}, "employment_type": {"full_time"},
		"openings": {"1"}, "status": {"open"},
	}
	// The form offers a row per page language, French third.
	for i, lang := range []string{"ja", "en", "fr", "ar", "fa", "uk"} {
		form.Set("translations["+string(rune('0'+i))+"].lang", lang)
	}
	form.Set("translations[2].title", "Agent·e contrôle qualité")
	form.Set("translations[2].description", "Vous inspectez les produits.")
	r := company.PostForm("/roles", "/roles/new", form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", r.Status, r.Body)
	}
	page := r.Location

	var stored struct {
		Translations []map[string]string `json:"translations"`
	}
	r = company.Get("/api/v1" + page)
	if err := json.Unmarshal([]byte(r.Body), &stored); err != nil || len(stored.Translations) != 1 || stored.Translations[0]["lang"] != "fr" {
		t.Fatalf("stored translations: want only the French one (empty rows dropped), got %s", r.Body)
	}
	if r = company.Get(page + "/edit"); !strings.Contains(r.Body, `name="translations[2].title" value="Agent·e contrôle qualité"`) {
		t.Error("edit form: the French title is not in the French row")
	}

	setLocale(t, env, "candidate", "fr")
	candidate := env.Client()
	candidate.SignInDemo("candidate")
	r = candidate.Get(page)
	if !strings.Contains(r.Body, "<h1>Agent·e contrôle qualité</h1>") || !strings.Contains(r.Body, "Vous inspectez les produits.") {
		t.Fatalf("French page: status %d, not the French title and description\n%s", r.Status, r.Body)
	}
	if !strings.Contains(r.Body, "Traduit par l&#39;entreprise") || !strings.Contains(r.Body, "品質管理スタッフ") {
		t.Error("French page: does not say the company translated it, or hides the original")
	}

	setLocale(t, env, "candidate", "ja")
	ja := env.Client()
	ja.SignInDemo("candidate")
	r = ja.Get(page)
	if !strings.Contains(r.Body, "<h1>品質管理スタッフ</h1>") || strings.Contains(r.Body, "Agent·e") {
		t.Errorf("Japanese page: want the role as written, no French\n%s", r.Body)
	}
}

// Translations into a language the pages lack, or twice into one, are
// per-field errors, and nothing is saved.
func TestRoleTranslationsRefused(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	setLocale(t, env, "company", "en")
	company := env.Client()
	company.SignInDemo("company")
	form := url.Values{
		"title": {"Welder"}, "location.prefecture": {"Tokyo"}, "workplace": {"onsite"},
		"employment_type": {"full_time"}, "openings": {"1"}, "status": {"open"},
	}
	r := company.PostForm("/roles", "/roles/new", form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", r.Status, r.Body)
	}
	path := "/api/v1" + r.Location
	var role map[string]any
	r = company.Get(path)
	if err := json.Unmarshal([]byte(r.Body), &role); err != nil {
		t.Fatalf("read role: %d %s", r.Status, r.Body)
	}
	for _, tc := range []struct {
		name, translations, field string
	}{
		{"unknown language", `[{"lang":"xx","title":"T"}]`, "translations[0].lang"},
		{"twice one language", `[{"lang":"fr","title":"A"},{"lang":"fr","title":"B"}]`, "translations[1].lang"},
		// A NUL byte is refused as the body is read, naming the list.
		{"control character", `[{"lang":"fr","title":"A\u0000B"}]`, "translations"},
	} {
		role["translations"] = json.RawMessage(tc.translations)
		body, _ := json.Marshal(role)
		r := jsonCall(t, company, http.MethodPut, path, string(body))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"`+tc.field+`"`) {
			t.Errorf("%s: status %d, want 422 naming %s\n%s", tc.name, r.Status, tc.field, r.Body)
		}
	}
	if r := company.Get(path); strings.Contains(r.Body, `"translations"`) {
		t.Errorf("a refused save stored translations: %s", r.Body)
	}
}
