// Command faultrun holds a running server under load and restarts its
// PostgreSQL in the middle (issue 15): N clients for a duration, each
// reading (a profile, a search, a role's matches) and saving its own
// candidate through the JSON API, while a command given with -restart runs
// at -restart-at. It prints what a reliability note needs: requests, errors
// by status, the error window, acknowledged writes lost (read back from
// PostgreSQL), how long /readyz failed, and the index lag after recovery
// (/metrics, and whether every writer's last acknowledged headline is
// searchable).
//
// It is a tool, not a test: it needs a server of its own (TSUNAGU_DEV=1 so
// /metrics is open, or -metrics-token) on a PostgreSQL it may restart —
// never the shared test cluster. See README "Reliability" for a run.
//
//	go run ./internal/bench/faultrun -url http://127.0.0.1:18080 \
//	  -db postgres://tsunagu@127.0.0.1:25533/tsunagu?sslmode=disable \
//	  -clients 200 -duration 60s -restart-at 30s \
//	  -restart 'runuser -u tsunagu -- pg_ctl -D /tmp/pg -m immediate -w restart'
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "faultrun:", err)
		os.Exit(1)
	}
}

type options struct {
	base, db, email, password, restart, metricsToken string
	clients, writeEvery                              int
	duration, restartAt                              time.Duration
}

