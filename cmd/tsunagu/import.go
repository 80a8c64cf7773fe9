package main

import (
	"context"
	"fmt"
	"os"

	"github.com/tsunagu-org/tsunagu/internal/importer"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/search"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// cmdImport imports a JSON Lines file of candidates or roles per the
// contract in DESIGN.md: each rejected line is printed with its number and
// reason, then a summary; the exit status is 1 if any line was rejected.
// Progress goes to stderr every 1,000 lines.
func cmdImport(ctx context.Context, e *Env, args []string) error {
	fs := newFlagSet(e, "import")
	every := fs.Int("progress", 1000, "report progress on stderr every `N` lines")
	fs.Usage = func() {
		fmt.Fprintln(e.Stderr, "usage: tsunagu import candidates|roles FILE")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 || (fs.Arg(0) != importer.KindCandidates && fs.Arg(0) != importer.KindRoles) {
		fs.Usage()
		return errUsage
	}
	kind, path := fs.Arg(0), fs.Arg(1)
	in := e.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		in = f
	}
	_, db, err := e.OpenDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	tax, err := taxonomy.Load()
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	opts := []profile.Option{
		profile.WithVocabulary(profile.TaxonomyVocabulary{T: tax}),
		profile.WithResolver(profile.NewLabelResolver(tax)),
	}
	if kind == "roles" {
		// Roles are saved with their likeliest occupations.
		opts = append(opts, profile.WithOccupationGuesser(search.NewResolver(tax)))
	}
	svc := profile.New(db, opts...)
	// The command is run by an operator on the server: it acts as staff.
	ctx = tsunagu.NewContextWithUser(ctx, &tsunagu.User{Role: tsunagu.RoleAdmin, DisplayName: "tsunagu import"})
	sum, err := importer.Import(ctx, in, kind, importer.Options{
		Candidates: svc, Roles: svc, Progress: e.Stderr, ProgressEvery: *every,
	})
	for _, r := range sum.Rejections {
		id := ""
		if r.ID != "" {
			id = " (" + r.ID + ")"
		}
		fmt.Fprintf(e.Stdout, "line %d%s: rejected: %s\n", r.Line, id, r.Reason)
	}
	for _, d := range sum.Duplicates {
		fmt.Fprintf(e.Stdout, "id %s appears on lines %v: the last line imported wins\n", d.ID, d.Lines)
	}
	fmt.Fprintln(e.Stdout, sum.String())
	if err != nil {
		return err
	}
	if sum.Rejected > 0 {
		return errRejected
	}
	return nil
}
