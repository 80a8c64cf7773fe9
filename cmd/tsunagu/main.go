// Command tsunagu is the one binary of the platform: web server, worker,
// migrations, demo data, imports, matching, taxonomy and evaluation.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/tsunagu-org/tsunagu/internal/config"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
)

// Env is what a command may touch of the outside world.
type Env struct {
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	Getenv  func(string) string
	Environ []string
}

// Config reads and validates the configuration from the environment.
func (e *Env) Config() (config.Config, error) {
	return config.FromEnv(e.Getenv, e.Environ)
}

// Logger sets up log/slog once, on stderr, at the configured level.
func (e *Env) Logger(cfg config.Config) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	l := slog.New(slog.NewTextHandler(e.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(l)
	return l
}

// OpenDB is the preamble of every command that works on the database: it
// reads the configuration, sets up logging and opens the database. The
// caller closes the database.
func (e *Env) OpenDB(ctx context.Context) (config.Config, *postgres.DB, error) {
	cfg, err := e.Config()
	if err != nil {
		return cfg, nil, err
	}
	e.Logger(cfg)
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return cfg, nil, err
	}
	return cfg, db, nil
}

// openNormalizer loads the taxonomy and opens the normaliser's index under
// the data folder; the caller closes it.
func openNormalizer(e *Env) (*taxonomy.Normalizer, error) {
	t, err := taxonomy.Load()
	if err != nil {
		return nil, err
	}
	return taxonomy.OpenNormalizer(taxonomyIndexDir(e), t)
}

type command struct {
	run   func(ctx context.Context, e *Env, args []string) error
	usage string
}

// errUsage marks a wrong invocation: exit status 2.
var errUsage = errors.New("usage")

// errRejected marks a run that completed but rejected some input: exit 1
// with no further message.
var errRejected = errors.New("some input was rejected")

// commands lists every command, each in the file named after it.
var commands = map[string]command{
	"eval":       {cmdEval, "matching and normalisation figures on the evaluation sets: eval [DIR] (default ../shared/eval)"},
	"eval-match": {cmdEvalMatchFlags, "[-set NAME] [DIR] matching figures on DIR/match-dev and DIR/match-real-dev (default ../shared/eval); TSUNAGU_EVAL_RUN=FILE writes the run (of the last set)"},
	"import":     {cmdImport, "import candidates|roles FILE (JSON Lines; - for stdin)"},
	"match":      {cmdMatch, "--role ID | --all-roles [--limit N] [--near=false]: ranked candidates as JSON lines"},
	"migrate":    {withDB("migrate", cmdMigrate), "apply pending database migrations"},
	"reindex":    {withDB("reindex", cmdReindex), "rebuild the search index from PostgreSQL beside the live one and swap"},
	"seed":       {withDB("seed", cmdSeed), "load the demo data (idempotent)"},
	"serve":      {cmdServe, "serve the web pages and API (plus the worker unless --no-worker)"},
	"taxonomy":   {cmdTaxonomy, "occupations|skills [--limit N] [--lang L] (queries on stdin) | load"},
	"user":       {cmdUser, "manage accounts: user create --email E --name N --role coordinator|admin (password on stdin)"},
	"worker":     {cmdWorker, "process background jobs only"},
}

// withDB makes a command that takes no flags and works on the database
// out of run: it parses the (empty) flags, opens the database and closes it.
func withDB(name string, run func(ctx context.Context, e *Env, cfg config.Config, db *postgres.DB) error) func(context.Context, *Env, []string) error {
	return func(ctx context.Context, e *Env, args []string) error {
		if err := parseFlags(newFlagSet(e, name), args); err != nil {
			return err
		}
		cfg, db, err := e.OpenDB(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		return run(ctx, e, cfg, db)
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Environ: os.Environ()}
	err := run(ctx, os.Args[1:], e)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, errUsage):
		os.Exit(2)
	case errors.Is(err, errRejected):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "tsunagu:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, e *Env) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(e.Stderr)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.Stderr, "tsunagu: unknown command %q\n\n", args[0])
		printUsage(e.Stderr)
		return errUsage
	}
	return cmd.run(ctx, e, args[1:])
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: tsunagu <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].usage)
	}
	fmt.Fprintln(w, "\nconfiguration: DATABASE_URL, REDIS_URL, TSUNAGU_DATA_DIR, TSUNAGU_ADDR, TSUNAGU_SECRET, SMTP_*")
}

// newFlagSet returns a flag set that reports errors on e.Stderr and returns
// them instead of exiting.
func newFlagSet(e *Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("tsunagu "+name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	return fs
}

// parseFlags parses args, mapping -h and bad flags to errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errUsage
		}
		return errUsage
	}
	return nil
}

// printConfig prints the configuration with secrets masked.
func printConfig(w io.Writer, cfg config.Config) {
	var b strings.Builder
	b.WriteString("configuration:\n")
	for _, kv := range cfg.Masked() {
		fmt.Fprintf(&b, "  %-20s %s\n", kv[0], kv[1])
	}
	io.WriteString(w, b.String())
}