func run() error {
	var o options
	flag.StringVar(&o.base, "url", "http://127.0.0.1:18080", "the server")
	flag.StringVar(&o.db, "db", os.Getenv("DATABASE_URL"), "its PostgreSQL, to read back acknowledged writes")
	flag.StringVar(&o.email, "email", "coordinator@demo.tsunagu.jp", "a staff account")
	flag.StringVar(&o.password, "password", "tsunagu-demo-2026", "its password")
	flag.StringVar(&o.restart, "restart", "", "shell command run at -restart-at (restart PostgreSQL)")
	flag.StringVar(&o.metricsToken, "metrics-token", "", "bearer token for /metrics (none: TSUNAGU_DEV=1 server)")
	flag.IntVar(&o.clients, "clients", 200, "concurrent clients")
	flag.IntVar(&o.writeEvery, "write-every", 5, "every n-th request of a client is a save")
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "how long the load runs")
	flag.DurationVar(&o.restartAt, "restart-at", 30*time.Second, "when the restart command runs")
	flag.Parse()

	token, err := apiToken(o)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	tr := &http.Transport{MaxIdleConns: o.clients * 2, MaxIdleConnsPerHost: o.clients * 2, IdleConnTimeout: 90 * time.Second}
	hc := &http.Client{Transport: tr, Timeout: 15 * time.Second}
	cl := &client{hc: hc, base: o.base, token: token}

	// One candidate per writer, and a role whose matches are read.
	writers := make([]*writer, o.clients)
	errs := make(chan error, o.clients)
	sem := make(chan struct{}, 16)
	for i := range writers {
		w := &writer{n: i}
		writers[i] = w
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			body := fmt.Sprintf(`{"name":"Load writer %d","headline":%q,"visibility":"coordinators","summary":"accounting bookkeeping"}`, w.n, w.headline(0))
			st, resp, err := cl.do(http.MethodPost, "/api/v1/candidates?confirm_duplicate=true", body)
			if err != nil || st != http.StatusCreated {
				errs <- fmt.Errorf("create writer %d: %d %v %s", w.n, st, err, resp)
				return
			}
			var rec struct{ ID int64 }
			json.Unmarshal(resp, &rec)
			w.id = rec.ID
		}()
	}
	for range cap(sem) {
		sem <- struct{}{}
	}
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	var roles struct {
		Items []struct{ ID int64 } `json:"items"`
	}
	if _, resp, err := cl.do(http.MethodGet, "/api/v1/roles?limit=20", ""); err == nil {
		json.Unmarshal(resp, &roles)
	}
	fmt.Printf("setup: %d writers, %d roles to match\n", len(writers), len(roles.Items))

	rec := &recorder{status: map[string]int{}}
	start := time.Now()
	rec.start = start
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(o.duration))
	defer cancel()

	var restartStart, restartEnd time.Time
	var restartErr error
	var bg sync.WaitGroup
	if o.restart != "" {
		bg.Add(1)
		go func() {
			defer bg.Done()
			select {
			case <-ctx.Done():
				return
			case <-time.After(o.restartAt):
			}
			restartStart = time.Now()
			// Not CombinedOutput: a postmaster started by the command
			// inherits its output, and a pipe would stay open with it.
			cmd := exec.Command("sh", "-c", o.restart)
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			restartErr = cmd.Run()
			restartEnd = time.Now()
		}()
	}
	probe := &prober{cl: cl, metricsToken: o.metricsToken}
	bg.Add(1)
	go func() { defer bg.Done(); probe.run(ctx, start) }()

	var wg sync.WaitGroup
	for _, w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w.n), 15))
			for i := 0; ctx.Err() == nil; i++ {
				var path, method, body string
				write := i%o.writeEvery == o.writeEvery-1
				switch {
				case write:
					w.attempted++
					method, path = http.MethodPut, "/api/v1/candidates/"+strconv.FormatInt(w.id, 10)
					body = fmt.Sprintf(`{"name":"Load writer %d","headline":%q,"visibility":"coordinators","summary":"accounting bookkeeping"}`, w.n, w.headline(w.attempted))
				case i%3 == 0 && len(roles.Items) > 0:
					method, path = http.MethodGet, fmt.Sprintf("/api/v1/roles/%d/matches?limit=10", roles.Items[rng.IntN(len(roles.Items))].ID)
				case i%3 == 1:
					method, path = http.MethodGet, "/api/v1/candidates/search?q="+[]string{"accounting", "bookkeeping", "welding", "nurse", "software"}[rng.IntN(5)]
				default:
					method, path = http.MethodGet, "/api/v1/candidates/"+strconv.FormatInt(writers[rng.IntN(len(writers))].id, 10)
				}
				t0 := time.Now()
				st, _, err := cl.do(method, path, body)
				rec.add(t0, time.Since(t0), st, err, write)
				if write && err == nil && st == http.StatusOK {
					w.acked = w.attempted
					w.ackCount++
				}
				if err != nil || st >= 500 {
					time.Sleep(100 * time.Millisecond) // a client backs off a little, as a browser's user would
				}
			}
		}()
	}
	wg.Wait()
	end := time.Now()
	cancel()
	bg.Wait()

	// Acknowledged writes, read back.
	db, err := sqlx.Open("postgres", o.db)
	if err != nil {
		return err
	}
	defer db.Close()
	lost, acked, refused := 0, 0, 0
	for _, w := range writers {
		var h string
		if err := db.Get(&h, `SELECT headline FROM candidates WHERE id = $1`, w.id); err != nil {
			return fmt.Errorf("read writer %d: %w", w.n, err)
		}
		got := w.seqOf(h)
		acked += w.ackCount
		refused += w.attempted - w.ackCount
		if got < w.acked {
			lost++
			fmt.Printf("LOST: writer %d acknowledged %d, stored %q\n", w.n, w.acked, h)
		}
		w.stored = got
	}

	// Searchable: every writer's stored headline, found by its token.
	searchStart := time.Now()
	pending := slices.Clone(writers)
	for len(pending) > 0 && time.Since(searchStart) < 60*time.Second {
		var still []*writer
		for _, w := range pending {
			st, resp, err := cl.do(http.MethodGet, "/api/v1/candidates/search?limit=5&q="+w.token(w.stored), "")
			if err != nil || st != http.StatusOK || !bytes.Contains(resp, []byte(`"candidate_id":`+strconv.FormatInt(w.id, 10)+`,`)) {
				still = append(still, w)
			}
		}
		pending = still
		if len(pending) > 0 {
			time.Sleep(500 * time.Millisecond)
		}
	}
	searchTook := time.Since(searchStart)
	lag := probe.metrics()

	// Report.
	fmt.Printf("load: %d clients for %s against %s, every %d-th request a save\n", o.clients, end.Sub(start).Round(time.Millisecond), o.base, o.writeEvery)
	if o.restart != "" {
		fmt.Printf("restart: %q at +%s, took %s (err %v)\n", o.restart, restartStart.Sub(start).Round(time.Millisecond), restartEnd.Sub(restartStart).Round(time.Millisecond), restartErr)
	}
	rec.report(end.Sub(start))
	if !rec.firstErr.IsZero() {
		fmt.Printf("error window (first failed request sent .. last failure answered): +%s .. +%s (%s)", rec.firstErr.Sub(start).Round(time.Millisecond), rec.lastErr.Sub(start).Round(time.Millisecond), rec.lastErr.Sub(rec.firstErr).Round(time.Millisecond))
		if !restartStart.IsZero() {
			fmt.Printf("; the restart command ran +%s .. +%s", restartStart.Sub(start).Round(time.Millisecond), restartEnd.Sub(start).Round(time.Millisecond))
		}
		fmt.Println()
	} else {
		fmt.Println("error window: none")
	}
	probe.report(start)
	fmt.Printf("saves: %d acknowledged (200), %d not (an error or no answer), acknowledged saves lost: %d (writers whose stored headline is older than their last acknowledged save)\n", acked, refused, lost)
	fmt.Printf("after the load: %d of %d writers' stored headlines searchable (checked one by one in %s)", len(writers)-len(pending), len(writers), searchTook.Round(time.Millisecond))
	fmt.Printf("; /metrics then: index lag %s changes, %s s, holes %s\n", lag["tsunagu_index_lag_changes"], lag["tsunagu_index_lag_seconds"], lag["tsunagu_index_holes"])
	if lost > 0 || len(pending) > 0 {
		return errors.New("writes lost or not searchable")
	}
	return nil
}

