package cases

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// introSubject gathers what tsunagu.Can needs about an introduction.
func introSubject(in *tsunagu.Introduction, companies []int64) tsunagu.Subject {
	sub := tsunagu.Subject{CompanyID: in.CompanyID, ViewerCompanyIDs: companies,
		Consented: in.Stage.VisibleToCompany(in.ConsentedAt != nil)}
	if in.CandidateUser != nil {
		sub.OwnerUserID = *in.CandidateUser
	}
	return sub
}

// viewer returns the signed-in user and, for a company user, their companies.
func (s *Service) viewer(ctx context.Context) (*tsunagu.User, []int64, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	if u.Role != tsunagu.RoleCompany {
		return u, nil, nil
	}
	ids, err := s.DB.CompanyIDsForUser(ctx, u.ID)
	return u, ids, err
}

// redact blanks the candidate's identity for a company that may not see it.
func redact(u *tsunagu.User, in *tsunagu.Introduction) {
	if u.Role == tsunagu.RoleCompany && !in.Stage.SharesIdentity() {
		in.CandidateName = ""
	}
}

// Suggest puts a case's candidate forward for a role. The candidate is then
// asked for consent, in their language, before the company sees anything.
// Returns EFORBIDDEN for non-staff, ENOTFOUND for an unknown case or role,
// ECONFLICT when already suggested, EINVALID for a closed or settled case.
func (s *Service) Suggest(ctx context.Context, caseID, roleID int64, note string) (int64, error) {
	u, err := staff(ctx)
	if err != nil {
		return 0, err
	}
	var v tsunagu.Validation
	if roleID == 0 {
		v.Add("role_id", "error.required", nil)
	}
	checkNote(&v, "note", note)
	if err := v.Err(); err != nil {
		return 0, err
	}
	var id int64
	err = s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		c, err := postgres.LockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if !c.Stage.Open() {
			return &tsunagu.Error{Code: tsunagu.EINVALID, Message: "introduction.error.case_not_open",
				Fields: map[string]tsunagu.FieldError{"role_id": {ID: "introduction.error.case_not_open"}}}
		}
		now := s.now()
		id, err = postgres.CreateIntroduction(ctx, tx, c.ID, c.CandidateID, roleID, tsunagu.ActorID(u), now)
		switch tsunagu.ErrorCode(err) {
		case "":
		case tsunagu.ECONFLICT:
			return &tsunagu.Error{Code: tsunagu.ECONFLICT, Message: "introduction.error.exists",
				Fields: map[string]tsunagu.FieldError{"role_id": {ID: "introduction.error.exists"}}}
		case tsunagu.ENOTFOUND:
			return &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input",
				Fields: map[string]tsunagu.FieldError{"role_id": {ID: "error.choice"}}}
		default:
			return err
		}
		if err := postgres.TouchCase(ctx, tx, c.ID, now); err != nil {
			return err
		}
		if err := postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: c.ID, Kind: tsunagu.EventIntroduction,
			To: string(tsunagu.IntroSuggested), Note: strings.TrimSpace(note), ActorID: tsunagu.ActorID(u), IntroductionID: &id, At: now}); err != nil {
			return err
		}
		if c.CandidateUser != nil {
			in, err := postgres.LockIntroduction(ctx, tx, id)
			if err != nil {
				return err
			}
			return s.notify(ctx, tx, []int64{*c.CandidateUser}, tsunagu.NotifyIntroduction, "notify.introduction_suggested",
				map[string]any{"Role": in.RoleTitle, "Company": in.CompanyName}, fmt.Sprintf("/me/introductions/%d", id))
		}
		return nil
	})
	return id, err
}

