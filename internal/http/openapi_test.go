package http_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	thttp "github.com/tsunagu-org/tsunagu/internal/http"
)

// TestOpenAPIMatchesRoutes keeps the OpenAPI document in step with the
// routes registered under /api/v1: each route documented, nothing extra.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{})
	routes := map[string]bool{}
	for _, r := range env.Server.Engine().Routes() {
		if p, ok := strings.CutPrefix(r.Path, "/api/v1"); ok {
			routes[strings.ToLower(r.Method)+" "+thttp.OpenAPIPath(p)] = true
		}
	}
	resp := env.Client().Get("/api/v1/openapi.json")
	if resp.Status != http.StatusOK {
		t.Fatalf("openapi.json status %d", resp.Status)
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi = %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			documented[m+" "+p] = true
		}
	}
	var missing, extra []string
	for r := range routes {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for d := range documented {
		if !routes[d] {
			extra = append(extra, d)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes missing from openapi.json: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("openapi.json documents routes that do not exist: %v", extra)
	}
}

// TestAPIErrors checks the JSON error shape and token authentication.
func TestAPIErrors(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	c := env.ClientFor(t)

	r := c.Get("/api/v1/me")
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("anonymous /api/v1/me = %d", r.Status)
	}
	var e struct {
		Error struct {
			Code    string            `json:"code"`
			Message string            `json:"message"`
			Fields  map[string]string `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.Body), &e); err != nil || e.Error.Code != "unauthorized" || e.Error.Message == "" {
		t.Fatalf("error body = %s", r.Body)
	}

	c.SignInDemo("coordinator")
	req, _ := http.NewRequest(http.MethodPost, "/api/v1/tokens", strings.NewReader(`{"name": ""}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF("/coordinator"))
	r = c.Do(req)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty token name = %d %s", r.Status, r.Body)
	}
	json.Unmarshal([]byte(r.Body), &e)
	if e.Error.Code != "invalid" || e.Error.Fields["name"] == "" {
		t.Fatalf("want per-field error on name, got %s", r.Body)
	}

	req, _ = http.NewRequest(http.MethodPost, "/api/v1/tokens", strings.NewReader(`{"name": "script"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF("/coordinator"))
	r = c.Do(req)
	var tok struct {
		Token string `json:"token"`
	}
	json.Unmarshal([]byte(r.Body), &tok)
	if r.Status != http.StatusCreated || !strings.HasPrefix(tok.Token, "tsu_") {
		t.Fatalf("create token = %d %s", r.Status, r.Body)
	}

	bare := env.ClientFor(t)
	req, _ = http.NewRequest(http.MethodGet, "/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	if r := bare.Do(req); r.Status != http.StatusOK || !strings.Contains(r.Body, "coordinator@demo.tsunagu.jp") {
		t.Fatalf("token auth = %d %s", r.Status, r.Body)
	}
	req, _ = http.NewRequest(http.MethodGet, "/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer tsu_forged")
	if r := bare.Do(req); r.Status != http.StatusUnauthorized {
		t.Fatalf("forged token = %d", r.Status)
	}
	if r := bare.Get("/api/v1/nothing-here"); r.Status != http.StatusNotFound || !strings.Contains(r.Body, `"not_found"`) {
		t.Fatalf("unknown API route = %d %s", r.Status, r.Body)
	}
}

// TestPagesInBothLanguages renders the public pages in Japanese and English.
func TestPagesInBothLanguages(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{})
	want := map[string][2]string{
		"/":                {"専門性を活かせるキャリアへ", "Careers that use your expertise"},
		"/about":           {"つなぐについて", "About Tsunagu"},
		"/signin":          {"ログイン", "Sign in"},
		"/signup":          {"アカウント作成", "Create an account"},
		"/password/forgot": {"パスワードの再設定", "Reset your password"},
		"/no-such-page":    {"このページは存在しない", "This page does not exist"},
	}
	for path, w := range want {
		for i, lang := range []string{"ja", "en"} {
			c := env.ClientFor(t)
			c.Lang = lang
			r := c.Get(path)
			if !strings.Contains(r.Body, w[i]) || !strings.Contains(r.Body, `<html lang="`+lang+`"`) {
				t.Errorf("%s in %s: %q not found (status %d)", path, lang, w[i], r.Status)
			}
		}
	}
	// The About page carries the attribution lines word for word.
	about := env.ClientFor(t).Get("/about").Body
	for _, line := range []string{
		"This service uses the ESCO classification of the European Commission.",
		"This product includes information from the O*NET 29.3 Database by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA.",
	} {
		if !strings.Contains(about, line) {
			t.Errorf("about page lacks attribution %q", line)
		}
	}
}

// TestLanguageSwitch remembers the choice for a visitor and on the account.
func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	c := env.ClientFor(t)
	c.Lang = "en"
	r := c.PostForm("/lang", "/", map[string][]string{"lang": {"ja"}, "next": {"/about"}})
	if r.Status != http.StatusSeeOther || r.Location != "/about" {
		t.Fatalf("switch = %d %s", r.Status, r.Location)
	}
	if !strings.Contains(c.Get("/about").Body, `<html lang="ja"`) {
		t.Fatal("visitor's choice not remembered")
	}
	if r := c.PostForm("/lang", "/", map[string][]string{"lang": {"xx"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown language = %d", r.Status)
	}
	// A candidate may read Arabic, right to left.
	c.SignInDemo("candidate")
	c.PostForm("/lang", "/me", map[string][]string{"lang": {"ar"}, "next": {"/me"}})
	if body := c.Get("/me").Body; !strings.Contains(body, `dir="rtl"`) {
		t.Fatal("Arabic page is not right to left")
	}
	// Remembered on the account: a new browser gets it after sign-in.
	c2 := env.ClientFor(t)
	c2.SignInDemo("candidate")
	if !strings.Contains(c2.Get("/me").Body, `<html lang="ar"`) {
		t.Fatal("language not remembered on the account")
	}
}
