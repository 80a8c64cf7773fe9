package cases

import (
	"context"
	"fmt"
	"strings"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// RequestIntroduction records a company's request to be introduced to a
// matched candidate for one of its roles: an introduction in "suggested",
// created by the company member, on the candidate's case (opened in intake
// when the candidate has none). The candidate is then asked for consent in
// their language and the case's coordinator is told; the company learns
// nothing more until the candidate consents.
//
// Returns EUNAUTHORIZED for visitors; ENOTFOUND when the role is not one of
// the caller's companies' or the candidate does not exist or may not be
// seen by the company (tsunagu.ActIntroductionRequest); ECONFLICT when the
// candidate is already put forward for the role; EINVALID when the
// candidate's case is closed or settled.
func (s *Service) RequestIntroduction(ctx context.Context, candidateID, roleID int64, note string) (int64, error) {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return 0, err
	}
	var v tsunagu.Validation
	checkNote(&v, "note", note)
	if err := v.Err(); err != nil {
		return 0, err
	}
	role, err := s.DB.RoleByID(ctx, roleID)
	if err != nil {
		return 0, err
	}
	cand, err := s.DB.CandidateByID(ctx, candidateID)
	if err != nil {
		return 0, err
	}
	if !tsunagu.Can(u, tsunagu.ActIntroductionRequest, tsunagu.Subject{CompanyID: role.CompanyID,
		ViewerCompanyIDs: companies, Visibility: cand.Visibility}) {
		return 0, tsunagu.NotFound()
	}
	var id int64
	err = s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		now := s.now()
		caseID, err := s.caseFor(ctx, tx, candidateID, u)
		if err != nil {
			return err
		}
		c, err := postgres.LockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if !c.Stage.Open() {
			return tsunagu.Errorf(tsunagu.EINVALID, "introduction.error.case_not_open")
		}
		id, err = postgres.CreateIntroduction(ctx, tx, c.ID, c.CandidateID, roleID, tsunagu.ActorID(u), now)
		if err != nil {
			if tsunagu.ErrorCode(err) == tsunagu.ECONFLICT {
				return tsunagu.Errorf(tsunagu.ECONFLICT, "introduction.error.exists")
			}
			return err
		}
		if err := postgres.TouchCase(ctx, tx, c.ID, now); err != nil {
			return err
		}
		if err := postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: c.ID, Kind: tsunagu.EventIntroduction,
			To: string(tsunagu.IntroSuggested), Note: strings.TrimSpace(note), ActorID: tsunagu.ActorID(u), IntroductionID: &id, At: now}); err != nil {
			return err
		}
		in, err := postgres.LockIntroduction(ctx, tx, id)
		if err != nil {
			return err
		}
		data := map[string]any{"Role": in.RoleTitle, "Company": in.CompanyName}
		if c.CandidateUser != nil {
			if err := s.notify(ctx, tx, []int64{*c.CandidateUser}, tsunagu.NotifyIntroduction, "notify.introduction_suggested",
				data, fmt.Sprintf("/me/introductions/%d", id)); err != nil {
				return err
			}
		}
		staffIDs, err := postgres.StaffIDs(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		staffData := map[string]any{"Role": in.RoleTitle, "Company": in.CompanyName, "Name": c.CandidateName}
		return s.notify(ctx, tx, staffIDs, tsunagu.NotifyIntroduction, "notify.staff.introduction_requested",
			staffData, fmt.Sprintf("/coordinator/cases/%d", c.ID))
	})
	return id, err
}

// caseFor returns the candidate's case, opening one in intake when there is
// none (a company's request is how some candidates enter a journey).
func (s *Service) caseFor(ctx context.Context, tx *postgres.Tx, candidateID int64, u *tsunagu.User) (int64, error) {
	c, err := s.DB.CaseByCandidate(ctx, candidateID)
	if err == nil {
		return c.ID, nil
	}
	if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		return 0, err
	}
	now := s.now()
	id, err := postgres.CreateCase(ctx, tx, candidateID, nil, now)
	if err != nil {
		return 0, err
	}
	return id, postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: id, Kind: tsunagu.EventStage,
		To: string(tsunagu.StageIntake), ActorID: tsunagu.ActorID(u), At: now})
}
