package http_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/config"
	"github.com/tsunagu-org/tsunagu/internal/seed"
)

func TestSignUp(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{})

	t.Run("OK", func(t *testing.T) {
		c := env.ClientFor(t)
		r := c.PostForm("/signup", "", url.Values{
			"role": {"candidate"}, "display_name": {"Amina"}, "email": {"amina@example.org"},
			"password": {"correct horse 42"}, "password_confirm": {"correct horse 42"},
		})
		if got, want := r.Status, http.StatusSeeOther; got != want {
			t.Fatalf("status = %d, want %d; body %s", got, want, r.Body)
		}
		if got, want := r.Location, "/me"; got != want {
			t.Fatalf("location = %q, want %q", got, want)
		}
		if got := c.Get("/me"); got.Status != http.StatusOK || !strings.Contains(got.Body, "Amina") {
			t.Fatalf("home after sign-up: status %d", got.Status)
		}
	})

	cases := []struct {
		name  string
		form  url.Values
		field string
		msg   string
	}{
		{"ErrWeakPasswordShort", url.Values{"password": {"short1"}}, "password", "At least 10 characters"},
		{"ErrWeakPasswordCommon", url.Values{"password": {"password123"}}, "password", "too common"},
		{"ErrWeakPasswordRepeated", url.Values{"password": {"aaaaaaaaaaaa"}}, "password", "Too easy to guess"},
		{"ErrPasswordMismatch", url.Values{"password_confirm": {"something else 99"}}, "password_confirm", "differ"},
		{"ErrEmailInvalid", url.Values{"email": {"not-an-email"}}, "email", "email address like"},
		{"ErrEmailTaken", url.Values{"email": {"amina@example.org"}}, "email", "already exists"},
		{"ErrNameRequired", url.Values{"display_name": {""}}, "display_name", "Required"},
		{"ErrStaffRoleRefused", url.Values{"role": {"admin"}}, "role", "Choose one"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{
				"role": {"candidate"}, "display_name": {"Ali"}, "email": {"ali-" + strings.ToLower(tc.name) + "@example.org"},
				"password": {"correct horse 42"}, "password_confirm": {"correct horse 42"},
			}
			for k, v := range tc.form {
				form[k] = v
				if k == "password" {
					form["password_confirm"] = v
				}
			}
			c := env.ClientFor(t)
			r := c.PostForm("/signup", "", form)
			if got, want := r.Status, http.StatusUnprocessableEntity; got != want {
				t.Fatalf("status = %d, want %d", got, want)
			}
			if !strings.Contains(r.Body, `id="`+tc.field+`-error"`) || !strings.Contains(r.Body, tc.msg) {
				t.Fatalf("no %q error on field %s in page", tc.msg, tc.field)
			}
			if tc.field != "email" && !strings.Contains(r.Body, `value="`+form.Get("email")+`"`) {
				t.Fatalf("typed email not kept")
			}
			if strings.Contains(r.Body, "correct horse 42") {
				t.Fatalf("password echoed back into the page")
			}
		})
	}

	t.Run("ErrorsInJapanese", func(t *testing.T) {
		c := env.ClientFor(t)
		c.Lang = "ja"
		r := c.PostForm("/signup", "", url.Values{"role": {"candidate"}, "display_name": {"A"}, "email": {"x@example.org"}, "password": {"short"}, "password_confirm": {"short"}})
		if !strings.Contains(r.Body, "10文字以上にしてください") {
			t.Fatalf("password error not in Japanese")
		}
	})
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})

	t.Run("OK", func(t *testing.T) {
		for _, d := range seed.DemoUsers {
			c := env.ClientFor(t)
			r := c.PostForm("/signin", "", url.Values{"email": {d.Email}, "password": {seed.DemoPassword}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("%s: status %d", d.Email, r.Status)
			}
			home := c.Get(r.Location)
			if home.Status != http.StatusOK {
				t.Fatalf("%s: home %s status %d", d.Email, r.Location, home.Status)
			}
		}
	})

	t.Run("ErrWrongPassword", func(t *testing.T) {
		c := env.ClientFor(t)
		r := c.PostForm("/signin", "", url.Values{"email": {"candidate@demo.tsunagu.jp"}, "password": {"wrong password 1"}})
		if got, want := r.Status, http.StatusUnauthorized; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		if !strings.Contains(r.Body, "Wrong email or password") {
			t.Fatalf("no error message")
		}
		// The same answer for an account that does not exist.
		r2 := c.PostForm("/signin", "", url.Values{"email": {"nobody@example.org"}, "password": {"wrong password 1"}})
		if r2.Status != r.Status {
			t.Fatalf("unknown account answered %d, known %d", r2.Status, r.Status)
		}
	})

	t.Run("ErrRateLimitedPerAccount", func(t *testing.T) {
		c := env.ClientFor(t)
		for i := 0; i < 5; i++ {
			c.PostForm("/signin", "", url.Values{"email": {"company@demo.tsunagu.jp"}, "password": {"wrong password 1"}})
		}
		// Even the right password is refused while the limit holds.
		r := c.PostForm("/signin", "", url.Values{"email": {"company@demo.tsunagu.jp"}, "password": {seed.DemoPassword}})
		if got, want := r.Status, http.StatusTooManyRequests; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
	})

	t.Run("ErrCSRFMissing", func(t *testing.T) {
		c := env.ClientFor(t)
		c.Get("/signin")
		req, _ := http.NewRequest(http.MethodPost, "/signin", strings.NewReader(url.Values{"email": {"admin@demo.tsunagu.jp"}, "password": {seed.DemoPassword}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r := c.Do(req)
		if got, want := r.Status, http.StatusForbidden; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
	})

	t.Run("ErrCSRFWrong", func(t *testing.T) {
		c := env.ClientFor(t)
		c.SignInDemo("coordinator")
		r := c.PostForm("/signout", "", url.Values{"csrf_token": {"forged"}})
		if got, want := r.Status, http.StatusForbidden; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		if c.Get("/coordinator").Status != http.StatusOK {
			t.Fatalf("forged sign-out ended the session")
		}
	})

	t.Run("SessionRotatesAtSignIn", func(t *testing.T) {
		c := env.ClientFor(t)
		c.SignInDemo("admin")
		u, _ := url.Parse(env.URL)
		first := cookie(c.HTTP.Jar.Cookies(u), "tsunagu_session")
		r := c.PostForm("/signin", "/admin", url.Values{"email": {"admin@demo.tsunagu.jp"}, "password": {seed.DemoPassword}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("second sign-in status %d", r.Status)
		}
		second := cookie(c.HTTP.Jar.Cookies(u), "tsunagu_session")
		if first == "" || first == second {
			t.Fatalf("session token did not change at sign-in")
		}
	})

	t.Run("SignOut", func(t *testing.T) {
		c := env.ClientFor(t)
		c.SignInDemo("candidate")
		r := c.PostForm("/signout", "/me", nil)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("sign out status %d", r.Status)
		}
		if got := c.Get("/me"); got.Status != http.StatusSeeOther || !strings.HasPrefix(got.Location, "/signin") {
			t.Fatalf("after sign-out /me answered %d %s", got.Status, got.Location)
		}
	})
}

func cookie(cs []*http.Cookie, name string) string {
	for _, c := range cs {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true, Config: func(c *config.Config) { c.SessionTTL = time.Minute }})
	c := env.ClientFor(t)
	c.SignInDemo("candidate")
	if c.Get("/me").Status != http.StatusOK {
		t.Fatal("not signed in")
	}
	env.App.Auth.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	r := c.Get("/me")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/signin") {
		t.Fatalf("expired session answered %d %s, want redirect to sign-in", r.Status, r.Location)
	}
}

// TestRolesRefused checks that each role is refused the areas of the others.
func TestRolesRefused(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	areas := map[string]string{"candidate": "/me", "company": "/company", "coordinator": "/coordinator", "admin": "/admin"}
	allowed := map[string][]string{
		"candidate":   {"/me"},
		"company":     {"/company"},
		"coordinator": {"/coordinator"},
		"admin":       {"/admin", "/coordinator", "/admin/outbox", "/admin/users", "/admin/audit"},
	}
	paths := []string{"/me", "/company", "/coordinator", "/admin", "/admin/outbox", "/admin/users", "/admin/audit"}
	for role := range areas {
		t.Run(role, func(t *testing.T) {
			c := env.ClientFor(t)
			c.SignInDemo(role)
			for _, p := range paths {
				want := http.StatusForbidden
				for _, a := range allowed[role] {
					if a == p {
						want = http.StatusOK
					}
				}
				if got := c.Get(p).Status; got != want {
					t.Errorf("%s GET %s = %d, want %d", role, p, got, want)
				}
			}
		})
	}
	t.Run("visitor", func(t *testing.T) {
		c := env.ClientFor(t)
		for _, p := range paths {
			r := c.Get(p)
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/signin") {
				t.Errorf("visitor GET %s = %d %s, want redirect to sign-in", p, r.Status, r.Location)
			}
		}
	})
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	c := env.ClientFor(t)
	r := c.PostForm("/password/forgot", "", url.Values{"email": {"candidate@demo.tsunagu.jp"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("forgot status %d", r.Status)
	}
	// An unknown email gets the same answer.
	if r2 := c.PostForm("/password/forgot", "", url.Values{"email": {"nobody@example.org"}}); r2.Status != r.Status || r2.Location != r.Location {
		t.Fatalf("unknown email answered differently: %d %s", r2.Status, r2.Location)
	}
	// Without SMTP the message waits in the admin outbox.
	admin := env.Client()
	admin.SignInDemo("admin")
	box := admin.Get("/admin/outbox")
	i := strings.Index(box.Body, "/password/reset/")
	if i < 0 {
		t.Fatalf("reset mail not in the outbox")
	}
	link := box.Body[i:]
	link = link[:strings.IndexAny(link, "\n <&")]

	t.Run("ErrWeakPassword", func(t *testing.T) {
		r := c.PostForm(link, "", url.Values{"password": {"123"}, "password_confirm": {"123"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="password-error"`) {
			t.Fatalf("weak password: status %d", r.Status)
		}
	})
	t.Run("OK", func(t *testing.T) {
		r := c.PostForm(link, "", url.Values{"password": {"a new secret 2026"}, "password_confirm": {"a new secret 2026"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("reset status %d: %s", r.Status, r.Body)
		}
		c.SignIn("candidate@demo.tsunagu.jp", "a new secret 2026")
	})
	t.Run("ErrTokenUsed", func(t *testing.T) {
		c := env.ClientFor(t)
		r := c.PostForm(link, "", url.Values{"password": {"another secret 2027"}, "password_confirm": {"another secret 2027"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "invalid, used or expired") {
			t.Fatalf("reused token: status %d: %s", r.Status, r.Body)
		}
	})
}

func TestHealth(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{})
	c := env.ClientFor(t)
	if r := c.Get("/healthz"); r.Status != http.StatusOK {
		t.Fatalf("healthz %d", r.Status)
	}
	if r := c.Get("/readyz"); r.Status != http.StatusOK || !strings.Contains(r.Body, `"postgres":"ok"`) {
		t.Fatalf("readyz %d %s", r.Status, r.Body)
	}
	// With PostgreSQL gone, readyz names it.
	env.App.DB.Close()
	if r := c.Get("/readyz"); r.Status != http.StatusServiceUnavailable || !strings.Contains(r.Body, `"postgres"`) {
		t.Fatalf("readyz without db: %d %s", r.Status, r.Body)
	}
}