// FindIntroduction returns an introduction to staff, to its candidate, and
// to the company once the candidate consented (the name blank unless the
// stage shares it). ENOTFOUND otherwise.
func (s *Service) FindIntroduction(ctx context.Context, id int64) (*tsunagu.Introduction, error) {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	in, err := s.DB.IntroductionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActIntroductionView, introSubject(in, companies)) {
		return nil, tsunagu.NotFound()
	}
	redact(u, in)
	if u.Role != tsunagu.RoleCompany {
		// A company learns only that the programme recorded the consent.
		if err := s.withRecorded(ctx, []*tsunagu.Introduction{in}); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// CompanyPipeline lists the introductions to the caller's companies that
// the candidates consented to, newest move first; names only where the
// stage shares them. EFORBIDDEN for users who are not company members.
func (s *Service) CompanyPipeline(ctx context.Context) ([]*tsunagu.Introduction, error) {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	if u.Role != tsunagu.RoleCompany {
		return nil, tsunagu.Forbidden()
	}
	if len(companies) == 0 {
		return nil, nil
	}
	ins, err := s.DB.IntroductionsOfCompanies(ctx, companies)
	if err != nil {
		return nil, err
	}
	out := ins[:0]
	for _, in := range ins {
		if tsunagu.Can(u, tsunagu.ActIntroductionView, introSubject(in, companies)) {
			redact(u, in)
			out = append(out, in)
		}
	}
	return out, nil
}

// OwnIntroductions lists the signed-in candidate's introductions.
func (s *Service) OwnIntroductions(ctx context.Context) ([]*tsunagu.Introduction, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	if u.Role != tsunagu.RoleCandidate {
		return nil, tsunagu.Forbidden()
	}
	c, err := s.DB.CaseByCandidateUser(ctx, u.ID)
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	list, err := s.DB.IntroductionsOfCase(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	return list, s.withRecorded(ctx, list)
}

// Consent records the candidate's answer: yes moves the introduction to
// "candidate consented" (the company may then see who they are), no to
// "declined by candidate". Only the candidate may answer (ENOTFOUND for
// anyone else); EINVALID when the introduction is no longer waiting.
func (s *Service) Consent(ctx context.Context, id int64, yes bool, note string) error {
	to := tsunagu.IntroDeclinedByCand
	if yes {
		to = tsunagu.IntroConsented
	}
	return s.MoveIntroduction(ctx, id, tsunagu.IntroMove{Stage: to, Note: note})
}

// Feedback records a company's interview verdict ("yes" or "no") with a
// note, which moves the introduction (introduced → interviewing → offered →
// hired; no: declined by company). EINVALID (field "verdict") when no
// verdict fits the stage.
func (s *Service) Feedback(ctx context.Context, id int64, verdict, note string) error {
	in, err := s.FindIntroduction(ctx, id)
	if err != nil {
		return err
	}
	to, ok := tsunagu.FeedbackMove(in.Stage, verdict)
	if !ok {
		return &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input",
			Fields: map[string]tsunagu.FieldError{"verdict": {ID: "introduction.error.no_verdict", Data: map[string]any{"Stage": string(in.Stage)}}}}
	}
	return s.MoveIntroduction(ctx, id, tsunagu.IntroMove{Stage: to, Note: note})
}

// companyMoves are the moves a company makes through its feedback.
var companyMoves = []tsunagu.IntroStage{tsunagu.IntroInterviewing, tsunagu.IntroOffered, tsunagu.IntroHired, tsunagu.IntroDeclinedByCompany}

// MoveIntroduction moves an introduction. Staff make any allowed move but
// the candidate's consent or decline (RecordConsent records one given
// outside the platform); the candidate consents or declines; a company
// gives feedback moves once the candidate consented. A hire moves the case
// to hired and, in the same transaction, plans the retention check-ins and
// their reminders. Returns ENOTFOUND when the caller may not see it,
// EFORBIDDEN when they may see but not make this move, EINVALID for a move
// the stage machine does not allow, ECONFLICT (tsunagu.Stale) when
// m.Version is set and the introduction changed since.
func (s *Service) MoveIntroduction(ctx context.Context, id int64, m tsunagu.IntroMove) error {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return err
	}
	var v tsunagu.Validation
	checkNote(&v, "note", m.Note)
	if err := v.Err(); err != nil {
		return err
	}
	return s.introductionTx(ctx, id, func(tx *postgres.Tx, c *tsunagu.Case, in *tsunagu.Introduction) error {
		sub := introSubject(in, companies)
		if !tsunagu.Can(u, tsunagu.ActIntroductionView, sub) {
			return tsunagu.NotFound()
		}
		if err := postgres.CheckVersion(m.Version, in.Version); err != nil {
			return err
		}
		switch {
		case m.Stage == tsunagu.IntroConsented || m.Stage == tsunagu.IntroDeclinedByCand:
			// Only the candidate answers for themself; staff record an
			// answer given outside the platform through RecordConsent.
			if !tsunagu.Can(u, tsunagu.ActIntroductionConsent, sub) {
				return tsunagu.Forbidden()
			}
		case u.Role == tsunagu.RoleCompany:
			if !tsunagu.Can(u, tsunagu.ActIntroductionFeedback, sub) || !slices.Contains(companyMoves, m.Stage) {
				return tsunagu.Forbidden()
			}
		case !tsunagu.Can(u, tsunagu.ActCaseManage, sub):
			return tsunagu.Forbidden()
		}
		if err := tsunagu.CheckIntroMove(in.Stage, m.Stage); err != nil {
			return err
		}
		return s.moveIntro(ctx, tx, u, c, in, m, "")
	})
}

