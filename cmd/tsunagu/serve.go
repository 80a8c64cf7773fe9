package main

import (
	"context"
	"fmt"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/app"
)

// newApp reads the configuration, prints it masked, and wires the app.
func newApp(ctx context.Context, e *Env) (*app.App, error) {
	cfg, err := e.Config()
	if err != nil {
		return nil, err
	}
	log := e.Logger(cfg)
	printConfig(e.Stderr, cfg)
	return app.New(ctx, cfg, log)
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
	if err := a.StartSearch(ctx); err != nil {
		return err
	}
	srv, err := a.Server()
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return fmt.Errorf("listen on %s: %w", a.Config.Addr, err)
	}
	a.WarmUp()
	w := a.Worker()
	if !*noWorker {
		if err := w.Start(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.Stderr, "\nTsunagu is serving on %s (listening on %s)\n", a.Config.BaseURL, srv.Addr())
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
	if !*noWorker {
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
	w := a.Worker()
	if err := w.Start(ctx); err != nil {
		return err
	}
	fmt.Fprintln(e.Stderr, "worker started")
	<-ctx.Done()
	w.Shutdown()
	return nil
}
