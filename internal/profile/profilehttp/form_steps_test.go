package profilehttp_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
)

// openSteps lists the ids of the profile form's steps that open by
// themselves.
func openSteps(body string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`<details class="step" id="(step-[a-z]+)" open>`).FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// The profile form is in steps: only the first opens on a clean form, and
// after a failed save exactly the steps holding an error open, so a person
// on a phone sees what to fix without scrolling a closed section.
func TestCandidateFormSteps(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	setLocale(t, env, "candidate", "en")
	c := env.Client()
	c.SignInDemo("candidate")

	r := c.Get("/me/profile/edit")
	if got := openSteps(r.Body); len(got) != 1 || got[0] != "step-identity" {
		t.Errorf("clean form: open steps %q, want [step-identity]", got)
	}
	if n := len(regexp.MustCompile(`<details class="step"`).FindAllString(r.Body, -1)); n != 9 {
		t.Errorf("clean form: %d steps, want 9", n)
	}

	form := url.Values{"name": {"Aye"}, "visibility": {"companies"}, "languages[0].code": {"ja"}, "languages[0].level": {"N9"}, "desired_occupations": {"qqxz wibble"}}
	r = c.PostForm("/me/profile", "/me/profile/edit", form)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad level: status %d, want 422", r.Status)
	}
	got := openSteps(r.Body)
	if len(got) != 2 || got[0] != "step-languages" || got[1] != "step-desired" {
		t.Errorf("after errors in languages and the work wanted: open steps %q, want [step-languages step-desired]", got)
	}
}
