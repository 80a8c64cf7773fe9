// Package e2e drives the platform in a real browser: Debian's headless
// Chromium, through chromedp, against an apptest server.
//
// One Browser per test binary or parent test; one Tab per journey. A Tab
// has its own browser context (its own cookies), so journeys that sign in
// as different users do not see each other, and can run in parallel:
//
//	env := apptest.New(t, apptest.Options{Seed: true})
//	b := e2e.NewBrowser(t)
//	t.Run("candidate", func(t *testing.T) {
//		tab := b.NewTab(t)
//		tab.SignIn(env.URL, "candidate@demo.tsunagu.jp", seed.DemoPassword)
//		if got := tab.Text("main h1"); got != "マイページ" { ... }
//	})
//
// Tab methods fail the test with a clear message; the package functions
// (SignIn, SignOut, SetLanguage, ...) take a tab's Context and return errors
// for journeys that want to handle them. When a test that owns a Tab fails,
// the Tab logs the page's URL and text and saves a screenshot.
//
// The browser is found through TSUNAGU_CHROMIUM, else chromium or
// chromium-browser on PATH (`make test` installs Debian's chromium). A
// missing browser fails the test: it is not skipped.
package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// EnvChromium names the browser executable to use instead of looking on PATH.
const EnvChromium = "TSUNAGU_CHROMIUM"

// EnvArtifacts names a folder that keeps failure screenshots after the test;
// without it they go to the test's temporary folder, removed at its end. (It
// has no TSUNAGU_ prefix: the tsunagu binary refuses unknown TSUNAGU_ names.)
const EnvArtifacts = "E2E_ARTIFACTS_DIR"

// debianLauncher is Debian's /usr/bin/chromium shell script: it sources
// /etc/chromium.d and adds flags of its own (extensions, GPU rasterisation)
// before it execs debianBinary.
const (
	debianLauncher = "/usr/bin/chromium"
	debianBinary   = "/usr/lib/chromium/chromium"
)

// ChromiumPath returns the browser executable: $TSUNAGU_CHROMIUM, else
// chromium or chromium-browser on PATH. Debian's launcher script is replaced
// by the binary it runs, so the browser gets exactly the harness's flags.
func ChromiumPath() (string, error) {
	if p := os.Getenv(EnvChromium); p != "" {
		abs, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvChromium, p, err)
		}
		return abs, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		p, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		if real, err := filepath.EvalSymlinks(p); err == nil && real == debianLauncher && isScript(real) {
			if fi, err := os.Stat(debianBinary); err == nil && fi.Mode()&0o111 != 0 {
				return debianBinary, nil
			}
		}
		return p, nil
	}
	return "", errors.New("no chromium or chromium-browser on PATH and " + EnvChromium + " is unset")
}

func isScript(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 2)
	n, _ := f.Read(head)
	return n == 2 && string(head) == "#!"
}

// Browser is one headless Chromium process shared by the tabs of a test.
type Browser struct {
	// Timeout bounds each Tab helper call (a navigation, a form submit and
	// the page load it causes). Default 15 s.
	Timeout time.Duration

	ctx context.Context // the first tab's context: it owns the browser
}

// Flags are the Chromium command-line switches the harness uses: headless,
// no sandbox (containers, root), no GPU, and nothing that talks to the
// network by itself. chromedp adds --remote-debugging-pipe and about:blank;
// NewBrowser adds a fresh --user-data-dir.
func Flags() []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoDefaultBrowserCheck,
	}
}

