package training

import (
	"context"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// CaseMover is the part of the cases service MoveCases calls
// (cases.Service implements it).
type CaseMover interface {
	MoveCase(ctx context.Context, id int64, m tsunagu.CaseMove) error
}

// CaseFinder finds a candidate's case (postgres.DB implements it).
type CaseFinder interface {
	CaseByCandidate(ctx context.Context, candidateID int64) (*tsunagu.Case, error)
}

// MoveCases is a CaseAdvancer over the cases service: it moves the case
// with the service's MoveCase, so the stage machine checks the move and the
// case history records who made it and why.
type MoveCases struct {
	Cases CaseMover
	Find  CaseFinder
}

// CompleteTraining moves the candidate's case from "training" to
// "job-ready"; a candidate without a case, or with one in another stage,
// is left alone.
func (m MoveCases) CompleteTraining(ctx context.Context, candidateID int64, note string) error {
	c, err := m.Find.CaseByCandidate(ctx, candidateID)
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if c.Stage != tsunagu.StageTraining {
		return nil
	}
	return m.Cases.MoveCase(ctx, c.ID, tsunagu.CaseMove{Stage: tsunagu.StageJobReady, Note: note})
}
