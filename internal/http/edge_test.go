package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/config"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
	"github.com/tsunagu-org/tsunagu/web"
)

// walkRoles are the roles TestEveryRouteRefusesMalformedInput walks as;
// "" is a visitor.
var walkRoles = []string{"", "candidate", "company", "coordinator", "admin"}

// TestEveryRouteRefusesMalformedInput sends malformed input (NUL bytes,
// invalid UTF-8, control characters, wrong types, huge values, bodies over
// the limit) to every route of the real router, as a visitor and as each
// signed-in role, in the path, the query, a form, a multipart form and a
// JSON body, and asserts that no answer is a 5xx.
func TestEveryRouteRefusesMalformedInput(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	fields := inputFieldNames(t, env)
	waitForSuggestions(t, env)
	routes := env.Server.Engine().Routes()
	// Signing out ends the walk's session: last.
	sort.SliceStable(routes, func(i, j int) bool {
		return routes[i].Path != "/signout" && routes[j].Path == "/signout"
	})
	total := 0
	var failures []string
	for _, role := range walkRoles {
		c := env.ClientFor(t)
		if role != "" {
			c.SignInDemo(role)
		}
		csrf := pageCSRF(t, c)
		for _, rt := range routes {
			// Malformed path parameters with no query or body; malformed
			// queries and bodies on the path with good parameters.
			paths := malformedPaths(rt.Path)
			reqs := malformedRequests(rt.Method, paths[0], fields, csrf)
			for _, p := range paths[1:] {
				reqs = append(reqs, walkRequest{Method: rt.Method, URL: p, CSRF: csrf})
			}
			for _, req := range reqs {
				total++
				status, err := send(c, env.URL, req)
				if err != nil || status >= 500 {
					failures = append(failures, fmt.Sprintf("%s %s as %q (%s, %d bytes): %d %v", req.Method, shorten(req.URL), role, req.ContentType, len(req.Body), status, err))
				}
			}
		}
	}
	t.Logf("%d malformed requests over %d routes as %d roles", total, len(routes), len(walkRoles))
	if len(failures) > 0 {
		if len(failures) > 60 {
			t.Errorf("... and %d more", len(failures)-60)
			failures = failures[:60]
		}
		t.Errorf("%d answers were 5xx or failed:\n%s", len(failures), strings.Join(failures, "\n"))
	}
}

var csrfMetaRe = regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)

// pageCSRF returns the CSRF token of c's session (or visitor cookie).
func pageCSRF(t *testing.T, c *apptest.Client) string {
	t.Helper()
	path := "/"
	for i := 0; i < 4; i++ {
		r := c.Get(path)
		if r.Status == http.StatusSeeOther || r.Status == http.StatusFound {
			path = r.Location
			continue
		}
		if m := csrfMetaRe.FindStringSubmatch(r.Body); m != nil {
			return m[1]
		}
		break
	}
	return c.CSRF("/signin")
}

// inputFieldNames lists every form field of the templates and every
// property and parameter of the OpenAPI document.
func inputFieldNames(t *testing.T, env *apptest.Env) []string {
	t.Helper()
	set := map[string]bool{}
	nameRe := regexp.MustCompile(`name="([a-z_.\[\]0-9]+)"`)
	fs.WalkDir(web.Templates, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(web.Templates, p)
		for _, m := range nameRe.FindAllStringSubmatch(string(b), -1) {
			set[m[1]] = true
		}
		return nil
	})
	r := env.Client().Get("/api/v1/openapi.json")
	var doc any
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if props, ok := v["properties"].(map[string]any); ok {
				for k := range props {
					set[k] = true
				}
			}
			if n, ok := v["name"].(string); ok {
				if in, _ := v["in"].(string); in == "query" {
					set[n] = true
				}
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
	delete(set, "csrf_token")
	delete(set, "csrf-token")
	delete(set, "viewport")
	names := make([]string, 0, len(set))
	for k := range set {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) < 40 {
		t.Fatalf("only %d field names found", len(names))
	}
	return names
}

