package profilehttp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
)

// TestCandidateFormLanguage: staff entering a person choose the language
// they read (invitations and notices reach them in it); the profile keeps
// it, and the form shows it chosen when opened again. A candidate's own
// form has no such field (their account's language is theirs to switch).
func TestCandidateFormLanguage(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	staff := env.ClientFor(t)
	staff.Lang = "en"
	staff.SignInDemo("coordinator")
	if r := staff.Get("/coordinator/candidates/new"); r.Status != http.StatusOK || !strings.Contains(r.Body, `<option value="ja" selected>`) {
		t.Fatalf("new form: status %d, no language field with Japanese chosen", r.Status)
	}
	form := url.Values{"name": {"Nour Saleh"}, "locale": {"ar"}, "visibility": {"coordinators"}, "confirm_duplicate": {"yes"}}
	r := staff.PostForm("/coordinator/candidates", "/coordinator/candidates/new", form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: status %d", r.Status)
	}
	var id int64
	if _, err := fmt.Sscanf(r.Location, "/coordinator/candidates/%d", &id); err != nil {
		t.Fatalf("save went to %q", r.Location)
	}
	cand, err := env.App.DB.CandidateByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cand.Locale, "ar"; got != want {
		t.Fatalf("locale %q, want %q", got, want)
	}
	if e := staff.Get(r.Location + "/edit"); !strings.Contains(e.Body, `<option value="ar" selected>`) {
		t.Fatalf("edit form does not show Arabic chosen")
	}
	own := env.ClientFor(t)
	own.SignInDemo("candidate")
	if e := own.Get("/me/profile/edit"); e.Status != http.StatusOK || strings.Contains(e.Body, `id="f-locale"`) {
		t.Fatalf("own form: status %d, or it offers the staff's language field", e.Status)
	}
}