// writer is one client with its own candidate: its saves set the headline
// to a token naming the client and the save's number.
type writer struct {
	n, attempted, acked, ackCount, stored int
	id                                    int64
}

func (w *writer) token(seq int) string { return fmt.Sprintf("zqw%dq%d", w.n, seq) }
func (w *writer) headline(seq int) string {
	return "Bookkeeper " + w.token(seq)
}

var tokenRe = regexp.MustCompile(`zqw(\d+)q(\d+)`)

// seqOf is the save number a stored headline names (-1: none).
func (w *writer) seqOf(h string) int {
	m := tokenRe.FindStringSubmatch(h)
	if m == nil || m[1] != strconv.Itoa(w.n) {
		return -1
	}
	n, _ := strconv.Atoi(m[2])
	return n
}

type client struct {
	hc          *http.Client
	base, token string
}

func (c *client) do(method, path, body string) (int, []byte, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// apiToken signs in through the form and makes a read-write personal
// access token for the run.
func apiToken(o options) (string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrf := func(path string) (string, error) {
		resp, err := c.Get(o.base + path)
		if err != nil {
			return "", err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := csrfRe.FindSubmatch(b)
		if m == nil {
			return "", fmt.Errorf("%s has no CSRF token (status %d)", path, resp.StatusCode)
		}
		return string(m[1]), nil
	}
	tok, err := csrf("/signin")
	if err != nil {
		return "", err
	}
	resp, err := c.PostForm(o.base+"/signin", url.Values{"email": {o.email}, "password": {o.password}, "csrf_token": {tok}})
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("sign in: status %d", resp.StatusCode)
	}
	if tok, err = csrf("/account/tokens"); err != nil {
		return "", err
	}
	req, _ := http.NewRequest(http.MethodPost, o.base+"/api/v1/tokens", strings.NewReader(`{"name":"faultrun","scope":"read_write","expires_in_days":7}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", tok)
	resp, err = c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &out); err != nil || out.Token == "" {
		return "", fmt.Errorf("create token: status %d %s", resp.StatusCode, b)
	}
	return out.Token, nil
}

// recorder counts answers by status and keeps latencies and the first and
// last failure.
type recorder struct {
	mu                sync.Mutex
	start             time.Time
	status            map[string]int
	lat               []time.Duration
	n, writes         int
	firstErr, lastErr time.Time
}

func (r *recorder) add(at time.Time, d time.Duration, st int, err error, write bool) {
	key := strconv.Itoa(st)
	if err != nil {
		key = "transport error"
		if errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Timeout") {
			key = "timeout"
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	if write {
		r.writes++
	}
	r.status[key]++
	r.lat = append(r.lat, d)
	if err != nil || st >= 400 {
		if r.firstErr.IsZero() {
			r.firstErr = at
		}
		if end := at.Add(d); end.After(r.lastErr) {
			r.lastErr = end
		}
	}
}

func (r *recorder) report(took time.Duration) {
	sort.Slice(r.lat, func(i, j int) bool { return r.lat[i] < r.lat[j] })
	pct := func(p float64) time.Duration {
		if len(r.lat) == 0 {
			return 0
		}
		return r.lat[min(len(r.lat)-1, int(p*float64(len(r.lat))))].Round(100 * time.Microsecond)
	}
	fmt.Printf("requests: %d (%d saves), %.0f/s; latency p50 %s, p99 %s, max %s\n", r.n, r.writes, float64(r.n)/took.Seconds(), pct(0.5), pct(0.99), pct(1))
	var keys []string
	for k := range r.status {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, r.status[k]))
	}
	fmt.Printf("by status: %s\n", strings.Join(parts, ", "))
}

// prober reads /readyz every 100 ms and /metrics every 500 ms.
type prober struct {
	cl           *client
	metricsToken string
	mu           sync.Mutex
	notReady     []time.Time // answers of /readyz other than 200
	readyzBody   string      // the first failing answer
	maxLag       float64
	lagAt        []lagPoint
}

type lagPoint struct {
	at  time.Time
	lag float64
}

func (p *prober) run(ctx context.Context, start time.Time) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	hc := &http.Client{Timeout: 2 * time.Second}
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		resp, err := hc.Get(p.cl.base + "/readyz")
		ok := err == nil && resp.StatusCode == http.StatusOK
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			p.mu.Lock()
			if !ok && p.readyzBody == "" {
				p.readyzBody = strings.TrimSpace(string(b))
			}
			p.mu.Unlock()
		}
		if !ok {
			p.mu.Lock()
			p.notReady = append(p.notReady, time.Now())
			p.mu.Unlock()
		}
		if i%5 == 0 {
			m := p.metrics()
			if v, err := strconv.ParseFloat(m["tsunagu_index_lag_changes"], 64); err == nil {
				p.mu.Lock()
				p.maxLag = max(p.maxLag, v)
				p.lagAt = append(p.lagAt, lagPoint{time.Now(), v})
				p.mu.Unlock()
			}
		}
	}
}

// metrics reads the index gauges of /metrics.
func (p *prober) metrics() map[string]string {
	out := map[string]string{}
	req, _ := http.NewRequest(http.MethodGet, p.cl.base+"/metrics", nil)
	if p.metricsToken != "" {
		req.Header.Set("Authorization", "Bearer "+p.metricsToken)
	}
	resp, err := (&http.Client{Timeout: 2 * time.Second}).Do(req)
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 2 && strings.HasPrefix(f[0], "tsunagu_index_") {
			out[f[0]] = f[1]
		}
	}
	return out
}

func (p *prober) report(start time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.notReady) == 0 {
		fmt.Println("/readyz: 200 throughout")
	} else {
		first, last := p.notReady[0], p.notReady[len(p.notReady)-1]
		fmt.Printf("/readyz: not 200 in %d probes, +%s .. +%s; first failing answer: %s\n", len(p.notReady),
			first.Sub(start).Round(time.Millisecond), last.Sub(start).Round(time.Millisecond), p.readyzBody)
	}
	// The index lag: the highest seen, and when it was last above 0.
	var lastBehind time.Time
	for _, l := range p.lagAt {
		if l.lag > 0 {
			lastBehind = l.at
		}
	}
	fmt.Printf("index lag during the run: at most %.0f changes (sampled every 500 ms)", p.maxLag)
	if !lastBehind.IsZero() {
		fmt.Printf(", last seen behind at +%s", lastBehind.Sub(start).Round(time.Millisecond))
	}
	fmt.Println()
}
