package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/app"
	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/config"
	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/search"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// BenchmarkHTTP measures the web layer on loopback against the real server
// (the app as `tsunagu serve` wires it, PostgreSQL and Redis from the local
// services): requests per second of a role's match page
// (/roles/:id/matches, 20 anonymised cards with the reasons) and of a
// profile page (the company's anonymised card, /company/candidates/:id),
// signed in as a company member, with the population of BenchmarkPlatform
// in the index; and the resident memory of the process afterwards.
//
// The load generator is wrk (Debian package wrk) when it is on PATH, with
// TSUNAGU_BENCH_CONNS connections (default 64) for TSUNAGU_BENCH_SECONDS
// (default 10) per page; without wrk it says so and uses a Go generator
// with as many keep-alive connections. Both share the machine with the
// server, as on a 2-core host. The match page runs twice: over every role
// (each ranked afresh) and over 200 roles revisited (the ranking reused
// while the index is unchanged). Beside each rate, the server's own CPU
// time per request, which tells what two idle cores would serve when the
// machine is busy with other work. TSUNAGU_BENCH_CPUPROFILE=file profiles
// the first match-page run; TSUNAGU_BENCH_PROFILE_CPUPROFILE=file the
// profile-page run, and TSUNAGU_BENCH_PAGES=profile measures that page only.
//
//	make bench   # or: go test -run '^$' -bench HTTP -benchtime 1x ./internal/bench/
//	TSUNAGU_BENCH_CANDIDATES=20000 TSUNAGU_BENCH_ROLES=1000 go test -run '^$' -bench HTTP -benchtime 1x ./internal/bench/
func BenchmarkHTTP(b *testing.B) {
	ctx := context.Background()
	nCand := envInt("TSUNAGU_BENCH_CANDIDATES", 100_000)
	nRoles := envInt("TSUNAGU_BENCH_ROLES", 5_000)
	conns := envInt("TSUNAGU_BENCH_CONNS", 64)
	secs := envInt("TSUNAGU_BENCH_SECONDS", 10)
	const nDBCands = 500 // the profile pages read these from PostgreSQL

	tax, err := taxonomy.Load()
	if err != nil {
		b.Fatal(err)
	}
	res := search.NewResolver(tax)
	pop := Generate(tax, nCand, nRoles)

	dbURL := dbtest.NewDatabaseURL(b)
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()

	// A company whose member signs in, its roles and some candidates in
	// PostgreSQL; every other profile lives in the index only.
	co := &tsunagu.Company{Name: "Bench Company"}
	if err := db.SaveCompany(ctx, co); err != nil {
		b.Fatal(err)
	}
	hash, err := auth.HashPassword("bench-password-2026")
	if err != nil {
		b.Fatal(err)
	}
	user := &tsunagu.User{Email: "company@bench.example", DisplayName: "Bench", PasswordHash: hash, Role: tsunagu.RoleCompany, Locale: "ja"}
	if err := db.CreateUser(ctx, user); err != nil {
		b.Fatal(err)
	}
	if err := db.AddCompanyMember(ctx, co.ID, user.ID); err != nil {
		b.Fatal(err)
	}
	var roleIDs, candIDs []int64
	for _, r := range pop.Roles {
		r.ID, r.CompanyID = 0, co.ID
		if err := db.SaveRole(ctx, r); err != nil {
			b.Fatal(err)
		}
		roleIDs = append(roleIDs, r.ID)
	}
	var candIndexIDs []int64
	for i, c := range pop.Candidates {
		if i < nDBCands {
			c.ID = 0
			c.Visibility = tsunagu.VisibilityCompanies
			if err := db.SaveCandidate(ctx, c); err != nil {
				b.Fatal(err)
			}
			candIDs = append(candIDs, c.ID)
			continue
		}
		c.ID = idOffset + int64(i)
	}
	for _, c := range pop.Candidates {
		candIndexIDs = append(candIndexIDs, c.ID)
	}

	// Build the index where the app keeps it, as a serving process would
	// have it after `tsunagu reindex`, recording the change-log sequence.
	dataDir := b.TempDir()
	t0 := time.Now()
	seq, err := db.LastChangeSeq(ctx)
	if err != nil {
		b.Fatal(err)
	}
	svc, err := search.NewService(db, dbURL, app.SearchDir(dataDir), res)
	if err != nil {
		b.Fatal(err)
	}
	const chunk = 5000
	for i := 0; i < len(pop.Candidates); i += chunk {
		if err := svc.Engine().IndexCandidates(pop.Candidates[i:min(i+chunk, len(pop.Candidates))]); err != nil {
			b.Fatal(err)
		}
	}
	if err := svc.Engine().IndexRoles(pop.Roles); err != nil {
		b.Fatal(err)
	}
	if err := svc.Engine().Apply(nil, seq); err != nil {
		b.Fatal(err)
	}
	if err := svc.Close(); err != nil {
		b.Fatal(err)
	}
	build := time.Since(t0)
	pop = nil
	runtime.GC()

	// The server, wired as `tsunagu serve` wires it.
	env := map[string]string{
		"DATABASE_URL": dbURL, "REDIS_URL": dbtest.NewRedisURL(b), "TSUNAGU_DATA_DIR": dataDir,
		"TSUNAGU_ADDR": "127.0.0.1:0", "TSUNAGU_DEV": "1",
	}
	cfg, err := config.FromEnv(func(k string) string { return env[k] }, nil)
	if err != nil {
		b.Fatal(err)
	}
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	if err := a.StartSearch(ctx); err != nil {
		b.Fatal(err)
	}
	srv, err := a.Server()
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		b.Fatal(err)
	}
	go srv.Serve()
	defer srv.Shutdown(ctx)
	base := "http://" + srv.Addr()
	cookie, err := signIn(base, user.Email, "bench-password-2026")
	if err != nil {
		b.Fatal(err)
	}

	matchPaths := make([]string, len(roleIDs))
	for i, id := range roleIDs {
		matchPaths[i] = fmt.Sprintf("/roles/%d/matches", id)
	}
	cardPaths := make([]string, len(candIDs))
	for i, id := range candIDs {
		cardPaths[i] = fmt.Sprintf("/company/candidates/%d", id)
	}
	// Warm up the index's profile caches as a long-running process has
	// them, and check the pages answer 200 with content.
	for _, id := range candIndexIDs {
		a.Search().Engine().Profile(search.KindCandidate, id)
	}
	for _, id := range roleIDs {
		a.Search().Engine().Profile(search.KindRole, id)
	}
	for _, p := range append(append([]string{}, matchPaths[:5]...), cardPaths[:50]...) {
		if err := get(base+p, cookie); err != nil {
			b.Fatal(err)
		}
	}
	revisit := matchPaths[:min(len(matchPaths), 200)]
	runtime.GC()
	debug.FreeOSMemory()
	rssBefore := rssMiB()

	wrk, wrkErr := exec.LookPath("wrk")
	tool := "wrk " + fmt.Sprintf("-t2 -c%d -d%ds", conns, secs)
	if wrkErr != nil {
		tool = fmt.Sprintf("Go load generator, %d connections, %d s (wrk not found on PATH: apt-get install -y wrk)", conns, secs)
		fmt.Fprintln(os.Stderr, "BenchmarkHTTP: wrk not found on PATH; using the built-in Go load generator")
	}
	// The server's own CPU time per request (this process), so a run on a
	// busy machine still tells what two idle cores would serve.
	load := func(paths []string) (float64, string, error) {
		cpu0 := cpuTime()
		var rps float64
		var lat string
		var err error
		if wrkErr == nil {
			rps, lat, err = runWrk(b, wrk, base, cookie, paths, conns, secs)
		} else {
			rps, err = goLoad(base, cookie, paths, conns, time.Duration(secs)*time.Second)
		}
		if err == nil && rps > 0 {
			perReq := (cpuTime() - cpu0).Seconds() / (rps * float64(secs))
			lat += fmt.Sprintf(", server CPU %.2f ms/req", perReq*1000)
		}
		return rps, lat, err
	}
	var matchRPS, againRPS float64
	var matchLat, againLat string
	if os.Getenv("TSUNAGU_BENCH_PAGES") != "profile" {
		if p := os.Getenv("TSUNAGU_BENCH_CPUPROFILE"); p != "" {
			if f, err := os.Create(p); err == nil {
				pprof.StartCPUProfile(f)
				defer f.Close()
			}
		}
		// Each role in turn: every request ranks. A fast run wraps past the
		// 5,000 roles, but by then the match cache (2,000 rankings, emptied
		// when full) no longer holds the first ones, so they rank again.
		matchRPS, matchLat, err = load(matchPaths)
		pprof.StopCPUProfile()
		if err != nil {
			b.Fatal(err)
		}
		// Roles revisited: the ranking is reused while the index is unchanged.
		for _, p := range revisit {
			if err := get(base+p, cookie); err != nil {
				b.Fatal(err)
			}
		}
		againRPS, againLat, err = load(revisit)
		if err != nil {
			b.Fatal(err)
		}
	}
	// The profile page: TSUNAGU_BENCH_PAGES=profile runs it alone and
	// TSUNAGU_BENCH_PROFILE_CPUPROFILE=file profiles it.
	if p := os.Getenv("TSUNAGU_BENCH_PROFILE_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
			defer f.Close()
		}
	}
	cardRPS, cardLat, err := load(cardPaths)
	pprof.StopCPUProfile()
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	debug.FreeOSMemory()
	rss := rssMiB()

	fmt.Printf("\nHTTP on loopback: %d candidates, %d roles in the index (built in %.1fs), GOMAXPROCS=%d, %s\n",
		nCand, nRoles, build.Seconds(), runtime.GOMAXPROCS(0), cpuModel())
	fmt.Printf("load: %s, over %d roles (then %d revisited) and %d candidates\n", tool, len(matchPaths), len(revisit), len(cardPaths))
	fmt.Printf("| %-44s | %-16s | %-14s | %-44s |\n", "measure", "tsunagu", "target", "latency p50 / p99, server CPU per request")
	fmt.Printf("|%s|%s|%s|%s|\n", strings.Repeat("-", 46), strings.Repeat("-", 18), strings.Repeat("-", 16), strings.Repeat("-", 46))
	fmt.Printf("| %-44s | %-16s | %-14s | %-44s |\n", "match page, each role once (ranked)", fmt.Sprintf("%.0f req/s", matchRPS), ">= 300 req/s", matchLat)
	fmt.Printf("| %-44s | %-16s | %-14s | %-44s |\n", "match page, roles revisited (ranking reused)", fmt.Sprintf("%.0f req/s", againRPS), ">= 300 req/s", againLat)
	fmt.Printf("| %-44s | %-16s | %-14s | %-44s |\n", "profile page (/company/candidates/:id)", fmt.Sprintf("%.0f req/s", cardRPS), ">= 2,000 req/s", cardLat)
	fmt.Printf("| %-44s | %-16s | %-14s | %-44s |\n", "resident memory (server process, after load)", fmt.Sprintf("%.0f MiB", rss), "<= 1 GiB", fmt.Sprintf("before load %.0f MiB", rssBefore))
	fmt.Println()
	b.ReportMetric(matchRPS, "match-req/s")
	b.ReportMetric(againRPS, "match-revisit-req/s")
	b.ReportMetric(cardRPS, "profile-req/s")
	b.ReportMetric(rss, "rss-MiB")
}

