package http_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/config"
)

// tcpProxy forwards connections from its address to target, until Cut
// closes every connection and stops listening (the port then refuses, as a
// stopped PostgreSQL does); Restore listens on the same address again.
type tcpProxy struct {
	tb     testing.TB
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

func newTCPProxy(tb testing.TB, target string) *tcpProxy {
	tb.Helper()
	p := &tcpProxy{tb: tb, target: target, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	tb.Cleanup(p.Cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", p.target)
			if err != nil {
				in.Close()
				continue
			}
			p.mu.Lock()
			if p.ln != ln {
				p.mu.Unlock()
				in.Close()
				out.Close()
				return
			}
			p.conns[in], p.conns[out] = true, true
			p.mu.Unlock()
			pipe := func(dst, src net.Conn) {
				io.Copy(dst, src)
				dst.Close()
				src.Close()
			}
			go pipe(in, out)
			go pipe(out, in)
		}
	}()
}

// Cut stops listening and closes every forwarded connection.
func (p *tcpProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// Restore listens on the proxy's address again.
func (p *tcpProxy) Restore() {
	p.tb.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port may linger a moment
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		p.tb.Fatalf("listen again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// TestDatabaseOutage: with PostgreSQL out of reach, pages and the API answer
// 503 with Retry-After (never 500), /readyz fails naming postgres, and all
// recover once it is back, without a restart.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	var proxy *tcpProxy
	env := apptest.New(t, apptest.Options{Seed: true, Config: func(cfg *config.Config) {
		u, err := url.Parse(cfg.DatabaseURL)
		if err != nil {
			t.Fatal(err)
		}
		proxy = newTCPProxy(t, u.Host)
		u.Host = proxy.addr
		cfg.DatabaseURL = u.String()
	}})
	c := env.Client()
	c.SignInDemo("coordinator")
	paths := []string{"/coordinator", "/api/v1/me"}
	for _, p := range paths {
		if r := c.Get(p); r.Status != http.StatusOK {
			t.Fatalf("GET %s before the outage: %d", p, r.Status)
		}
	}

	proxy.Cut()
	for _, p := range paths {
		r := c.Get(p)
		if got, want := r.Status, http.StatusServiceUnavailable; got != want {
			t.Errorf("GET %s with the database down: status %d, want %d; body %.300s", p, got, want, r.Body)
			continue
		}
		if r.Header.Get("Retry-After") == "" {
			t.Errorf("GET %s: 503 without Retry-After", p)
		}
		if strings.HasPrefix(p, "/api/") {
			var body struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal([]byte(r.Body), &body); err != nil || body.Error.Code != "unavailable" || body.Error.Message == "" {
				t.Errorf("GET %s: body %s (%v), want error code unavailable with a message", p, r.Body, err)
			}
		}
	}
	r := c.Get("/readyz")
	var ready struct {
		Failing []string
	}
	json.Unmarshal([]byte(r.Body), &ready)
	if r.Status != http.StatusServiceUnavailable || len(ready.Failing) == 0 || ready.Failing[0] != "postgres" {
		t.Errorf("readyz with the database down: %d %s, want 503 failing postgres", r.Status, r.Body)
	}

	proxy.Restore()
	start := time.Now()
	for _, p := range append(paths, "/readyz") {
		for {
			r := c.Get(p)
			if r.Status == http.StatusOK {
				break
			}
			if r.Status != http.StatusServiceUnavailable {
				t.Fatalf("GET %s after the database came back: %d; body %.300s", p, r.Status, r.Body)
			}
			if time.Since(start) > 20*time.Second {
				t.Fatalf("GET %s still %d %v after the database came back", p, r.Status, time.Since(start))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	t.Logf("recovered %v after the database came back", time.Since(start))
}