// NewBrowser starts Chromium for tb; it stops when tb ends. It fails tb
// (it does not skip) when no browser is installed.
func NewBrowser(tb testing.TB) *Browser {
	tb.Helper()
	path, err := ChromiumPath()
	if err != nil {
		tb.Fatalf("e2e: Chromium not found: %v.\n"+
			"The browser tests need Debian's chromium: run `make test` (it runs deploy/local-services.sh chromium),\n"+
			"or `sudo apt-get install chromium`, or set %s to a Chromium or Chrome executable.", err, EnvChromium)
	}
	// TempDir before the browser's cleanup: cleanups run last-in first-out,
	// so the browser is gone before the folder is removed.
	dir := tb.TempDir()
	out := &syncBuffer{}
	opts := append(Flags(),
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.CombinedOutput(out),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b := &Browser{Timeout: 15 * time.Second, ctx: ctx}
	stop := func() {
		cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
		_ = chromedp.Cancel(cctx) // graceful Browser.close, then wait for the exit
		ccancel()
		cancel()
		allocCancel() // waits for the process
		killLeftovers(dir)
	}
	tb.Cleanup(stop)

	// The first Do starts the browser and ties its life to ctx, so it runs
	// without a deadline; a watchdog stops a browser that never answers.
	start := time.Now()
	watchdog := time.AfterFunc(45*time.Second, allocCancel)
	err = chromedp.Do(ctx)
	stopped := !watchdog.Stop()
	if err != nil || stopped {
		if stopped && err == nil {
			err = errors.New("no answer within 45 s")
		}
		tb.Fatalf("e2e: start %s: %v\nbrowser output:\n%s", path, err, out.String())
	}
	tb.Logf("e2e: %s started in %v", path, time.Since(start).Round(time.Millisecond))
	return b
}

// Tab is one browser tab with its own cookies, owned by one test.
type Tab struct {
	tb  testing.TB
	b   *Browser
	ctx context.Context
}

// Width and Height are the viewport of a new Tab (a laptop screen).
const (
	Width  = 1280
	Height = 800
)

// NewTab opens a tab in a new browser context (fresh cookies and storage)
// with a Width×Height viewport. It closes when tb ends; if tb failed, the
// page's URL, text and a screenshot are saved first.
func (b *Browser) NewTab(tb testing.TB) *Tab {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	p := &Tab{tb: tb, b: b, ctx: ctx}
	tb.Cleanup(func() {
		if tb.Failed() {
			p.saveFailure()
		}
		cancel()
	})
	// The first Do opens the tab and binds it to the context it gets, so it
	// runs on ctx itself, not on a context with a deadline.
	watchdog := time.AfterFunc(b.Timeout, cancel)
	err := chromedp.Do(ctx)
	if !watchdog.Stop() && err == nil {
		err = fmt.Errorf("no tab within %v", b.Timeout)
	}
	if err != nil {
		tb.Fatalf("e2e: open a tab: %v", err)
	}
	p.Do(chromedp.EmulateViewport(Width, Height))
	return p
}

// Context is the tab's chromedp context, for chromedp.Run and Do and the
// package functions. It has no deadline.
func (p *Tab) Context() context.Context { return p.ctx }

// timeout returns the tab's context bounded by the browser's Timeout.
func (p *Tab) timeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, p.b.Timeout)
}

// Do runs actions, failing the test on error.
func (p *Tab) Do(actions ...chromedp.Action[chromedp.Void]) {
	p.tb.Helper()
	ctx, cancel := p.timeout()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.tb.Fatalf("e2e: %v (at %s)", err, p.location())
	}
}

// Run runs one action returning a value, failing the test on error.
func Run[T any](p *Tab, a chromedp.Action[T]) T {
	p.tb.Helper()
	ctx, cancel := p.timeout()
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.tb.Fatalf("e2e: %v (at %s)", err, p.location())
	}
	return v
}

// Navigate opens url and waits for it to load.
func (p *Tab) Navigate(url string) {
	p.tb.Helper()
	p.Do(chromedp.Navigate(url))
}

// Submit clicks the element sel (a CSS selector) and waits for the page it
// loads, failing the test unless that page answers 2xx.
func (p *Tab) Submit(sel string) {
	p.tb.Helper()
	ctx, cancel := p.timeout()
	defer cancel()
	if err := Submit(ctx, sel); err != nil {
		p.tb.Fatalf("e2e: %v (at %s)", err, p.location())
	}
}

// SignIn signs in through the sign-in form at base (the server's URL).
func (p *Tab) SignIn(base, email, password string) {
	p.tb.Helper()
	ctx, cancel := p.timeout()
	defer cancel()
	if err := SignIn(ctx, base, email, password); err != nil {
		p.tb.Fatalf("e2e: %v (at %s)", err, p.location())
	}
}

// SignOut clicks the sign-out button of the page's navigation.
func (p *Tab) SignOut() {
	p.tb.Helper()
	ctx, cancel := p.timeout()
	defer cancel()
	if err := SignOut(ctx); err != nil {
		p.tb.Fatalf("e2e: %v (at %s)", err, p.location())
	}
}

// SetLanguage switches the interface language with the footer switch.
func (p *Tab) SetLanguage(lang string) {
	p.tb.Helper()
	ctx, cancel := p.timeout()
	defer cancel()
	if err := SetLanguage(ctx, lang); err != nil {
		p.tb.Fatalf("e2e: %v (at %s)", err, p.location())
	}
}

// Text returns the visible text of the first element matching sel (CSS).
func (p *Tab) Text(sel string) string {
	p.tb.Helper()
	return strings.TrimSpace(Run(p, chromedp.Text(chromedp.CSS(sel))))
}

// Lang returns the page's <html lang>.
func (p *Tab) Lang() string {
	p.tb.Helper()
	return Run(p, chromedp.Evaluate[string](`document.documentElement.lang`))
}

