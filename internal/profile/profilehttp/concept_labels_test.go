package profilehttp_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/seed"
)

// A candidate's skills read in the page's language: the taxonomy's label
// where it has one in that language (the project's Japanese, ESCO's
// English), the words the candidate typed where the reader reads their
// script, else ESCO's English marked as English. A skill a training
// programme verified says so, with the programme (it was stored, never
// shown).
func TestCandidateSkillsInPageLanguage(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	if err := seed.Profiles(ctx, env.App.DB); err != nil {
		t.Fatal(err)
	}
	setLocale(t, env, "candidate", "en")
	c := env.Client()
	c.SignInDemo("candidate")

	const spreadsheets = "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be"
	form := url.Values{"name": {"Amina K."}, "visibility": {"companies"},
		"skills[0].label": {"表計算"}, "skills[0].esco_uri": {spreadsheets}, "skills[0].level": {"intermediate"}}
	if r := c.PostForm("/me/profile", "/me/profile/edit", form); r.Status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", r.Status, r.Body)
	}
	// Completing a programme marks the skills it teaches as verified by it
	// (training.Complete → postgres.AddVerifiedSkills); here directly.
	if _, err := env.App.DB.ExecContext(ctx, `UPDATE candidate_skills SET verified = 'IT basics (Tsunagu)'
		WHERE esco_uri = $1 AND candidate_id = (SELECT c.id FROM candidates c JOIN users u ON u.id = c.user_id WHERE u.email = $2)`,
		spreadsheets, seed.DemoUsers[0].Email); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, want, not string }{
		{"ja", "<li>表計算ソフトの使用", "表計算 ·"},
		{"en", "<li>use spreadsheets software", "表計算"},
		{"fr", `<li><span lang="en" class="untranslated">use spreadsheets software</span>`, "表計算"},
		{"ar", `<li><span lang="en" class="untranslated">use spreadsheets software</span>`, "表計算"},
	} {
		setLocale(t, env, "candidate", tc.lang)
		r := c.Get("/me/profile")
		if !strings.Contains(r.Body, tc.want) || strings.Contains(r.Body, tc.not) {
			t.Errorf("%s profile: status %d, want %q and not %q among the skills", tc.lang, r.Status, tc.want, tc.not)
		}
		if !strings.Contains(r.Body, `class="badge verified">✓ `) || !strings.Contains(r.Body, "IT basics (Tsunagu)") {
			t.Errorf("%s profile: the skill is not shown as verified by its programme", tc.lang)
		}
	}
}
