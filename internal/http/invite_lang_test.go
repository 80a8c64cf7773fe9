package http_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestInvitationInInviteesLanguage: the page an invitation opens is in the
// language the invitation was sent in (the person's), not the language of
// the browser that opens it, and the account it opens keeps that language;
// a visitor who chose a language with the switch gets that one.
func TestInvitationInInviteesLanguage(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	invite := func(t *testing.T, name string) string {
		t.Helper()
		cand := &tsunagu.Candidate{Name: name, Headline: "Pharmacist", Locale: "fa", Visibility: tsunagu.VisibilityCoordinators}
		if err := env.App.DB.SaveCandidate(ctx, cand); err != nil {
			t.Fatal(err)
		}
		coord := env.ClientFor(t)
		coord.SignInDemo("coordinator")
		path := "/coordinator/candidates/" + strconv.FormatInt(cand.ID, 10) + "/invite"
		r := coord.PostForm(path, path, url.Values{"how": {"link"}})
		sm := inviteLinkRe.FindStringSubmatch(r.Body)
		if r.Status != http.StatusCreated || sm == nil {
			t.Fatalf("invite by link: status %d, no link shown", r.Status)
		}
		return "/invitations/" + sm[1]
	}

	t.Run("OK", func(t *testing.T) {
		link := invite(t, "Zahra Ahmadi")
		visitor := env.ClientFor(t)
		visitor.Lang = "en"
		p := visitor.Get(link)
		if p.Status != http.StatusOK || !strings.Contains(p.Body, `lang="fa"`) || !strings.Contains(p.Body, `dir="rtl"`) {
			t.Fatalf("invitation page: status %d, not in Dari (lang fa, right to left)", p.Status)
		}
		pw := "Saffron and snow 2026!"
		r := visitor.PostForm(link, "", url.Values{"display_name": {"Zahra"}, "email": {"zahra@example.org"}, "password": {pw}, "password_confirm": {pw}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("accept: status %d", r.Status)
		}
		u, err := env.App.DB.UserByEmail(ctx, "zahra@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := u.Locale, "fa"; got != want {
			t.Fatalf("account language %q, want %q", got, want)
		}
	})
	t.Run("ChosenLanguageWins", func(t *testing.T) {
		link := invite(t, "Reza Ahmadi")
		visitor := env.ClientFor(t)
		visitor.SetLanguage("uk")
		if p := visitor.Get(link); p.Status != http.StatusOK || !strings.Contains(p.Body, `lang="uk"`) {
			t.Fatalf("invitation page: status %d, not in the language chosen (uk)", p.Status)
		}
	})
}