// Path returns the path (and query) of the page's URL.
func (p *Tab) Path() string {
	p.tb.Helper()
	u, err := url.Parse(Run(p, chromedp.Location()))
	if err != nil {
		p.tb.Fatalf("e2e: location: %v", err)
	}
	return u.RequestURI()
}

// location is the page's URL for error messages ("?" when unknown).
func (p *Tab) location() string {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	return loc
}

// saveFailure logs the page's URL and text and saves one screenshot.
func (p *Tab) saveFailure() {
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if len(text) > 2000 {
		text = text[:2000] + "…"
	}
	p.tb.Logf("e2e: page at failure: %s\n%s", loc, text)
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.tb.Logf("e2e: screenshot: %v", err)
		return
	}
	dir := os.Getenv(EnvArtifacts)
	if dir == "" {
		dir = p.tb.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		p.tb.Logf("e2e: screenshot: %v", err)
		return
	}
	name := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(p.tb.Name())+".png")
	if err := os.WriteFile(name, png, 0o644); err != nil {
		p.tb.Logf("e2e: screenshot: %v", err)
		return
	}
	hint := ""
	if os.Getenv(EnvArtifacts) == "" {
		hint = " (removed with the test's folder; set " + EnvArtifacts + "=dir to keep it)"
	}
	p.tb.Logf("e2e: screenshot %s%s", name, hint)
}

// Submit clicks the element sel (a CSS selector, usually a submit button)
// and waits for the page it loads; a non-2xx answer is an error.
func Submit(ctx context.Context, sel string) error {
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		return fmt.Errorf("submit %s: %w", sel, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		return fmt.Errorf("submit %s: %s answered %d", sel, resp.URL, resp.Status)
	}
	return nil
}

// SignIn opens base+"/signin", fills in the form and submits it. It fails
// when the browser stays on the sign-in page (wrong password, rate limit).
func SignIn(ctx context.Context, base, email, password string) error {
	base = strings.TrimSuffix(base, "/")
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/signin"),
		chromedp.SetValue(chromedp.CSS(`form[action="/signin"] input[name="email"]`), email),
		chromedp.SetValue(chromedp.CSS(`form[action="/signin"] input[name="password"]`), password),
	); err != nil {
		return fmt.Errorf("sign in %s: %w", email, err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type="submit"]`), chromedp.NodeVisible))
	if err != nil {
		return fmt.Errorf("sign in %s: %w", email, err)
	}
	if u, err := url.Parse(resp.URL); err != nil || u.Path == "/signin" || resp.Status != 200 {
		return fmt.Errorf("sign in %s: still on %s (status %d)", email, resp.URL, resp.Status)
	}
	return nil
}

// SignOut clicks the navigation's sign-out button and waits for the next page.
func SignOut(ctx context.Context) error {
	if err := Submit(ctx, `form[action="/signout"] button[type="submit"]`); err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	return nil
}

// SetLanguage chooses lang in the footer's #lang-select as a user does:
// the selection fires "change", on which web/static/app.js submits the
// switch form; it waits for the page that the form loads.
func SetLanguage(ctx context.Context, lang string) error {
	resp, err := chromedp.RunResponse(ctx, chromedp.SetValue(chromedp.ID("lang-select"), lang, chromedp.NodeVisible))
	if err != nil {
		return fmt.Errorf("language %s: %w", lang, err)
	}
	if resp.Status != 200 {
		return fmt.Errorf("language %s: %s answered %d", lang, resp.URL, resp.Status)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil {
		return fmt.Errorf("language %s: %w", lang, err)
	}
	if got != lang {
		return fmt.Errorf("language %s: page is in %q", lang, got)
	}
	return nil
}

// killLeftovers kills the Chromium processes (zygote, utility processes)
// that still run with dataDir as their user data directory after the main
// process ended, so that the folder can be removed. dataDir is unique to
// this Browser, so only its own processes match.
func killLeftovers(dataDir string) {
	want := []byte("--user-data-dir=" + dataDir)
	for pass := 0; pass < 5; pass++ {
		entries, err := os.ReadDir("/proc")
		if err != nil {
			return
		}
		found := 0
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || pid == os.Getpid() {
				continue
			}
			cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
			if err != nil {
				continue
			}
			for arg := range bytes.SplitSeq(cmdline, []byte{0}) {
				if bytes.Equal(arg, want) {
					if proc, err := os.FindProcess(pid); err == nil {
						_ = proc.Kill()
					}
					found++
					break
				}
			}
		}
		if found == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// syncBuffer is a bytes.Buffer safe for the browser's output goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 { // keep the start: it says why Chromium failed
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
