// Package app wires the platform's services together: the one place that
// knows every concrete type. cmd/tsunagu, the end-to-end tests and the
// benchmarks build their processes through it.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/config"
	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/jobs"
	"github.com/tsunagu-org/tsunagu/internal/mail"
	"github.com/tsunagu-org/tsunagu/internal/matching"
	"github.com/tsunagu-org/tsunagu/internal/metrics"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
)

// App holds the wired services of one process.
type App struct {
	Config config.Config
	Log    *slog.Logger
	DB     *postgres.DB
	Auth   *auth.Service
	Redis  asynq.RedisConnOpt

	// Tasks are the features' background tasks (their handlers, and the
	// periodic ones, of which exactly one worker enqueues each period),
	// registered by registerTasks (wire.go); the worker serves them.
	Tasks jobs.Tasks
	// Routes are the features' pages and API, added by registerRoutes
	// (wire.go).
	Routes []func(r *thttp.Router)
	// Middleware runs on every request (wire.go adds the metrics).
	Middleware []gin.HandlerFunc
	// WrapHandlers, when set, wraps every task handler (metrics).
	WrapHandlers func([]jobs.Handler) []jobs.Handler

	// Cases runs case stages, introductions and follow-ups. Cases,
	// Metrics and Matching are the services buildServices built
	// (services.go), kept for tests and commands.
	Cases *cases.Service
	// Metrics is the Prometheus registry behind /metrics.
	Metrics *metrics.Metrics
	// Matching serves matches and saved searches over this process's
	// search index (search.go: StartSearch, Search).
	Matching *matching.Service
	// IndexMaxLag and IndexMaxLagChanges are how far the search index may
	// be behind the change log before /readyz fails its "index" check
	// (defaults DefaultIndexMaxLag, DefaultIndexMaxLagChanges).
	IndexMaxLag        time.Duration
	IndexMaxLagChanges int64
	search             searchState

	closers []func()
	mailer  *mail.SMTP
	suggest *suggester
}

// New opens the database, Redis and the auth service, then wires the
// feature services (wire.go). Close releases them.
func New(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	if log == nil {
		log = slog.Default()
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	ropt, err := jobs.RedisOpt(cfg.RedisURL)
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		db.Close()
		return nil, fmt.Errorf("TSUNAGU_DATA_DIR: %w", err)
	}
	a := &App{Config: cfg, Log: log, DB: db, Redis: ropt,
		IndexMaxLag: DefaultIndexMaxLag, IndexMaxLagChanges: DefaultIndexMaxLagChanges}
	var mailer auth.Mailer
	if m := mail.New(cfg); m != nil {
		mailer = m
		a.mailer = m
	}
	a.Auth = auth.NewService(db, mailer, cfg.BaseURL, cfg.SessionTTL)
	a.Auth.Log = log
	if cfg.Dev && mailer == nil {
		a.Auth.DevOutbox = auth.NewDevOutbox()
	}
	if err := a.wire(); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// OnClose registers f to run at Close, before the database closes.
func (a *App) OnClose(f func()) { a.closers = append(a.closers, f) }

// Close releases what the app holds, the database last.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
	a.DB.Close()
}

// Worker returns the background worker of this app (not started).
func (a *App) Worker() *jobs.Worker {
	hs := a.Tasks.Handlers
	if a.WrapHandlers != nil {
		hs = a.WrapHandlers(hs)
	}
	periodic := make(map[string]time.Duration, len(a.Tasks.Periodic))
	for k, v := range a.Tasks.Periodic {
		periodic[k] = v
	}
	w := &jobs.Worker{DB: a.DB, Redis: a.Redis, Log: a.Log, Handlers: hs, Periodic: periodic}
	if a.mailer != nil {
		w.Mailer = a.mailer
	}
	return w
}

// Server returns the web server of this app (not listening).
func (a *App) Server() (*thttp.Server, error) {
	deps := thttp.Deps{
		Config: a.Config,
		DB:     a.DB,
		Auth:   a.Auth,
		Log:    a.Log,
		Ready: map[string]thttp.Checker{
			"postgres": func(ctx context.Context) error { return a.DB.PingContext(ctx) },
			"redis":    func(ctx context.Context) error { return jobs.Ping(ctx, a.Redis) },
			"index":    a.indexReady,
		},
		Routes:     a.Routes,
		Middleware: a.Middleware,
	}
	return thttp.New(deps)
}

func dirWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".ready-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
