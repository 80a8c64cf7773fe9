package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/auth"
)

// apiJSON sends a JSON request with the session's CSRF token, or with
// bearer as the personal access token when it is set.
func apiJSON(t *testing.T, c *apptest.Client, method, path, body, bearer string) *apptest.Response {
	t.Helper()
	var req *http.Request
	if body == "" {
		req, _ = http.NewRequest(method, path, nil)
	} else {
		req, _ = http.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	} else if method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.CSRF("/account/tokens"))
	}
	return c.Do(req)
}

type createdToken struct {
	Token string `json:"token"`
	Item  struct {
		ID    int64  `json:"id"`
		Scope string `json:"scope"`
	} `json:"item"`
}

func mustCreateToken(t *testing.T, c *apptest.Client, body string) createdToken {
	t.Helper()
	r := apiJSON(t, c, http.MethodPost, "/api/v1/tokens", body, "")
	if r.Status != http.StatusCreated {
		t.Fatalf("create token %s: status %d %s", body, r.Status, r.Body)
	}
	var ct createdToken
	if err := json.Unmarshal([]byte(r.Body), &ct); err != nil || !strings.HasPrefix(ct.Token, "tsu_") {
		t.Fatalf("create token: %v %s", err, r.Body)
	}
	return ct
}

// TestPersonalAccessTokens: a token has a name, a scope and an expiry; a
// read-only token is refused on writes; a token cannot mint or revoke
// tokens; its owner lists and revokes tokens; tokens end when they expire
// and on a password reset.
func TestPersonalAccessTokens(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	coord := env.Client()
	coord.SignInDemo("coordinator")
	bare := env.Client()

	read := mustCreateToken(t, coord, `{"name": "reports", "scope": "read", "expires_in_days": 7}`)
	rw := mustCreateToken(t, coord, `{"name": "sync", "scope": "read_write", "expires_in_days": 90}`)
	if read.Item.Scope != "read" || rw.Item.Scope != "read_write" {
		t.Fatalf("scopes = %q, %q", read.Item.Scope, rw.Item.Scope)
	}

	t.Run("ErrInvalidScopeAndExpiry", func(t *testing.T) {
		r := apiJSON(t, coord, http.MethodPost, "/api/v1/tokens", `{"name": "x", "scope": "admin", "expires_in_days": 10000}`, "")
		if got, want := r.Status, http.StatusUnprocessableEntity; got != want {
			t.Fatalf("status = %d, want %d: %s", got, want, r.Body)
		}
		var e struct {
			Error struct{ Fields map[string]string } `json:"error"`
		}
		json.Unmarshal([]byte(r.Body), &e)
		if e.Error.Fields["scope"] == "" || e.Error.Fields["expires_in_days"] == "" {
			t.Fatalf("want errors on scope and expires_in_days: %s", r.Body)
		}
		f := coord.PostForm("/account/tokens", "", url.Values{"name": {""}, "scope": {"root"}, "expires_in_days": {"abc"}})
		if f.Status != http.StatusUnprocessableEntity || !strings.Contains(f.Body, `id="scope-error"`) ||
			!strings.Contains(f.Body, `id="expires_in_days-error"`) || !strings.Contains(f.Body, `id="name-error"`) {
			t.Fatalf("form errors: status %d", f.Status)
		}
	})

	t.Run("ReadOnlyRefusedOnWrites", func(t *testing.T) {
		if r := apiJSON(t, bare, http.MethodGet, "/api/v1/companies", "", read.Token); r.Status != http.StatusOK {
			t.Fatalf("read with read token: %d %s", r.Status, r.Body)
		}
		r := apiJSON(t, bare, http.MethodPost, "/api/v1/companies", `{"name": "Written by a read token"}`, read.Token)
		if got, want := r.Status, http.StatusForbidden; got != want {
			t.Fatalf("write with read token: status = %d, want %d: %s", got, want, r.Body)
		}
		if !strings.Contains(r.Body, "read-only") {
			t.Fatalf("403 does not say why: %s", r.Body)
		}
		if r := apiJSON(t, bare, http.MethodPost, "/api/v1/companies", `{"name": "Written by a read-write token"}`, rw.Token); r.Status != http.StatusCreated {
			t.Fatalf("write with read_write token: %d %s", r.Status, r.Body)
		}
	})

	t.Run("ErrTokenCannotMintOrRevoke", func(t *testing.T) {
		r := apiJSON(t, bare, http.MethodPost, "/api/v1/tokens", `{"name": "child", "scope": "read_write"}`, rw.Token)
		if got, want := r.Status, http.StatusForbidden; got != want {
			t.Fatalf("mint with a token: status = %d, want %d: %s", got, want, r.Body)
		}
		r = apiJSON(t, bare, http.MethodDelete, "/api/v1/tokens/"+strconv.FormatInt(read.Item.ID, 10), "", rw.Token)
		if got, want := r.Status, http.StatusForbidden; got != want {
			t.Fatalf("revoke with a token: status = %d, want %d", got, want)
		}
	})

	t.Run("ListShowsNoSecret", func(t *testing.T) {
		r := apiJSON(t, coord, http.MethodGet, "/api/v1/tokens", "", "")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, `"reports"`) || !strings.Contains(r.Body, `"sync"`) || !strings.Contains(r.Body, `"expires_at"`) {
			t.Fatalf("list: %d %s", r.Status, r.Body)
		}
		for _, secret := range []string{read.Token, rw.Token, strings.TrimPrefix(rw.Token, "tsu_")} {
			if strings.Contains(r.Body, secret) {
				t.Fatalf("list shows a secret")
			}
		}
		for _, lang := range []string{"ja", "en"} {
			coord.Lang = lang
			p := coord.Get("/account/tokens")
			if p.Status != http.StatusOK || !strings.Contains(p.Body, "reports") || strings.Contains(p.Body, strings.TrimPrefix(read.Token, "tsu_")) {
				t.Fatalf("%s page: status %d", lang, p.Status)
			}
		}
		coord.Lang = "en"
	})

	t.Run("RevokeEndsAtOnce", func(t *testing.T) {
		other := env.Client()
		other.SignInDemo("admin")
		if r := other.PostForm("/account/tokens/"+strconv.FormatInt(read.Item.ID, 10)+"/revoke", "/account/tokens", nil); r.Status != http.StatusNotFound {
			t.Fatalf("another user revoked the token: status %d", r.Status)
		}
		if r := apiJSON(t, bare, http.MethodGet, "/api/v1/me", "", read.Token); r.Status != http.StatusOK {
			t.Fatalf("token dead after a stranger's revoke: %d", r.Status)
		}
		if r := coord.PostForm("/account/tokens/"+strconv.FormatInt(read.Item.ID, 10)+"/revoke", "/account/tokens", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("revoke: status %d", r.Status)
		}
		if r := apiJSON(t, bare, http.MethodGet, "/api/v1/me", "", read.Token); r.Status != http.StatusUnauthorized {
			t.Fatalf("revoked token still works: %d", r.Status)
		}
	})

	t.Run("ExpiredTokenRefused", func(t *testing.T) {
		tk := mustCreateToken(t, coord, `{"name": "short"}`)
		if r := apiJSON(t, bare, http.MethodGet, "/api/v1/me", "", tk.Token); r.Status != http.StatusOK {
			t.Fatalf("fresh token: %d", r.Status)
		}
		if _, err := env.App.DB.ExecContext(ctx, `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, tk.Item.ID); err != nil {
			t.Fatal(err)
		}
		if r := apiJSON(t, bare, http.MethodGet, "/api/v1/me", "", tk.Token); r.Status != http.StatusUnauthorized {
			t.Fatalf("expired token still works: %d", r.Status)
		}
	})

	t.Run("PasswordResetEndsTokens", func(t *testing.T) {
		if r := apiJSON(t, bare, http.MethodGet, "/api/v1/me", "", rw.Token); r.Status != http.StatusOK {
			t.Fatalf("token before reset: %d", r.Status)
		}
		u, err := env.App.DB.UserByEmail(ctx, "coordinator@demo.tsunagu.jp")
		if err != nil {
			t.Fatal(err)
		}
		secret, hash := auth.NewToken()
		if err := env.App.DB.CreatePasswordReset(ctx, u.ID, hash, env.App.Auth.Now().Add(auth.ResetTTL)); err != nil {
			t.Fatal(err)
		}
		pw := "a new Passphrase 77"
		if r := bare.PostForm("/password/reset/"+secret, "", url.Values{"password": {pw}, "password_confirm": {pw}}); r.Status != http.StatusSeeOther {
			t.Fatalf("reset: status %d", r.Status)
		}
		if r := apiJSON(t, bare, http.MethodGet, "/api/v1/me", "", rw.Token); r.Status != http.StatusUnauthorized {
			t.Fatalf("token survived the password reset: %d", r.Status)
		}
	})
}