// moveIntro makes a checked move in tx: the hire's effects, the stage, the
// timeline event (with reason, "" for none) and the notifications.
func (s *Service) moveIntro(ctx context.Context, tx *postgres.Tx, u *tsunagu.User, c *tsunagu.Case, in *tsunagu.Introduction, m tsunagu.IntroMove, reason string) error {
	now := s.now()
	if m.Stage == tsunagu.IntroHired {
		if err := s.hire(ctx, tx, u, c, in, now); err != nil {
			return err
		}
	}
	if err := postgres.SetIntroductionStage(ctx, tx, in.ID, m.Stage, m.UsesExpertise, now); err != nil {
		return err
	}
	if err := postgres.TouchCase(ctx, tx, c.ID, now); err != nil {
		return err
	}
	if err := postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: c.ID, Kind: tsunagu.EventIntroduction,
		From: string(in.Stage), To: string(m.Stage), Reason: reason, Note: strings.TrimSpace(m.Note), ActorID: tsunagu.ActorID(u), IntroductionID: &in.ID, At: now}); err != nil {
		return err
	}
	data := map[string]any{"Role": in.RoleTitle, "Company": in.CompanyName, "Stage": string(m.Stage)}
	link := fmt.Sprintf("/coordinator/cases/%d", c.ID)
	// Staff hear of what candidates and companies do; companies hear of a
	// candidate introduced to them.
	if !u.Role.Staff() {
		ids, err := postgres.StaffIDs(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		staffData := map[string]any{"Role": in.RoleTitle, "Company": in.CompanyName, "Stage": string(m.Stage), "Name": c.CandidateName}
		if err := s.notify(ctx, tx, ids, tsunagu.NotifyIntroductionMove, "notify.staff.introduction_moved", staffData, link); err != nil {
			return err
		}
	}
	// The candidate hears of every step others make on their
	// introduction, in their language (the notification is translated
	// when shown or mailed); their own answers and recorded ones are told
	// by Consent's page and RecordConsent.
	if in.CandidateUser != nil && *in.CandidateUser != u.ID && m.Stage != tsunagu.IntroConsented && m.Stage != tsunagu.IntroDeclinedByCand {
		if err := s.notify(ctx, tx, []int64{*in.CandidateUser}, tsunagu.NotifyIntroductionMove, "notify.step."+string(m.Stage),
			map[string]any{"Role": in.RoleTitle, "Company": in.CompanyName}, fmt.Sprintf("/me/introductions/%d", in.ID)); err != nil {
			return err
		}
	}
	if m.Stage == tsunagu.IntroConsented {
		// The company may now see who the candidate is: tell its members,
		// and whether the programme recorded the consent.
		ids, err := postgres.CompanyMemberIDs(ctx, tx, in.CompanyID)
		if err != nil {
			return err
		}
		msg := "notify.company_consent"
		if reason != "" {
			msg = "notify.company_consent_recorded"
		}
		cd := map[string]any{"Name": in.CandidateName, "Role": in.RoleTitle}
		if err := s.notify(ctx, tx, ids, tsunagu.NotifyIntroduction, msg, cd, "/company/pipeline"); err != nil {
			return err
		}
	}
	if m.Stage == tsunagu.IntroIntroduced {
		ids, err := postgres.CompanyMemberIDs(ctx, tx, in.CompanyID)
		if err != nil {
			return err
		}
		if err := s.notify(ctx, tx, ids, tsunagu.NotifyIntroduction, "notify.candidate_introduced", data, "/company/pipeline"); err != nil {
			return err
		}
	}
	return nil
}

