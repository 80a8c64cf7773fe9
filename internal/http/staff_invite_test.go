package http_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
)

// TestInviteStaff: an admin invites a coordinator from the accounts page;
// the e-mail, in the chosen language, carries a link that opens an account
// with that role, once. Bad input is a per-field error; a coordinator may
// not invite.
func TestInviteStaff(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	admin := env.Client()
	admin.SignInDemo("admin")
	admin.Lang = "en"
	if r := admin.Get("/admin/users"); r.Status != http.StatusOK || !strings.Contains(r.Body, `action="/admin/users/invite"`) {
		t.Fatalf("accounts page: %d, no invitation form", r.Status)
	}
	r := admin.PostForm("/admin/users/invite", "/admin/users", url.Values{"email": {"nope"}, "role": {"company"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="email-error"`) || !strings.Contains(r.Body, `id="role-error"`) {
		t.Fatalf("bad input: %d, want 422 with errors on email and role", r.Status)
	}
	coord := env.ClientFor(t)
	coord.SignInDemo("coordinator")
	if r := coord.PostForm("/admin/users/invite", "/coordinator/cases", url.Values{"email": {"x@ngo.example"}, "role": {"admin"}}); r.Status != http.StatusForbidden {
		t.Fatalf("a coordinator invited staff: %d", r.Status)
	}

	r = admin.PostForm("/admin/users/invite", "/admin/users", url.Values{"email": {"kenji@ngo.example"}, "role": {"coordinator"}, "locale": {"ja"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", r.Status, r.Body)
	}
	token, stored := lastMailLink(t, env, "kenji@ngo.example")
	if !strings.Contains(stored.Subject, "スタッフ") {
		t.Errorf("mail not in Japanese: %q", stored.Subject)
	}
	visitor := env.Client()
	const pw = "correct horse battery staple 7"
	if r := visitor.PostForm("/invitations/"+token, "", url.Values{"display_name": {"Kenji"}, "password": {pw}, "password_confirm": {pw}}); r.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	}
	var role string
	if err := env.App.DB.GetContext(ctx, &role, `SELECT role FROM users WHERE email = 'kenji@ngo.example'`); err != nil || role != "coordinator" {
		t.Fatalf("role %q, %v; want coordinator", role, err)
	}
	if r := visitor.Get("/coordinator/cases"); r.Status != http.StatusOK {
		t.Errorf("the new coordinator cannot open the case board: %d", r.Status)
	}
	if r := env.Client().Get("/invitations/" + token); r.Status != http.StatusNotFound {
		t.Errorf("the link works twice: %d", r.Status)
	}
	if r := admin.PostForm("/admin/users/invite", "/admin/users", url.Values{"email": {"kenji@ngo.example"}, "role": {"admin"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("inviting an existing account: %d, want 422", r.Status)
	}
	var n int
	env.App.DB.GetContext(ctx, &n, `SELECT count(*) FROM audit_log WHERE action IN ('user.staff_invite', 'user.staff_join')`)
	if n != 2 {
		t.Errorf("%d audit rows for the invitation and the join, want 2", n)
	}
}
