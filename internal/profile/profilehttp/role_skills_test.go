package profilehttp_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// The role form suggests skills as they are typed, and a skill is saved
// linked to its ESCO skill, or unlinked only when its author ticks "keep
// as free text": it was once saved unlinked without a word (issue 13).
func TestRoleFormSkillsLinked(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	setLocale(t, env, "company", "en")
	company := env.Client()
	company.SignInDemo("company")

	r := company.Get("/roles/new")
	if !strings.Contains(r.Body, `name="required_skills[0].label"`) ||
		!strings.Contains(r.Body, `list="skill-suggestions" autocomplete="off" hx-get="/suggest/skills"`) ||
		!strings.Contains(r.Body, `<datalist id="skill-suggestions">`) ||
		!strings.Contains(r.Body, `name="required_skills[0].free"`) {
		t.Fatalf("new role form: no skill suggestions or no \"keep as free text\" box\n%s", r.Body)
	}
	// The suggestions offer ESCO labels; one chosen links on save. (The
	// suggestion index opens in the background.)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := env.App.SuggestionsReady(ctx); err != nil {
		t.Fatalf("taxonomy index: %v", err)
	}
	if s := company.Get("/suggest/skills?required_skills%5B0%5D.label=welding"); !strings.Contains(s.Body, `data-uri="http://data.europa.eu/esco/skill/`) {
		t.Fatalf("suggestions for \"welding\": %d\n%s", s.Status, s.Body)
	}

	form := url.Values{
		"title": {"Welder"}, "required_skills[0].label": {"welding techniques"},
		"preferred_skills[0].label": {"Kintsugi repair for ceramics"},
		"location.prefecture":       {"Tokyo"}, "workplace": {"onsite"}, "employment_type": {"full_time"},
		"openings": {"1"}, "status": {"open"},
	}
	r = company.PostForm("/roles", "/roles/new", form)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an unlinked skill without \"keep as free text\": status %d, want 422\n%s", r.Status, r.Body)
	}
	if !strings.Contains(r.Body, `id="preferred_skills[0].label-error"`) ||
		!strings.Contains(r.Body, "No ESCO skill is called “Kintsugi repair for ceramics”") ||
		!strings.Contains(r.Body, `value="Kintsugi repair for ceramics"`) {
		t.Errorf("the form does not say which skill is not linked, or lost what was typed\n%s", r.Body)
	}
	var roles int
	if err := env.App.DB.GetContext(context.Background(), &roles, `SELECT count(*) FROM roles WHERE title = 'Welder'`); err != nil || roles != 0 {
		t.Fatalf("%d roles saved after the error (%v), want 0", roles, err)
	}

	form.Set("preferred_skills[0].free", "on")
	r = company.PostForm("/roles", "/roles/new", form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("with \"keep as free text\" ticked: status %d\n%s", r.Status, r.Body)
	}
	var got []struct {
		Kind  string `db:"kind"`
		Label string `db:"label"`
		URI   string `db:"esco_uri"`
	}
	if err := env.App.DB.SelectContext(context.Background(), &got, `SELECT s.kind, s.label, COALESCE(s.esco_uri, '') AS esco_uri
		FROM role_skills s JOIN roles r ON r.id = s.role_id WHERE r.title = 'Welder' ORDER BY s.kind DESC`); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Kind != "required" || !strings.HasPrefix(got[0].URI, tsunagu.ESCOSkillPrefix) ||
		got[1].Kind != "preferred" || got[1].URI != "" || got[1].Label != "Kintsugi repair for ceramics" {
		t.Fatalf("saved skills %+v, want welding techniques linked to ESCO and the free text unlinked", got)
	}
	// Editing it again shows the free text ticked, and saves as it is.
	r = company.Get(r.Location + "/edit")
	if !strings.Contains(r.Body, `name="preferred_skills[0].free" checked>`) {
		t.Errorf("edit form: the free-text skill is not shown as kept as free text\n%s", r.Body)
	}
}

// A company's card of a candidate shows which skills a training programme
// verified, and with which programme, without the candidate's name; and
// names the candidate's languages in the reader's language (issue 13).
func TestCardVerifiedSkills(t *testing.T) {
	t.Parallel()
	env, paths, _ := companyCardSetup(t)
	setLocale(t, env, "company", "en")
	c := env.Client()
	c.SignInDemo("company")
	ctx := context.Background()
	var id int64
	if _, err := fmt.Sscanf(paths[0], "/company/candidates/%d", &id); err != nil {
		t.Fatal(err)
	}
	var name, label string
	if err := env.App.DB.QueryRowxContext(ctx, `SELECT c.name, s.label FROM candidates c
		JOIN candidate_skills s ON s.candidate_id = c.id WHERE c.id = $1 ORDER BY s.position LIMIT 1`, id).Scan(&name, &label); err != nil {
		t.Fatal(err)
	}
	r := c.Get(paths[0])
	if r.Status != http.StatusOK || strings.Contains(r.Body, "Verified by") {
		t.Fatalf("card before any verification: status %d, or already says verified", r.Status)
	}
	if _, err := env.App.DB.ExecContext(ctx, `UPDATE candidate_skills SET verified = 'Japanese accounting practice'
		WHERE candidate_id = $1 AND label = $2`, id, label); err != nil {
		t.Fatal(err)
	}
	r = c.Get(paths[0])
	if !strings.Contains(r.Body, html.EscapeString(label)) || !strings.Contains(r.Body, "✓ Verified by Japanese accounting practice") {
		t.Errorf("card: no verified badge with its programme on %q\n%s", label, r.Body)
	}
	if strings.Contains(r.Body, html.EscapeString(name)) {
		t.Errorf("card shows the candidate's name %q", name)
	}
	if strings.Contains(r.Body, "<li>日本語") || !strings.Contains(r.Body, "<li>Japanese") {
		t.Errorf("card: languages not named in English for an English reader\n%s", r.Body)
	}
}
