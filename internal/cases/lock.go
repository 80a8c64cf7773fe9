package cases

import (
	"context"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Every writer locks a case before its introductions and check-ins, so two
// writers of one case never wait on each other in opposite orders. These
// helpers take the locks in that order.

// introductionTx runs fn in a transaction holding the locks of the
// introduction's case and then of the introduction. Returns ENOTFOUND for
// an unknown introduction, else fn's error.
func (s *Service) introductionTx(ctx context.Context, id int64, fn func(tx *postgres.Tx, c *tsunagu.Case, in *tsunagu.Introduction) error) error {
	cur, err := s.DB.IntroductionByID(ctx, id)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		c, err := postgres.LockCase(ctx, tx, cur.CaseID)
		if err != nil {
			return err
		}
		in, err := postgres.LockIntroduction(ctx, tx, id)
		if err != nil {
			return err
		}
		return fn(tx, c, in)
	})
}

// lockFollowup locks, inside tx, the check-in's case and then the
// check-in. Returns ENOTFOUND for an unknown check-in.
func lockFollowup(ctx context.Context, tx *postgres.Tx, caseID, id int64) (*tsunagu.Case, *tsunagu.Followup, error) {
	c, err := postgres.LockCase(ctx, tx, caseID)
	if err != nil {
		return nil, nil, err
	}
	f, err := postgres.LockFollowup(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	return c, f, nil
}
