package seed

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
)

// Step is one part of the demo data.
type Step struct {
	Name string
	Run  func(ctx context.Context, db *postgres.DB) error
}

// Steps are the parts of the demo data, in dependency order.
var Steps = []Step{
	{"accounts", Users},
	{"profiles, companies and roles", Profiles},
	{"training and workshops", Training},
	{"cases, introductions and check-ins", Cases},
	{"a company awaiting verification", PendingCompany},
	{"a duplicate pair for review", Duplicates},
	{"an invited candidate with a recorded consent", Journeys},
}

// All loads every step, reporting progress on w. Each step keeps what is
// already there, so running All twice changes nothing.
func All(ctx context.Context, db *postgres.DB, w io.Writer) error {
	for _, s := range Steps {
		start := time.Now()
		if err := s.Run(ctx, db); err != nil {
			return fmt.Errorf("seed %s: %w", s.Name, err)
		}
		fmt.Fprintf(w, "demo data: %s (%v)\n", s.Name, time.Since(start).Round(time.Millisecond))
	}
	return nil
}
