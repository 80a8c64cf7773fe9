package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/config"
	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/jobs"
	"github.com/tsunagu-org/tsunagu/internal/mail"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
)

func init() {
	register("serve", "serve the web pages and API (plus the worker unless --no-worker)", cmdServe)
	register("worker", "process background jobs only", cmdWorker)
}

// App holds the wired services of a process.
type App struct {
	Config config.Config
	DB     *postgres.DB
	Auth   *auth.Service
	Redis  asynq.RedisConnOpt
	// closers run in reverse order at shutdown, after HTTP and the worker.
	closers []func()
}

// newApp opens the database and wires the services.
func newApp(ctx context.Context, e *Env) (*App, error) {
	cfg, err := e.Config()
	if err != nil {
		return nil, err
	}
	log := e.Logger(cfg)
	printConfig(e.Stderr, cfg)
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
	a := &App{Config: cfg, DB: db, Redis: ropt}
	var mailer auth.Mailer
	if m := mail.New(cfg); m != nil {
		mailer = m
	}
	a.Auth = auth.NewService(db, mailer, cfg.BaseURL, cfg.SessionTTL)
	a.Auth.Log = log
	return a, nil
}

// Close releases what the app holds, the database last.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.DB.Close()
}

func (a *App) worker() *jobs.Worker {
	return &jobs.Worker{DB: a.DB, Redis: a.Redis}
}

func (a *App) server() (*thttp.Server, error) {
	deps := thttp.Deps{
		Config: a.Config,
		DB:     a.DB,
		Auth:   a.Auth,
		Ready: map[string]thttp.Checker{
			"postgres": func(ctx context.Context) error { return a.DB.PingContext(ctx) },
			"redis":    func(ctx context.Context) error { return jobs.Ping(ctx, a.Redis) },
			"index":    func(ctx context.Context) error { return dirWritable(a.Config.DataDir) },
		},
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

// cmdServe serves HTTP (and the worker) until SIGINT/SIGTERM, then shuts
// down gracefully: HTTP first, then Asynq, then the database.
func cmdServe(ctx context.Context, e *Env, args []string) error {
	fs := newFlagSet(e, "serve")
	noWorker := fs.Bool("no-worker", false, "do not process background jobs in this process")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := newApp(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	srv, err := a.server()
	if err != nil {
		return err
	}
	var w *jobs.Worker
	if !*noWorker {
		w = a.worker()
		if err := w.Start(ctx); err != nil {
			return err
		}
	}
	if err := srv.Listen(); err != nil {
		if w != nil {
			w.Shutdown()
		}
		return fmt.Errorf("listen on %s: %w", a.Config.Addr, err)
	}
	fmt.Fprintf(e.Stderr, "\nTsunagu is serving on %s (http://%s)\n", a.Config.BaseURL, srv.Addr())
	printDemoLogins(e, a)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve() }()
	select {
	case err = <-errc:
	case <-ctx.Done():
		fmt.Fprintln(e.Stderr, "shutting down…")
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		err = srv.Shutdown(sctx)
		cancel()
	}
	if w != nil {
		w.Shutdown()
	}
	return err
}

// cmdWorker processes background jobs until SIGINT/SIGTERM.
func cmdWorker(ctx context.Context, e *Env, args []string) error {
	if err := parseFlags(newFlagSet(e, "worker"), args); err != nil {
		return err
	}
	a, err := newApp(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	w := a.worker()
	if err := w.Start(ctx); err != nil {
		return err
	}
	fmt.Fprintln(e.Stderr, "worker started")
	<-ctx.Done()
	w.Shutdown()
	return nil
}
