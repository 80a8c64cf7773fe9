package http_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/config"
	"github.com/tsunagu-org/tsunagu/internal/seed"
)

// postFrom posts a form with the CSRF token of /signin and a forged or
// proxied X-Forwarded-For.
func postFrom(c *apptest.Client, path, forwardedFor string, form url.Values) *apptest.Response {
	form.Set("csrf_token", c.CSRF("/signin"))
	req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	return c.Do(req)
}

// TestSignInLimitsByRealAddress: X-Forwarded-For is believed only from a
// configured proxy, so rotating it does not dodge the per-address limit;
// an account's failures lock it for that address only; reset mails are
// limited.
func TestSignInLimitsByRealAddress(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})

	t.Run("ErrForgedForwardedForIgnored", func(t *testing.T) {
		c := env.ClientFor(t)
		var last *apptest.Response
		for i := 0; i < 21; i++ {
			last = postFrom(c, "/signin", fmt.Sprintf("198.51.100.%d", i+1), url.Values{
				"email": {fmt.Sprintf("nobody%d@example.org", i)}, "password": {"wrong password 1"}})
		}
		if got, want := last.Status, http.StatusTooManyRequests; got != want {
			t.Fatalf("21st failure from one connection with a new X-Forwarded-For each time: status %d, want %d", got, want)
		}
	})

	t.Run("ErrForgotLimited", func(t *testing.T) {
		proxied := apptest.New(t, apptest.Options{Seed: true, Config: func(c *config.Config) {
			c.TrustedProxies = []string{"127.0.0.1"}
		}})
		c := proxied.ClientFor(t)
		var statuses []int
		for i := 0; i < 25; i++ {
			r := postFrom(c, "/password/forgot", "203.0.113.9", url.Values{"email": {"candidate@demo.tsunagu.jp"}})
			statuses = append(statuses, r.Status)
		}
		var n int
		if err := proxied.App.DB.GetContext(context.Background(), &n,
			`SELECT count(*) FROM mail_outbox WHERE to_addr = 'candidate@demo.tsunagu.jp'`); err != nil {
			t.Fatal(err)
		}
		if n > 3 {
			t.Errorf("%d reset mails to one account in a burst, want at most 3", n)
		}
		if got, want := statuses[len(statuses)-1], http.StatusTooManyRequests; got != want {
			t.Errorf("25th request from one address: status %d, want %d (all: %v)", got, want, statuses)
		}
		// Another address is not held back by the first one's limit.
		if r := postFrom(c, "/password/forgot", "203.0.113.10", url.Values{"email": {"nobody@example.org"}}); r.Status != http.StatusSeeOther {
			t.Errorf("another address: status %d", r.Status)
		}
	})

	t.Run("AccountLockedForTheFailingAddressOnly", func(t *testing.T) {
		proxied := apptest.New(t, apptest.Options{Seed: true, Config: func(c *config.Config) {
			c.TrustedProxies = []string{"127.0.0.1"}
		}})
		attacker, owner := proxied.ClientFor(t), proxied.ClientFor(t)
		for i := 0; i < 5; i++ {
			postFrom(attacker, "/signin", "203.0.113.66", url.Values{"email": {"company@demo.tsunagu.jp"}, "password": {"wrong password 1"}})
		}
		if r := postFrom(attacker, "/signin", "203.0.113.66", url.Values{"email": {"company@demo.tsunagu.jp"}, "password": {seed.DemoPassword}}); r.Status != http.StatusTooManyRequests {
			t.Fatalf("the failing address: status %d, want 429", r.Status)
		}
		r := postFrom(owner, "/signin", "198.51.100.20", url.Values{"email": {"company@demo.tsunagu.jp"}, "password": {seed.DemoPassword}})
		if got, want := r.Status, http.StatusSeeOther; got != want {
			t.Fatalf("the owner from another address: status %d, want %d", got, want)
		}
		var ip string
		if err := proxied.App.DB.GetContext(context.Background(), &ip,
			`SELECT s.ip FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'company@demo.tsunagu.jp' ORDER BY s.created_at DESC LIMIT 1`); err != nil {
			t.Fatal(err)
		}
		if got, want := ip, "198.51.100.20"; got != want {
			t.Fatalf("session address = %q, want %q (the client behind the trusted proxy)", got, want)
		}
	})
}
