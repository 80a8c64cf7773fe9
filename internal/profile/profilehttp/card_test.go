package profilehttp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
)

// companyCardSetup starts the platform with the demo profiles, signs the
// demo company in and returns the card paths of candidates visible to
// companies and the session's Cookie header.
func companyCardSetup(tb testing.TB) (*apptest.Env, []string, string) {
	tb.Helper()
	env := apptest.New(tb, apptest.Options{Seed: true})
	mustSeedProfiles(tb, env)
	c := env.ClientFor(tb)
	c.SignInDemo("company")
	var ids []int64
	if err := env.App.DB.Select(&ids, `SELECT id FROM candidates WHERE visibility = 'companies' ORDER BY id`); err != nil {
		tb.Fatal(err)
	}
	if len(ids) == 0 {
		tb.Fatal("no candidate visible to companies")
	}
	paths := make([]string, len(ids))
	for i, id := range ids {
		paths[i] = fmt.Sprintf("/company/candidates/%d", id)
	}
	u, _ := url.Parse(env.URL)
	var parts []string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return env, paths, strings.Join(parts, "; ")
}

// BenchmarkCardPage serves the company's anonymised card page in process
// (no network), signed in as the demo company: its CPU and allocations per
// request, PostgreSQL round trips included.
//
//	go test -run '^$' -bench CardPage -benchmem ./internal/profile/profilehttp/
func BenchmarkCardPage(b *testing.B) {
	env, paths, cookie := companyCardSetup(b)
	h := env.Server.Handler()
	reqs := make([]*http.Request, len(paths))
	for i, p := range paths {
		r := httptest.NewRequest(http.MethodGet, p, nil)
		r.Header.Set("Cookie", cookie)
		r.Header.Set("Accept-Language", "ja")
		reqs[i] = r.WithContext(context.Background())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, reqs[i%len(reqs)])
		if w.Code != http.StatusOK {
			b.Fatalf("%s: status %d", paths[i%len(paths)], w.Code)
		}
	}
}
