package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// cmdUser handles `tsunagu user create`: staff accounts, which cannot sign up.
func cmdUser(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.Stderr, "usage: tsunagu user create --email E --name N --role coordinator|admin|company|candidate < password")
		return errUsage
	}
	fs := newFlagSet(e, "user create")
	email := fs.String("email", "", "email address")
	name := fs.String("name", "", "display name")
	role := fs.String("role", "coordinator", "candidate, company, coordinator or admin")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	cfg, db, err := e.OpenDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(e.Stderr, "password (one line on standard input):")
	line, _ := bufio.NewReader(e.Stdin).ReadString('\n')
	password := strings.TrimRight(line, "\r\n")
	svc := auth.NewService(db, nil, cfg.BaseURL, cfg.SessionTTL)
	u, err := svc.Register(ctx, auth.SignUp{Email: *email, DisplayName: *name, Password: password, Role: tsunagu.Role(*role), Locale: "ja"}, true)
	if err != nil {
		if te := tsunagu.AsError(err); te != nil && len(te.Fields) > 0 {
			for f, fe := range te.Fields {
				fmt.Fprintf(e.Stderr, "  %s: %s\n", f, fe.ID)
			}
			return errRejected
		}
		return err
	}
	fmt.Fprintf(e.Stdout, "created %s account %d for %s\n", u.Role, u.ID, u.Email)
	return nil
}
