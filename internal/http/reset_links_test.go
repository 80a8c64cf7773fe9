package http_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/config"
)

// resetLink cuts the first /password/reset/... path out of s.
func resetLink(t *testing.T, s string) string {
	t.Helper()
	i := strings.Index(s, "/password/reset/")
	if i < 0 {
		t.Fatalf("no reset link in %.300q", s)
	}
	link := s[i:]
	if j := strings.IndexAny(link, "\n <&\""); j >= 0 {
		link = link[:j]
	}
	return link
}

// TestResetLinks: using one reset link ends the user's other outstanding
// links; neither the stored outbox copy nor the log holds a usable link.
func TestResetLinks(t *testing.T) {
	t.Parallel()

	t.Run("SecondLinkDiesWithFirst", func(t *testing.T) {
		env := apptest.New(t, apptest.Options{Seed: true})
		c := env.ClientFor(t)
		admin := env.ClientFor(t)
		admin.SignInDemo("admin")
		var links []string
		for i := 0; i < 2; i++ {
			if r := c.PostForm("/password/forgot", "", url.Values{"email": {"candidate@demo.tsunagu.jp"}}); r.Status != http.StatusSeeOther {
				t.Fatalf("forgot: status %d", r.Status)
			}
			// Development without SMTP: the outbox page shows the newest first.
			links = append(links, resetLink(t, admin.Get("/admin/outbox").Body))
		}
		if links[0] == links[1] {
			t.Fatalf("the two requests gave the same link")
		}
		if r := c.PostForm(links[1], "", url.Values{"password": {"a new secret 2026"}, "password_confirm": {"a new secret 2026"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("first use: status %d", r.Status)
		}
		r := env.ClientFor(t).PostForm(links[0], "", url.Values{"password": {"attacker secret 99"}, "password_confirm": {"attacker secret 99"}})
		if got, want := r.Status, http.StatusUnprocessableEntity; got != want {
			t.Fatalf("the other outstanding link after the first was used: status %d, want %d", got, want)
		}
	})

	t.Run("ErrNoUsableLinkStoredOrLogged", func(t *testing.T) {
		env := apptest.New(t, apptest.Options{Seed: true, Config: func(c *config.Config) { c.Dev = false }})
		var logged bytes.Buffer
		env.App.Auth.Log = slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c := env.ClientFor(t)
		if r := c.PostForm("/password/forgot", "", url.Values{"email": {"candidate@demo.tsunagu.jp"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("forgot: status %d", r.Status)
		}
		var body string
		if err := env.App.DB.GetContext(context.Background(), &body,
			`SELECT body FROM mail_outbox WHERE to_addr = 'candidate@demo.tsunagu.jp' ORDER BY id DESC LIMIT 1`); err != nil {
			t.Fatal(err)
		}
		token := strings.TrimPrefix(resetLink(t, body), "/password/reset/")
		if err := env.App.Auth.ResetPassword(context.Background(), token, "attacker secret 99"); err == nil {
			t.Fatalf("the link stored in the outbox reset the password")
		}
		// The token mailed is still good (the stored copy is not the mail).
		var open int
		env.App.DB.GetContext(context.Background(), &open, `SELECT count(*) FROM password_resets WHERE used_at IS NULL`)
		if open != 1 {
			t.Fatalf("%d outstanding reset tokens, want 1", open)
		}
		if strings.Contains(logged.String(), "/password/reset/") || strings.Contains(logged.String(), "candidate@demo") {
			t.Fatalf("the log holds the mail: %s", logged.String())
		}
	})
}
