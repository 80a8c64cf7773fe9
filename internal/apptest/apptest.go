// Package apptest starts the whole platform for a test: a fresh migrated
// database, its own Redis database, an index folder, the real router on an
// httptest server, and clients that keep cookies and send the CSRF token
// like a browser.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/app"
	"github.com/tsunagu-org/tsunagu/internal/config"
	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/seed"
)

// Env is a running platform for one test.
type Env struct {
	TB     testing.TB
	App    *app.App
	Server *thttp.Server
	HTTP   *httptest.Server
	URL    string
}

// Options adjust the environment.
type Options struct {
	// Worker starts the background worker too.
	Worker bool
	// Config edits the configuration before the app is built.
	Config func(*config.Config)
	// Seed loads the demo users (seed.Users).
	Seed bool
}

// New starts the platform; everything stops when tb ends.
func New(tb testing.TB, opt Options) *Env {
	tb.Helper()
	dbURL := dbtest.NewDatabaseURL(tb)
	redisURL := dbtest.NewRedisURL(tb)
	env := map[string]string{
		"DATABASE_URL":     dbURL,
		"REDIS_URL":        redisURL,
		"TSUNAGU_DATA_DIR": tb.TempDir(),
		"TSUNAGU_DEV":      "1",
		"TSUNAGU_ADDR":     "127.0.0.1:0",
	}
	cfg, err := config.FromEnv(func(k string) string { return env[k] }, nil)
	if err != nil {
		tb.Fatalf("config: %v", err)
	}
	if opt.Config != nil {
		opt.Config(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("TSUNAGU_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	ctx := context.Background()
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		tb.Fatalf("app: %v", err)
	}
	tb.Cleanup(a.Close)
	if opt.Seed {
		if err := seed.Users(ctx, a.DB); err != nil {
			tb.Fatalf("seed: %v", err)
		}
	}
	if err := a.StartSearch(ctx); err != nil {
		tb.Fatalf("search: %v", err)
	}
	srv, err := a.Server()
	if err != nil {
		tb.Fatalf("server: %v", err)
	}
	hs := httptest.NewServer(checkAPI(tb, srv.Handler())) // every /api/v1 answer checked against the OpenAPI document
	tb.Cleanup(hs.Close)
	if opt.Worker {
		w := a.Worker()
		if err := w.Start(ctx); err != nil {
			tb.Fatalf("worker: %v", err)
		}
		tb.Cleanup(w.Shutdown)
	}
	a.Auth.BaseURL = hs.URL
	return &Env{TB: tb, App: a, Server: srv, HTTP: hs, URL: hs.URL}
}

// Client is a cookie-keeping HTTP client that does not follow redirects.
type Client struct {
	env  *Env
	tb   testing.TB
	HTTP *http.Client
	// Lang is sent as Accept-Language ("" sends none).
	Lang string
}

// Client returns a new visitor client that fails e's test on errors.
func (e *Env) Client() *Client { return e.ClientFor(e.TB) }

// ClientFor returns a new visitor client that fails tb (a subtest) on errors.
func (e *Env) ClientFor(tb testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{env: e, tb: tb, Lang: "en", HTTP: &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Response is a read response.
type Response struct {
	Status   int
	Body     string
	Header   http.Header
	Location string
}

// Get fetches path.
func (c *Client) Get(path string) *Response {
	c.tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.env.URL+path, nil)
	return c.do(req)
}

// Do sends req (its URL may be a path).
func (c *Client) Do(req *http.Request) *Response {
	c.tb.Helper()
	if req.URL.Host == "" {
		u, _ := url.Parse(c.env.URL + req.URL.String())
		req.URL = u
	}
	return c.do(req)
}

func (c *Client) do(req *http.Request) *Response {
	c.tb.Helper()
	if c.Lang != "" && req.Header.Get("Accept-Language") == "" {
		req.Header.Set("Accept-Language", c.Lang)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &Response{Status: resp.StatusCode, Body: string(b), Header: resp.Header, Location: resp.Header.Get("Location")}
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// CSRF fetches path and returns the form's CSRF token.
func (c *Client) CSRF(path string) string {
	c.tb.Helper()
	r := c.Get(path)
	m := csrfRe.FindStringSubmatch(r.Body)
	if m == nil {
		c.tb.Fatalf("no csrf token on %s (status %d)", path, r.Status)
	}
	return m[1]
}

// PostForm posts form to path with the CSRF token of the page at from
// ("" means path itself).
func (c *Client) PostForm(path, from string, form url.Values) *Response {
	c.tb.Helper()
	if from == "" {
		from = path
	}
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf_token") == "" {
		form.Set("csrf_token", c.CSRF(from))
	}
	req, _ := http.NewRequest(http.MethodPost, c.env.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// SignIn signs in with email and password, failing the test otherwise.
func (c *Client) SignIn(email, password string) {
	c.tb.Helper()
	r := c.PostForm("/signin", "/signin", url.Values{"email": {email}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		c.tb.Fatalf("sign in %s: status %d", email, r.Status)
	}
}

// SignInDemo signs in as the demo user of role ("candidate", ...).
func (c *Client) SignInDemo(role string) {
	c.tb.Helper()
	for _, d := range seed.DemoUsers {
		if string(d.Role) == role {
			c.SignIn(d.Email, seed.DemoPassword)
			return
		}
	}
	c.tb.Fatalf("no demo user with role %s", role)
}

// SetLanguage chooses the language of the signed-in user's pages (POST
// /lang), failing the test unless it is accepted.
func (c *Client) SetLanguage(lang string) {
	c.tb.Helper()
	if r := c.PostForm("/lang", "/about", url.Values{"lang": {lang}}); r.Status != http.StatusSeeOther {
		c.tb.Fatalf("language: %d", r.Status)
	}
}

// JapanTimePage fetches path and fails the test unless it answers 200,
// shows want, shows none of not (the same times in UTC), and names the zone
// every page shows times in (the client reads English).
func (c *Client) JapanTimePage(path, want string, not ...string) {
	c.tb.Helper()
	r := c.Get(path)
	if r.Status != http.StatusOK {
		c.tb.Fatalf("GET %s: %d", path, r.Status)
	}
	if !strings.Contains(r.Body, want) {
		c.tb.Errorf("%s does not show %q", path, want)
	}
	for _, n := range not {
		if strings.Contains(r.Body, n) {
			c.tb.Errorf("%s shows %q (UTC)", path, n)
		}
	}
	if zone := "All times are Japan time (" + i18n.ZoneName + ")."; !strings.Contains(r.Body, zone) {
		c.tb.Errorf("%s does not name the zone: no %q", path, zone)
	}
}

// StoredTime runs q, which selects one timestamp, and returns it in UTC.
func (e *Env) StoredTime(tb testing.TB, q string, args ...any) time.Time {
	tb.Helper()
	var at time.Time
	if err := e.App.DB.GetContext(context.Background(), &at, q, args...); err != nil {
		tb.Fatal(err)
	}
	return at.UTC()
}
