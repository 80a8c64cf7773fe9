package cases

import (
	"context"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Outcomes computes the programme's figures live: people connected (every
// case), people hired into jobs that use their expertise (hired through an
// introduction marked so), residence-status changes, the funnel by stage,
// the median time in each stage, and retention at 3, 6 and 12 months.
// f narrows them to a period and a programme's people. EFORBIDDEN for
// anyone but staff.
func (s *Service) Outcomes(ctx context.Context, f tsunagu.OutcomeFilter) (*postgres.Outcomes, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActOutcomesView, tsunagu.Subject{}) {
		return nil, tsunagu.Forbidden()
	}
	return s.DB.CaseOutcomes(ctx, f)
}
