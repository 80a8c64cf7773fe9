package cases

import (
	"context"
	"fmt"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// followupSubject: a candidate's check-in belongs to the candidate, an
// employer's to the company; never both, so neither answers the other's.
func followupSubject(f *tsunagu.Followup, companies []int64) tsunagu.Subject {
	sub := tsunagu.Subject{ViewerCompanyIDs: companies}
	if f.Party == tsunagu.PartyCandidate {
		if f.CandidateUser != nil {
			sub.OwnerUserID = *f.CandidateUser
		}
	} else {
		sub.CompanyID = f.CompanyID
	}
	return sub
}

// OwnFollowups lists the check-ins due that the caller answers (a
// candidate's own, a company's as employer).
func (s *Service) OwnFollowups(ctx context.Context) ([]*tsunagu.Followup, error) {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	return s.DB.OpenFollowupsFor(ctx, u.ID, companies, s.now())
}

// FindFollowup returns a check-in to whoever may answer it (ENOTFOUND
// otherwise).
func (s *Service) FindFollowup(ctx context.Context, id int64) (*tsunagu.Followup, error) {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	f, err := s.DB.FollowupByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActFollowupAnswer, followupSubject(f, companies)) {
		return nil, tsunagu.NotFound()
	}
	return f, nil
}

// AnswerFollowup records a check-in's answers. Answering the 12-month
// check-in with "still employed" settles a case in retention. Returns
// EINVALID per field, ENOTFOUND when the caller may not answer it, ECONFLICT
// when it was answered already.
func (s *Service) AnswerFollowup(ctx context.Context, id int64, a tsunagu.FollowupAnswer) error {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	cur, err := s.DB.FollowupByID(ctx, id)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		c, f, err := lockFollowup(ctx, tx, cur.CaseID, id)
		if err != nil {
			return err
		}
		if !tsunagu.Can(u, tsunagu.ActFollowupAnswer, followupSubject(f, companies)) {
			return tsunagu.NotFound()
		}
		if f.CompletedAt != nil {
			return tsunagu.Errorf(tsunagu.ECONFLICT, "followup.error.done")
		}
		now := s.now()
		if err := postgres.CompleteFollowup(ctx, tx, id, a, u.ID, now); err != nil {
			return err
		}
		if err := postgres.TouchCase(ctx, tx, c.ID, now); err != nil {
			return err
		}
		note := fmt.Sprintf("%d/5", a.Satisfaction)
		if a.Issues != "" {
			note += " · " + a.Issues
		}
		to := "answered"
		if !*a.StillEmployed {
			to = "left"
		}
		if err := postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: c.ID, Kind: tsunagu.EventFollowup,
			From: fmt.Sprintf("%d:%s", f.Month, f.Party), To: to, Note: note, ActorID: tsunagu.ActorID(u), FollowupID: &f.ID, At: now}); err != nil {
			return err
		}
		if f.Month == tsunagu.RetentionMonths[len(tsunagu.RetentionMonths)-1] && *a.StillEmployed {
			if c.Stage == tsunagu.StageHired {
				if err := s.systemMove(ctx, tx, c, tsunagu.StageRetention, "case.auto.retention", now); err != nil {
					return err
				}
				c.Stage = tsunagu.StageRetention
			}
			if c.Stage == tsunagu.StageRetention {
				if err := s.systemMove(ctx, tx, c, tsunagu.StageSettled, "case.auto.settled", now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// systemMove moves a case without a user (a job or an automatic rule);
// reason names the rule.
func (s *Service) systemMove(ctx context.Context, tx *postgres.Tx, c *tsunagu.Case, to tsunagu.CaseStage, reason string, now time.Time) error {
	if err := postgres.SetCaseStage(ctx, tx, c.ID, to, "", now); err != nil {
		return err
	}
	return postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: c.ID, Kind: tsunagu.EventStage,
		From: string(c.Stage), To: string(to), Reason: reason, At: now})
}
