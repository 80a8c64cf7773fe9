package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// AuditConsentRecorded is the audit action of a recorded consent or decline.
const AuditConsentRecorded = "introduction.consent_recorded"

// clockSkew is how far in the future an "obtained at" time may lie (a
// coordinator's watch a little ahead of the server's).
const clockSkew = 10 * time.Minute

// RecordConsent records a candidate's answer to an introduction given
// outside the platform (phone, in person, paper, messaging app): how, when,
// in which words or under which document reference, and who recorded it.
// It moves the introduction as the candidate's own answer would (consent:
// the company may see who they are and is told the programme recorded it;
// decline: hidden again), writes the case timeline and an audit row in
// the same transaction, and tells the candidate when they have an
// account; the candidate may withdraw it. It works for a candidate without
// an account. Returns EFORBIDDEN for anyone but staff, ENOTFOUND for an
// unknown introduction, EINVALID per field (answer, method, obtained_at,
// words) or on "stage" for an answer the introduction no longer awaits.
func (s *Service) RecordConsent(ctx context.Context, introID int64, r tsunagu.RecordedConsent) (int64, error) {
	u, err := tsunagu.ActorMay(ctx, tsunagu.ActIntroductionRecord)
	if err != nil {
		return 0, err
	}
	now := s.now()
	r.Words = strings.TrimSpace(r.Words)
	r.IntroductionID, r.RecordedBy, r.RecordedAt = introID, tsunagu.ActorID(u), now
	if !r.ObtainedAt.IsZero() {
		r.ObtainedAt = r.ObtainedAt.UTC().Truncate(time.Second)
	}
	var v tsunagu.Validation
	if e := tsunagu.AsError(tsunagu.Check(&r)); e != nil {
		for f, fe := range e.Fields {
			v.Add(f, fe.ID, fe.Data)
		}
	}
	if !r.ObtainedAt.IsZero() && r.ObtainedAt.After(now.Add(clockSkew)) {
		v.Add("obtained_at", "introduction.error.obtained_future", nil)
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	err = s.introductionTx(ctx, introID, func(tx *postgres.Tx, c *tsunagu.Case, in *tsunagu.Introduction) error {
		if err := tsunagu.CheckIntroMove(in.Stage, r.Stage()); err != nil {
			return err
		}
		if err := postgres.AddRecordedConsent(ctx, tx, &r); err != nil {
			return err
		}
		if err := s.moveIntro(ctx, tx, u, c, in, tsunagu.IntroMove{Stage: r.Stage(), Note: r.Words}, "recorded."+r.Method); err != nil {
			return err
		}
		if err := postgres.SetIntroductionConsentRecord(ctx, tx, in.ID, r.ID); err != nil {
			return err
		}
		detail, err := json.Marshal(map[string]any{"answer": r.Answer, "method": r.Method, "obtained_at": r.ObtainedAt,
			"case_id": c.ID, "candidate_id": in.CandidateID, "company_id": in.CompanyID, "record_id": r.ID})
		if err != nil {
			return fmt.Errorf("audit detail: %w", err)
		}
		if err := postgres.AuditTx(ctx, tx, tsunagu.ActorID(u), AuditConsentRecorded, "introduction", strconv.FormatInt(in.ID, 10), detail); err != nil {
			return err
		}
		if in.CandidateUser == nil {
			return nil
		}
		msg := "notify.consent_recorded"
		if r.Answer == tsunagu.AnswerDecline {
			msg = "notify.decline_recorded"
		}
		return s.notify(ctx, tx, []int64{*in.CandidateUser}, tsunagu.NotifyIntroduction, msg,
			map[string]any{"Role": in.RoleTitle, "Company": in.CompanyName}, fmt.Sprintf("/me/introductions/%d", in.ID))
	})
	if err != nil {
		return 0, err
	}
	return r.ID, nil
}

// withRecorded loads, for each introduction whose current answer was
// recorded by the programme, the record behind it (Introduction.Recorded).
func (s *Service) withRecorded(ctx context.Context, ins []*tsunagu.Introduction) error {
	var ids []int64
	for _, in := range ins {
		if in.ConsentRecorded {
			ids = append(ids, in.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	recs, err := s.DB.CurrentRecordedConsents(ctx, ids)
	if err != nil {
		return err
	}
	for _, in := range ins {
		in.Recorded = recs[in.ID]
	}
	return nil
}

// IntroductionDetail is an introduction with the role it is for: what the
// candidate is asked to agree to.
type IntroductionDetail struct {
	*tsunagu.Introduction
	Role       *tsunagu.JobRole
	Prefecture *tsunagu.Prefecture // the role's place, nil when unknown
}

// FindIntroductionDetail returns an introduction (as FindIntroduction,
// with the same rule) and its role: title, description, place, workplace,
// salary range, employment type and company. ENOTFOUND when the caller
// may not see the introduction.
func (s *Service) FindIntroductionDetail(ctx context.Context, id int64) (*IntroductionDetail, error) {
	in, err := s.FindIntroduction(ctx, id)
	if err != nil {
		return nil, err
	}
	r, err := s.DB.RoleByID(ctx, in.RoleID)
	if err != nil {
		return nil, err
	}
	d := &IntroductionDetail{Introduction: in, Role: r}
	if p, ok := tsunagu.FindPrefecture(r.Location.Prefecture); ok {
		d.Prefecture = p
	}
	return d, nil
}