// cpuTime is the CPU time this process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// signIn signs in through the form and returns the Cookie header value.
func signIn(base, email, password string) (string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/signin")
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfInput.FindSubmatch(body)
	if m == nil {
		return "", errors.New("sign-in page has no CSRF token")
	}
	resp, err = c.PostForm(base+"/signin", url.Values{"email": {email}, "password": {password}, "csrf_token": {string(m[1])}})
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("sign in: status %d", resp.StatusCode)
	}
	u, _ := url.Parse(base)
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; "), nil
}

func get(u, cookie string) error {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Cookie", cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(body) < 1000 {
		return fmt.Errorf("GET %s: status %d, %d bytes", u, resp.StatusCode, len(body))
	}
	return nil
}

var (
	wrkRPS = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkLat = regexp.MustCompile(`(?m)^\s+(50|99)%\s+(\S+)`)
	wrkErr = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

// wrkThreads is wrk's -t: two, one per core of the target machine.
const wrkThreads = 2

// runWrk drives paths round-robin with wrk and returns requests/s and the
// p50/p99 latency it reports.
func runWrk(b *testing.B, wrk, base, cookie string, paths []string, conns, secs int) (float64, string, error) {
	var lua strings.Builder
	lua.WriteString("local paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&lua, "  %q,\n", p)
	}
	// Each wrk thread runs its own copy of the script: thread t asks for
	// paths t, t+threads, t+2*threads…, so the threads between them walk
	// the list once instead of each asking for the same path in turn (which
	// made every other "fresh" match page a cache hit).
	fmt.Fprintf(&lua, "}\nlocal threads = %d\nlocal n = 0\n", wrkThreads)
	lua.WriteString("function setup(thread)\n  thread:set(\"first\", n)\n  n = n + 1\nend\n")
	lua.WriteString("local i = nil\nrequest = function()\n  if i == nil then i = first end\n  local p = paths[i % #paths + 1]\n  i = i + threads\n  return wrk.format(\"GET\", p)\nend\n")
	script := filepath.Join(b.TempDir(), "paths.lua")
	if err := os.WriteFile(script, []byte(lua.String()), 0o644); err != nil {
		return 0, "", err
	}
	out, err := exec.Command(wrk, "-t"+strconv.Itoa(wrkThreads), "-c"+strconv.Itoa(conns), "-d"+strconv.Itoa(secs)+"s", "--latency",
		"-H", "Cookie: "+cookie, "-s", script, base+"/").CombinedOutput()
	if err != nil {
		return 0, "", fmt.Errorf("wrk: %v\n%s", err, out)
	}
	if m := wrkErr.FindSubmatch(out); m != nil {
		return 0, "", fmt.Errorf("wrk: %s responses were not 2xx/3xx\n%s", m[1], out)
	}
	m := wrkRPS.FindSubmatch(out)
	if m == nil {
		return 0, "", fmt.Errorf("wrk: no Requests/sec in\n%s", out)
	}
	rps, _ := strconv.ParseFloat(string(m[1]), 64)
	lat := map[string]string{}
	for _, l := range wrkLat.FindAllSubmatch(out, -1) {
		lat[string(l[1])] = string(l[2])
	}
	return rps, lat["50"] + " / " + lat["99"], nil
}

// goLoad drives paths round-robin with conns keep-alive connections for d
// and returns requests/s; any non-200 answer fails it.
func goLoad(base, cookie string, paths []string, conns int, d time.Duration) (float64, error) {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	defer tr.CloseIdleConnections()
	var n, next atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				p := paths[int(next.Add(1))%len(paths)]
				req, _ := http.NewRequest(http.MethodGet, base+p, nil)
				req.Header.Set("Cookie", cookie)
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("GET %s: status %d", p, resp.StatusCode)
					}
				}
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		return 0, err
	}
	return float64(n.Load()) / time.Since(t0).Seconds(), nil
}