// hire moves the case as its stage rule says (tsunagu.CaseStage.OnHire)
// and plans the retention check-ins: for each of 1, 3, 6 and 12 months,
// one with the candidate and one with the employer, each with its due
// reminder and its overdue escalation in the outbox, all in tx.
//
// A company records the hire it made, whatever stage the case is in: a
// case that is behind catches up and its coordinator is told, so the
// company never meets an error about a stage only the coordinator owns.
// Staff own the case stage and may move it first, so a hire they record
// on a case that is behind is refused (EINVALID on "stage") as before.
func (s *Service) hire(ctx context.Context, tx *postgres.Tx, u *tsunagu.User, c *tsunagu.Case, in *tsunagu.Introduction, now time.Time) error {
	hm := c.Stage.OnHire()
	if hm.Behind && u.Role.Staff() {
		data := map[string]any{"From": string(c.Stage), "To": string(tsunagu.StageHired)}
		return &tsunagu.Error{Code: tsunagu.EINVALID, Message: "case.error.bad_move_title", Data: data,
			Fields: map[string]tsunagu.FieldError{"stage": {ID: "case.error.hire_needs_job_search", Data: data}}}
	}
	if hm.To != c.Stage {
		reason := "case.auto.hired"
		if hm.Behind {
			reason = "case.auto.hired_behind"
		}
		if err := postgres.SetCaseStage(ctx, tx, c.ID, hm.To, "", now); err != nil {
			return err
		}
		if err := postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: c.ID, Kind: tsunagu.EventStage,
			From: string(c.Stage), To: string(hm.To), Reason: reason, ActorID: tsunagu.ActorID(u), IntroductionID: &in.ID, At: now}); err != nil {
			return err
		}
	}
	if hm.Behind {
		ids, err := postgres.StaffIDs(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		msg := "notify.hire_caught_up"
		if hm.To == c.Stage {
			msg = "notify.hire_case_kept"
		}
		data := map[string]any{"Name": in.CandidateName, "Role": in.RoleTitle, "Company": in.CompanyName}
		if err := s.notify(ctx, tx, ids, tsunagu.NotifyIntroductionMove, msg, data, fmt.Sprintf("/coordinator/cases/%d", c.ID)); err != nil {
			return err
		}
	}
	for _, f := range tsunagu.RetentionSchedule(now) {
		f.CaseID, f.IntroductionID = c.ID, in.ID
		if err := postgres.CreateFollowup(ctx, tx, &f); err != nil {
			return err
		}
		ids := map[string]int64{"followup_id": f.ID}
		if err := postgres.AddOutbox(ctx, tx, TaskFollowupDue, fmt.Sprintf("followup:%d:due", f.ID), f.DueAt, ids); err != nil {
			return err
		}
		if err := postgres.AddOutbox(ctx, tx, TaskFollowupOverdue, fmt.Sprintf("followup:%d:overdue", f.ID), f.DueAt.Add(tsunagu.FollowupGrace), ids); err != nil {
			return err
		}
	}
	return nil
}

// SetUsesExpertise records whether a hire's job uses the candidate's
// expertise (staff only; the outcomes page counts it). Returns EFORBIDDEN
// for others, ENOTFOUND for an unknown introduction, EINVALID unless the
// introduction ended in a hire.
func (s *Service) SetUsesExpertise(ctx context.Context, id int64, uses bool) error {
	u, err := staff(ctx)
	if err != nil {
		return err
	}
	return s.introductionTx(ctx, id, func(tx *postgres.Tx, c *tsunagu.Case, in *tsunagu.Introduction) error {
		if in.Stage != tsunagu.IntroHired {
			return &tsunagu.Error{Code: tsunagu.EINVALID, Message: "introduction.error.not_hired",
				Fields: map[string]tsunagu.FieldError{"uses_expertise": {ID: "introduction.error.not_hired"}}}
		}
		if in.UsesExpertise == uses {
			return nil
		}
		now := s.now()
		if err := postgres.SetIntroductionExpertise(ctx, tx, id, uses, now); err != nil {
			return err
		}
		note := "expertise: no"
		if uses {
			note = "expertise: yes"
		}
		return postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: c.ID, Kind: tsunagu.EventIntroduction,
			From: string(in.Stage), To: string(in.Stage), Note: note, ActorID: tsunagu.ActorID(u), IntroductionID: &id, At: now})
	})
}
