package http_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestAdminDisablesUser: an admin disables an account from the accounts
// page; its browser sessions and personal access tokens end at once, it
// cannot sign in, and enabling it again revives neither. Only admins may,
// and not on themselves.
func TestAdminDisablesUser(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	victim := env.Client()
	victim.SignInDemo("company")
	tok := mustCreateToken(t, victim, `{"name": "export", "scope": "read_write"}`)
	u, err := env.App.DB.UserByEmail(ctx, companyDemoEmail(t))
	if err != nil {
		t.Fatal(err)
	}
	path := "/admin/users/" + strconv.FormatInt(u.ID, 10)

	t.Run("ErrNotAdmin", func(t *testing.T) {
		coord := env.ClientFor(t)
		coord.SignInDemo("coordinator")
		if r := coord.PostForm(path+"/disable", "/account/tokens", nil); r.Status != http.StatusForbidden {
			t.Fatalf("coordinator disabled a user: status %d", r.Status)
		}
	})

	admin := env.Client()
	admin.SignInDemo("admin")
	t.Run("ErrCannotDisableSelf", func(t *testing.T) {
		me, _ := env.App.DB.UserByEmail(ctx, "admin@demo.tsunagu.jp")
		if r := admin.PostForm("/admin/users/"+strconv.FormatInt(me.ID, 10)+"/disable", "/admin/users", nil); r.Status != http.StatusForbidden {
			t.Fatalf("admin disabled themself: status %d", r.Status)
		}
	})

	t.Run("OK", func(t *testing.T) {
		for _, lang := range []string{"ja", "en"} {
			admin.Lang = lang
			if p := admin.Get("/admin/users"); p.Status != http.StatusOK || !strings.Contains(p.Body, `action="`+path+`/disable"`) {
				t.Fatalf("%s: accounts page offers no disable button (status %d)", lang, p.Status)
			}
		}
		if r := victim.Get("/api/v1/me"); r.Status != http.StatusOK {
			t.Fatalf("victim not signed in before: %d", r.Status)
		}
		if r := admin.PostForm(path+"/disable", "/admin/users", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("disable: status %d", r.Status)
		}
		if r := victim.Get("/api/v1/me"); r.Status != http.StatusUnauthorized {
			t.Fatalf("session survived disabling: %d", r.Status)
		}
		if r := apiJSON(t, env.Client(), http.MethodGet, "/api/v1/me", "", tok.Token); r.Status != http.StatusUnauthorized {
			t.Fatalf("token survived disabling: %d", r.Status)
		}
		again := env.Client()
		if r := again.PostForm("/signin", "", url.Values{"email": {u.Email}, "password": {seed.DemoPassword}}); r.Status == http.StatusSeeOther {
			t.Fatalf("a disabled account signed in")
		}
		if es, _ := env.App.DB.ListAudit(ctx, "user", strconv.FormatInt(u.ID, 10), 10); !hasAction(es, "user.disable") {
			t.Fatalf("disabling not audited")
		}
		if r := admin.PostForm(path+"/enable", "/admin/users", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("enable: status %d", r.Status)
		}
		if r := apiJSON(t, env.Client(), http.MethodGet, "/api/v1/me", "", tok.Token); r.Status != http.StatusUnauthorized {
			t.Fatalf("enabling revived the token: %d", r.Status)
		}
		again.SignIn(u.Email, seed.DemoPassword)
	})
}

func companyDemoEmail(t *testing.T) string {
	t.Helper()
	for _, d := range seed.DemoUsers {
		if string(d.Role) == "company" {
			return d.Email
		}
	}
	t.Fatal("no demo company user")
	return ""
}

func hasAction(es []tsunagu.AuditEntry, action string) bool {
	for _, e := range es {
		if e.Action == action {
			return true
		}
	}
	return false
}