// malformedPaths fills the path parameters of a route pattern with a good
// value and with malformed ones.
func malformedPaths(pattern string) []string {
	if !strings.Contains(pattern, ":") && !strings.Contains(pattern, "*") {
		return []string{pattern}
	}
	var out []string
	for _, v := range []string{"1", "%00", "%FF", "a%0Ab", "99999999999999999999999", "-1"} {
		parts := strings.Split(pattern, "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") {
				parts[i] = v
			} else if strings.HasPrefix(p, "*") {
				parts[i] = "x/" + v
			}
		}
		out = append(out, strings.Join(parts, "/"))
	}
	return out
}

// Malformed values: a NUL byte, an invalid UTF-8 byte, other control
// characters, a huge text, a huge number and a wrong type.
var malformedValues = []string{"a\x00b", "a\xffb", "\x1b[31m\x7f\u0085", strings.Repeat("長", 1500), "99999999999999999999999999", "-1e400"}

// singleFields are the free-text fields sent malformed one at a time.
var singleFields = []string{"email", "password", "display_name", "name", "title", "headline", "note", "comment", "description", "q", "label", "reason"}

type walkRequest struct {
	Method, URL, ContentType string
	Body                     []byte
	CSRF                     string
}

// malformedRequests builds the requests sent to one route at path p.
func malformedRequests(method, p string, fields []string, csrf string) []walkRequest {
	query := func(v string) string {
		q := url.Values{}
		for _, f := range fields {
			q.Set(f, v)
		}
		return p + "?" + q.Encode()
	}
	out := []walkRequest{{Method: method, URL: p, CSRF: csrf}}
	// One malformed field alone, so no other field's error answers first.
	for _, v := range []string{"%00", "%FF", "99999999999999999999999999"} {
		out = append(out, walkRequest{Method: method, URL: p + "?q=" + v + "&company_id=" + v, CSRF: csrf})
	}
	for _, v := range malformedValues {
		if len(v) > 1000 {
			v = v[:300] // a URL of a few kB: the huge value goes in bodies
		}
		out = append(out, walkRequest{Method: method, URL: query(v), CSRF: csrf})
	}
	if method == http.MethodGet || method == http.MethodHead {
		return out
	}
	form := func(v string) []byte {
		q := url.Values{}
		for _, f := range fields {
			q.Set(f, v)
		}
		q.Set("csrf_token", csrf)
		return []byte(q.Encode())
	}
	for _, v := range malformedValues {
		out = append(out, walkRequest{Method: method, URL: p, ContentType: "application/x-www-form-urlencoded", Body: form(v), CSRF: csrf})
	}
	for _, f := range singleFields {
		q := url.Values{f: {"a\x00b"}, "csrf_token": {csrf}}
		out = append(out, walkRequest{Method: method, URL: p, ContentType: "application/x-www-form-urlencoded", Body: []byte(q.Encode()), CSRF: csrf})
		out = append(out, walkRequest{Method: method, URL: p, ContentType: "application/json", Body: []byte(fmt.Sprintf(`{%q:"a\u0000b"}`, f)), CSRF: csrf})
	}
	// Multipart: every field malformed and a file that is not text.
	var mb bytes.Buffer
	mw := multipart.NewWriter(&mb)
	for _, f := range fields {
		mw.WriteField(f, "a\x00\xff")
	}
	mw.WriteField("csrf_token", csrf)
	fw, _ := mw.CreateFormFile("file", "x\x00.csv")
	fw.Write([]byte("name,email\n\x00\xff,\x00\n"))
	mw.Close()
	out = append(out, walkRequest{Method: method, URL: p, ContentType: mw.FormDataContentType(), Body: mb.Bytes(), CSRF: csrf})
	// JSON: escaped NUL, raw invalid UTF-8, wrong types, huge numbers,
	// nested depth, not an object, and a body over any limit.
	obj := func(v string) []byte {
		var b bytes.Buffer
		b.WriteString("{")
		for i, f := range fields {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "%q:%s", f, v)
		}
		b.WriteString("}")
		return b.Bytes()
	}
	for _, body := range [][]byte{
		obj(`"a\u0000b"`), obj("\"a\xffb\""), obj(`"\u001b\u0007"`), obj(`{"x":[1]}`), obj(`[{"label":"\u0000","level":-99999999999}]`),
		obj(`99999999999999999999999`), obj(`1e400`), obj(`true`), obj(`null`),
		[]byte(`[1,2,3]`), []byte(`"\u0000"`), []byte(strings.Repeat("[", 100000)),
		append(append([]byte(`{"name":"`), bytes.Repeat([]byte("x"), 1<<20+1000)...), '"', '}'),
	} {
		out = append(out, walkRequest{Method: method, URL: p, ContentType: "application/json", Body: body, CSRF: csrf})
	}
	return out
}

// send sends one walk request with c's cookies and returns its status.
func send(c *apptest.Client, base string, w walkRequest) (int, error) {
	req, err := http.NewRequest(w.Method, base+w.URL, bytes.NewReader(w.Body))
	if err != nil {
		return 0, err
	}
	if w.ContentType != "" {
		req.Header.Set("Content-Type", w.ContentType)
	}
	req.Header.Set("X-CSRF-Token", w.CSRF)
	req.Header.Set("Accept-Language", "en")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

func shorten(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}

// TestBadTextRefusedAtTheEdge: a NUL byte, invalid UTF-8 or a control
// character anywhere in a request's text is a 422 on that field, in the
// user's language, never a 500; PostgreSQL's own refusal (22021) is
// invalid input too.
func TestBadTextRefusedAtTheEdge(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	coord := env.ClientFor(t)
	coord.SignInDemo("coordinator")

	t.Run("ErrQueryNUL", func(t *testing.T) {
		r := coord.Get("/api/v1/roles?q=%00")
		if got, want := r.Status, http.StatusUnprocessableEntity; got != want {
			t.Fatalf("status = %d, want %d: %s", got, want, r.Body)
		}
		var e struct {
			Error struct {
				Code   string            `json:"code"`
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}
		if err := json.Unmarshal([]byte(r.Body), &e); err != nil {
			t.Fatal(err)
		}
		// The coordinator's own language (Japanese) in the API too.
		if got, want := e.Error.Fields["q"], "使用できない文字"; !strings.HasPrefix(got, want) {
			t.Fatalf("fields[q] = %q, want %q...", got, want)
		}
	})
	t.Run("ErrQueryInvalidUTF8InFrench", func(t *testing.T) {
		c := env.ClientFor(t)
		c.Lang = "fr"
		r := c.Get("/signin?next=%FF")
		if got, want := r.Status, http.StatusUnprocessableEntity; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		if !strings.Contains(r.Body, "« next » contient des caractères non autorisés") {
			t.Fatalf("no French message naming the field in the page")
		}
	})
	t.Run("ErrSignInEmailNUL", func(t *testing.T) {
		c := env.ClientFor(t)
		r := c.PostForm("/signin", "", url.Values{"email": {"\x00"}, "password": {"x"}})
		if got, want := r.Status, http.StatusUnprocessableEntity; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		if !strings.Contains(r.Body, "email") || !strings.Contains(r.Body, "not allowed") {
			t.Fatalf("the page does not name the field")
		}
	})
	t.Run("ErrFormFieldRawFF", func(t *testing.T) {
		c := env.ClientFor(t)
		r := c.PostForm("/signup", "", url.Values{"role": {"candidate"}, "display_name": {"Ali\xff"},
			"email": {"ali-ff@example.org"}, "password": {"correct horse 42"}, "password_confirm": {"correct horse 42"}})
		if got, want := r.Status, http.StatusUnprocessableEntity; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		if !strings.Contains(r.Body, "display_name") {
			t.Fatalf("the page does not name the field")
		}
	})
	t.Run("ErrJSONEscapedNUL", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, "/api/v1/tokens", strings.NewReader(`{"name":"a\u0000b"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", pageCSRF(t, coord))
		r := coord.Do(req)
		if got, want := r.Status, http.StatusUnprocessableEntity; got != want {
			t.Fatalf("status = %d, want %d: %s", got, want, r.Body)
		}
		if !strings.Contains(r.Body, `"name":`) {
			t.Fatalf("no error on field name: %s", r.Body)
		}
	})
	t.Run("ErrJSONRawInvalidUTF8", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, "/api/v1/tokens", strings.NewReader("{\"name\":\"a\xffb\"}"))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", pageCSRF(t, coord))
		r := coord.Do(req)
		if got, want := r.Status, http.StatusUnprocessableEntity; got != want {
			t.Fatalf("status = %d, want %d: %s", got, want, r.Body)
		}
		if !strings.Contains(r.Body, `"name":`) {
			t.Fatalf("no error on field name: %s", r.Body)
		}
	})
	t.Run("ErrPathParam", func(t *testing.T) {
		for _, p := range []string{"/password/reset/%00", "/password/reset/%FF", "/static/x/%FF"} {
			if r := env.ClientFor(t).Get(p); r.Status >= 500 {
				t.Errorf("GET %s: status %d", p, r.Status)
			}
		}
	})
	t.Run("HugeNumbersNo500", func(t *testing.T) {
		for _, p := range []string{"/roles?offset=99999999999999999999999999", "/api/v1/roles?offset=99999999999999999999999999&limit=99999999999999999999999999",
			"/roles?company_id=99999999999999999999999999&status=99999999999999999999999999&q=99999999999999999999999999&offset=99999999999999999999999999&limit=99999999999999999999999999"} {
			if r := coord.Get(p); r.Status >= 500 {
				t.Errorf("GET %s: status %d", p, r.Status)
			}
		}
	})
	t.Run("Postgres22021IsInvalid", func(t *testing.T) {
		_, err := env.App.DB.QueueMail(context.Background(), "x@example.org", "a\xffb", "")
		if got, want := tsunagu.ErrorCode(err), tsunagu.EINVALID; got != want {
			t.Fatalf("code = %q, want %q (%v)", got, want, err)
		}
	})
}

// waitForSuggestions waits until the taxonomy suggestions have loaded
// (until then they answer 503, on purpose).
func waitForSuggestions(t *testing.T, env *apptest.Env) {
	t.Helper()
	c := env.ClientFor(t)
	c.SignInDemo("candidate")
	// Building the suggestion index from ESCO takes seconds alone and
	// minutes under -race on two busy cores (it once took over two).
	deadline := time.Now().Add(5 * time.Minute)
	for c.Get("/api/v1/taxonomy/skills?q=java").Status == http.StatusServiceUnavailable {
		if time.Now().After(deadline) {
			t.Fatalf("taxonomy suggestions still starting after 5 minutes")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// countingReader yields n bytes of filler and counts what was read. The
// transport may still be reading it after the response came back, so the
// count the test looks at is atomic.
type countingReader struct {
	n, filled int64
	prefix    []byte
	sent      atomic.Int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	if len(r.prefix) > 0 {
		k := copy(p, r.prefix)
		r.prefix = r.prefix[k:]
		r.sent.Add(int64(k))
		return k, nil
	}
	if r.filled >= r.n {
		return 0, io.EOF
	}
	k := int64(len(p))
	if k > r.n-r.filled {
		k = r.n - r.filled
	}
	for i := range p[:k] {
		p[i] = 'x'
	}
	r.filled += k
	r.sent.Add(k)
	return int(k), nil
}

// TestBodyLimit: every body is capped before anything parses it; a larger
// one is answered 413 and nothing of it is written to disk.
func TestBodyLimit(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where mime/multipart would spill a big upload
	env := apptest.New(t, apptest.Options{Seed: true})

	multipartBody := func(size int64, chunked bool) (*http.Request, *countingReader) {
		boundary := "xxBOUNDARYxx"
		head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@example.org\r\n" +
			"--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
		body := &countingReader{n: size, prefix: []byte(head)}
		req, _ := http.NewRequest(http.MethodPost, env.URL+"/signup", body)
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		if !chunked {
			req.ContentLength = size + int64(len(head))
		}
		return req, body
	}
	for _, tc := range []struct {
		name    string
		chunked bool
	}{{"ErrDeclared300MB", false}, {"ErrChunked300MB", true}} {
		t.Run(tc.name, func(t *testing.T) {
			req, body := multipartBody(300<<20, tc.chunked)
			resp, err := env.ClientFor(t).HTTP.Do(req)
			switch {
			case err != nil && tc.chunked && (strings.Contains(err.Error(), "reset") || strings.Contains(err.Error(), "broken pipe")):
				// The server answered 413 and closed the connection while
				// the client was still sending; a client writing a body
				// nobody reads may see the reset before the answer.
			case err != nil:
				t.Fatalf("post: %v (after %d bytes)", err, body.sent.Load())
			default:
				resp.Body.Close()
				if got, want := resp.StatusCode, http.StatusRequestEntityTooLarge; got != want {
					t.Fatalf("status = %d, want %d", got, want)
				}
			}
			if sent := body.sent.Load(); sent > 64<<20 {
				t.Errorf("the client sent %d MB before the refusal", sent>>20)
			}
			spilled, _ := os.ReadDir(tmp)
			for _, f := range spilled {
				t.Errorf("written to disk: %s", f.Name())
			}
		})
	}
	t.Run("ErrJSONOverLimit", func(t *testing.T) {
		c := env.ClientFor(t)
		c.SignInDemo("coordinator")
		big := `{"name":"` + strings.Repeat("x", 2<<20) + `"}`
		req, _ := http.NewRequest(http.MethodPost, "/api/v1/tokens", strings.NewReader(big))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", pageCSRF(t, c))
		r := c.Do(req)
		if got, want := r.Status, http.StatusRequestEntityTooLarge; got != want {
			t.Fatalf("status = %d, want %d: %.200s", got, want, r.Body)
		}
		if !strings.Contains(r.Body, `"too_large"`) {
			t.Fatalf("body: %.300s", r.Body)
		}
	})
	t.Run("ErrFormOverLimit", func(t *testing.T) {
		c := env.ClientFor(t)
		r := c.PostForm("/signin", "", url.Values{"email": {strings.Repeat("x", 2<<20)}, "password": {"x"}})
		if got, want := r.Status, http.StatusRequestEntityTooLarge; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
	})
	t.Run("UploadRouteTakesMore", func(t *testing.T) {
		c := env.ClientFor(t)
		c.SignInDemo("coordinator")
		csrf := pageCSRF(t, c)
		post := func(size int) int {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			mw.WriteField("csrf_token", csrf)
			fw, _ := mw.CreateFormFile("file", "people.csv")
			fw.Write([]byte("name,email\n"))
			fw.Write(bytes.Repeat([]byte("a,b\n"), size/4))
			mw.Close()
			req, _ := http.NewRequest(http.MethodPost, "/api/v1/imports", &b)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("X-CSRF-Token", csrf)
			return c.Do(req).Status
		}
		if got := post(2 << 20); got == http.StatusRequestEntityTooLarge || got >= 500 {
			t.Fatalf("a 2 MB spreadsheet: status %d", got)
		}
		if got, want := post(8<<20), http.StatusRequestEntityTooLarge; got != want {
			t.Fatalf("an 8 MB spreadsheet: status %d, want %d", got, want)
		}
	})
}

// browserResolve resolves a Location header against base as a browser
// does: tabs and newlines removed, backslashes read as slashes.
func browserResolve(base, loc string) (*url.URL, error) {
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(strings.TrimSpace(loc))
	b, _ := url.Parse(base)
	u, err := url.Parse(loc)
	if err != nil {
		return nil, err
	}
	return b.ResolveReference(u), nil
}

// TestNoOpenRedirect: ?next= after sign-in and after a language switch
// leads only to a path of this site, as a browser resolves it.
func TestNoOpenRedirect(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	base, _ := url.Parse(env.URL)
	evil := []string{
		"/\t/evil.example", "/%09/evil.example", "/\n/evil.example", "/\r\n/evil.example", "//evil.example",
		"/\\evil.example", "\\/evil.example", "\\\\evil.example", "/\\/evil.example", "https://evil.example/",
		" //evil.example", "javascript:alert(1)", "/./\t/evil.example", "///evil.example", "/%2F%2Fevil.example",
		"http:/evil.example", "/\x00/evil.example",
	}
	check := func(t *testing.T, r *apptest.Response, next string) {
		t.Helper()
		if r.Status != http.StatusSeeOther {
			t.Fatalf("next %q: status %d", next, r.Status)
		}
		u, err := browserResolve(env.URL, r.Location)
		if err != nil || u.Host != base.Host || u.Scheme != base.Scheme {
			t.Errorf("next %q: redirected to %q, which a browser opens as %v", next, r.Location, u)
		}
	}
	t.Run("SignIn", func(t *testing.T) {
		for _, next := range evil {
			c := env.ClientFor(t)
			if strings.ContainsRune(next, 0) {
				continue // refused at the edge (422) before any redirect
			}
			r := c.PostForm("/signin", "/signin", url.Values{"email": {"candidate@demo.tsunagu.jp"}, "password": {seed.DemoPassword}, "next": {next}})
			check(t, r, next)
		}
	})
	t.Run("Lang", func(t *testing.T) {
		c := env.ClientFor(t)
		for _, next := range evil {
			if strings.ContainsRune(next, 0) {
				continue
			}
			check(t, c.PostForm("/lang", "/signin", url.Values{"lang": {"en"}, "next": {next}}), next)
		}
	})
	t.Run("LocalPathKept", func(t *testing.T) {
		c := env.ClientFor(t)
		r := c.PostForm("/lang", "/signin", url.Values{"lang": {"en"}, "next": {"/roles?q=a%20b&page=2"}})
		if got, want := r.Location, "/roles?q=a%20b&page=2"; got != want {
			t.Fatalf("location = %q, want %q", got, want)
		}
	})
}

// TestResponseHeaders: answers that may carry personal data are not
// cached; HSTS outside development; /static lists no folder; /metrics is
// not public.
func TestResponseHeaders(t *testing.T) {
	t.Parallel()
	dev := apptest.New(t, apptest.Options{Seed: true})
	prod := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.Dev = false }})
	tokened := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.Dev = false; c.MetricsToken = "scrape-me-0123456789" }})

	t.Run("NoStore", func(t *testing.T) {
		c := dev.ClientFor(t)
		c.SignInDemo("coordinator")
		for _, p := range []string{"/me", "/api/v1/me", "/roles", "/api/v1/roles", "/signin"} {
			r := c.Get(p)
			if got := r.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("GET %s (%d): Cache-Control = %q, want no-store", p, r.Status, got)
			}
		}
		if got := c.Get("/static/app.css").Header.Get("Cache-Control"); !strings.HasPrefix(got, "public") {
			t.Errorf("static asset: Cache-Control = %q, want public", got)
		}
	})
	t.Run("HSTSOutsideDevelopment", func(t *testing.T) {
		if got := prod.ClientFor(t).Get("/signin").Header.Get("Strict-Transport-Security"); !strings.Contains(got, "max-age=") {
			t.Errorf("production: Strict-Transport-Security = %q", got)
		}
		if got := dev.ClientFor(t).Get("/signin").Header.Get("Strict-Transport-Security"); got != "" {
			t.Errorf("development: Strict-Transport-Security = %q, want none", got)
		}
	})
	t.Run("ErrStaticFolderNotListed", func(t *testing.T) {
		c := dev.ClientFor(t)
		for _, p := range []string{"/static/", "/static/vendor/", "/static/vendor"} {
			r := c.Get(p)
			if r.Status != http.StatusNotFound || strings.Contains(r.Body, "<pre>") {
				t.Errorf("GET %s: status %d, body %.200q", p, r.Status, r.Body)
			}
		}
		if r := c.Get("/static/app.css"); r.Status != http.StatusOK {
			t.Errorf("GET /static/app.css: status %d", r.Status)
		}
	})
	t.Run("ErrMetricsNotPublic", func(t *testing.T) {
		if r := prod.ClientFor(t).Get("/metrics"); r.Status != http.StatusNotFound {
			t.Errorf("production without a token: /metrics status %d, want 404", r.Status)
		}
		c := tokened.ClientFor(t)
		if r := c.Get("/metrics"); r.Status != http.StatusNotFound {
			t.Errorf("no token: /metrics status %d, want 404", r.Status)
		}
		req, _ := http.NewRequest(http.MethodGet, "/metrics", nil)
		req.Header.Set("Authorization", "Bearer wrong")
		if r := c.Do(req); r.Status != http.StatusNotFound {
			t.Errorf("wrong token: /metrics status %d, want 404", r.Status)
		}
		req.Header.Set("Authorization", "Bearer scrape-me-0123456789")
		if r := c.Do(req); r.Status != http.StatusOK || !strings.Contains(r.Body, "tsunagu_http_requests_total") {
			t.Errorf("right token: /metrics status %d", r.Status)
		}
	})
}
