// Package training runs the training programme (育成): programmes and the
// ESCO skills they teach, cohorts and their sessions, enrolment by a
// coordinator or at a candidate's request with a waiting list when a cohort
// is full, attendance, and completion by the programme's criteria.
//
// Completing a programme adds the skills it teaches to the candidate's
// profile as verified by the programme, in the same transaction as the
// completion and with a change_log row, so the search index follows. When
// the candidate has finished every enrolment their plan requires, their
// case moves from "training" to "job-ready" through the cases service
// (CaseAdvancer), or, when the setting asks for it, waits for a
// coordinator to confirm. Permission decisions go through tsunagu.Can only.
package training

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// CaseAdvancer moves a candidate's case on when training is done. The
// cases service provides it (see MoveCases for an adapter over its
// MoveCase).
type CaseAdvancer interface {
	// CompleteTraining moves the candidate's case from "training" to
	// "job-ready", stamped with the caller and note; it does nothing when
	// the candidate has no case or the case is in another stage.
	CompleteTraining(ctx context.Context, candidateID int64, note string) error
}

// Vocabulary checks and names ESCO skills (the taxonomy provides it).
type Vocabulary interface {
	SkillExists(uri string) bool
	SkillLabel(uri, lang string) string
}

// Service implements training.
type Service struct {
	DB    *postgres.DB
	Cases CaseAdvancer // nil: cases are not moved
	Vocab Vocabulary   // nil: ESCO URIs are checked for shape only
	Log   *slog.Logger
	Now   func() time.Time
	// Hook, when set, runs inside a transaction after its effect and
	// before the commit, named by the step ("withdraw"); an error rolls
	// everything back (the tests fail a transaction there).
	Hook func(ctx context.Context, step string) error
}

// New returns the service over db.
func New(db *postgres.DB) *Service {
	return &Service{DB: db, Log: slog.Default(), Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) hook(ctx context.Context, step string) error {
	if s.Hook == nil {
		return nil
	}
	return s.Hook(ctx, step)
}

// staff returns the signed-in user if they may manage training.
func staff(ctx context.Context) (*tsunagu.User, error) {
	return tsunagu.ActorMay(ctx, tsunagu.ActTrainingManage)
}

// ListProgrammes returns the active programmes to any signed-in user, and
// with all every programme to staff. Returns EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) ListProgrammes(ctx context.Context, all bool) ([]*tsunagu.Programme, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActTrainingView, tsunagu.Subject{}) {
		return nil, tsunagu.Forbidden()
	}
	if all && !tsunagu.Can(u, tsunagu.ActTrainingManage, tsunagu.Subject{}) {
		all = false
	}
	return s.DB.ListProgrammes(ctx, all)
}

// ProgrammeView is a programme with its cohorts.
type ProgrammeView struct {
	Programme *tsunagu.Programme `json:"programme"`
	Cohorts   []*tsunagu.Cohort  `json:"cohorts"`
}

// FindProgramme returns a programme and its cohorts. An inactive one only
// to staff. Returns EUNAUTHORIZED, ENOTFOUND.
func (s *Service) FindProgramme(ctx context.Context, id int64) (*ProgrammeView, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.DB.ProgrammeByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActTrainingView, tsunagu.Subject{}) ||
		(!p.Active && !tsunagu.Can(u, tsunagu.ActTrainingManage, tsunagu.Subject{})) {
		return nil, tsunagu.NotFound()
	}
	cs, err := s.DB.CohortsOfProgramme(ctx, id)
	if err != nil {
		return nil, err
	}
	return &ProgrammeView{Programme: p, Cohorts: cs}, nil
}

// SaveProgramme validates and saves a programme (ID 0 creates), filling
// skill labels from the vocabulary. Returns EUNAUTHORIZED, EFORBIDDEN,
// EINVALID with per-field errors, ENOTFOUND.
func (s *Service) SaveProgramme(ctx context.Context, p *tsunagu.Programme) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	if err := s.validate(p); err != nil {
		return err
	}
	if p.ID != 0 {
		if _, err := s.DB.ProgrammeByID(ctx, p.ID); err != nil {
			return err
		}
	}
	if err := s.DB.SaveProgramme(ctx, p); err != nil {
		return fmt.Errorf("save programme: %w", err)
	}
	return nil
}

// CreateCohort validates and creates a cohort of a programme with its
// sessions; a capacity of 0 takes the programme's. Returns EUNAUTHORIZED,
// EFORBIDDEN, ENOTFOUND, EINVALID.
func (s *Service) CreateCohort(ctx context.Context, c *tsunagu.Cohort) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	p, err := s.DB.ProgrammeByID(ctx, c.ProgrammeID)
	if err != nil {
		return err
	}
	if c.Capacity == 0 {
		c.Capacity = p.Capacity
	}
	if err := c.Validate(p); err != nil {
		return err
	}
	if err := s.DB.CreateCohort(ctx, c); err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.ECONFLICT {
			return tsunagu.FieldErr("sessions", "training.error.session_twice", nil)
		}
		return fmt.Errorf("create cohort: %w", err)
	}
	return nil
}

// AddSession adds a session to a cohort. Returns EFORBIDDEN, ENOTFOUND,
// EINVALID (field "starts_at").
func (s *Service) AddSession(ctx context.Context, cohortID int64, at time.Time, topic string) (*tsunagu.CohortSession, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	c, err := s.DB.CohortByID(ctx, cohortID)
	if err != nil {
		return nil, err
	}
	topic = strings.TrimSpace(topic)
	if at.IsZero() {
		return nil, tsunagu.FieldErr("starts_at", "error.required", nil)
	}
	if len([]rune(topic)) > tsunagu.MaxTextLen {
		return nil, tsunagu.FieldErr("topic", "error.too_long", map[string]any{"Max": tsunagu.MaxTextLen})
	}
	c.Sessions = append(c.Sessions, &tsunagu.CohortSession{StartsAt: at})
	if err := c.Validate(nil); err != nil {
		if f, ok := tsunagu.AsError(err).Fields["sessions"]; ok {
			return nil, tsunagu.FieldErr("starts_at", f.ID, f.Data)
		}
	}
	sess := &tsunagu.CohortSession{CohortID: cohortID, StartsAt: at.UTC(), Topic: topic}
	if err := s.DB.AddSession(ctx, sess); err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.ECONFLICT {
			return nil, tsunagu.FieldErr("starts_at", "training.error.session_twice", nil)
		}
		return nil, err
	}
	return sess, nil
}

// CohortView is a cohort with its programme, enrolments and attendance.
type CohortView struct {
	Cohort     *tsunagu.Cohort          `json:"cohort"`
	Programme  *tsunagu.Programme       `json:"programme"`
	Enrolments []*tsunagu.Enrolment     `json:"enrolments"`
	Attendance map[int64]map[int64]bool `json:"attendance"` // session → enrolment → present
	Requests   []*tsunagu.Enrolment     `json:"-"`
}

// FindCohort returns a cohort with everything about it (staff). Returns
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
// The enrolment list names people: the read writes one audit row naming
// them all.
func (s *Service) FindCohort(ctx context.Context, id int64) (*CohortView, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.cohortView(ctx, id)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(v.Enrolments))
	for _, e := range v.Enrolments {
		ids = append(ids, e.CandidateID)
	}
	if err := s.DB.AuditRead(ctx, u, AuditCohortEnrolments, 0, ids, map[string]any{"cohort": id}); err != nil {
		return nil, err
	}
	return v, nil
}

// cohortView reads a cohort with everything about it, for a caller
// already checked, without the audit row: a write that reads it shows no
// one.
func (s *Service) cohortView(ctx context.Context, id int64) (*CohortView, error) {
	c, err := s.DB.CohortByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.DB.ProgrammeByID(ctx, c.ProgrammeID)
	if err != nil {
		return nil, err
	}
	es, err := s.DB.EnrolmentsOfCohort(ctx, id)
	if err != nil {
		return nil, err
	}
	att, err := s.DB.Attendance(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &CohortView{Cohort: c, Programme: p, Attendance: att, Enrolments: []*tsunagu.Enrolment{}}
	for _, e := range es {
		if e.Status == tsunagu.EnrolRequested {
			v.Requests = append(v.Requests, e)
		}
		v.Enrolments = append(v.Enrolments, e)
	}
	return v, nil
}

// Audit actions of staff reads that return candidates' names.
const (
	AuditCohortEnrolments = "cohort.enrolments" // a cohort's page or API: detail "ids", "cohort"
	AuditJobReadyPending  = "training.job_ready_pending"
	AuditEnrolCandidates  = "training.enrol_candidates" // the enrolment picker's answers: detail "ids"
)

// maxNamed bounds the enrolment picker's answers.
const maxNamed = 20

// CandidatesNamed finds the candidates (not hidden) whose name holds query,
// or whose id it is, to enrol one by name (staff; EFORBIDDEN otherwise).
// A blank query finds nobody. The read is audited, naming everyone found.
func (s *Service) CandidatesNamed(ctx context.Context, query string) ([]postgres.CandidateRef, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.DB.CandidatesNamed(ctx, query, maxNamed)
	if err != nil || len(list) == 0 {
		return list, err
	}
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	return list, s.DB.AuditRead(ctx, u, AuditEnrolCandidates, 0, ids, nil)
}

// seat puts an enrolment in the cohort if a place is free, else on the
// waiting list; c is locked by the caller.
func seat(c *tsunagu.Cohort) tsunagu.EnrolmentStatus {
	if c.Seated < c.Capacity {
		return tsunagu.EnrolEnrolled
	}
	return tsunagu.EnrolWaitlisted
}

// Enrol enrols a candidate in a cohort (staff): in a free place, or on the
// waiting list when the cohort is full. required says whether the
// candidate's plan to job-ready includes it. Returns EFORBIDDEN, ENOTFOUND,
// EINVALID (field "candidate_id"), ECONFLICT when already enrolled.
func (s *Service) Enrol(ctx context.Context, cohortID, candidateID int64, required bool) (*tsunagu.Enrolment, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.DB.CandidateByID(ctx, candidateID); err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			return nil, tsunagu.FieldErr("candidate_id", "training.error.unknown_candidate", nil)
		}
		return nil, err
	}
	var id int64
	err = s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		c, err := postgres.LockCohort(ctx, tx, cohortID)
		if err != nil {
			return err
		}
		id, err = postgres.PutEnrolment(ctx, tx, cohortID, candidateID, seat(c), required, tsunagu.ActorID(u), s.now())
		if tsunagu.ErrorCode(err) == tsunagu.ECONFLICT {
			return tsunagu.FieldErr("candidate_id", "training.error.already_enrolled", nil)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.DB.EnrolmentByID(ctx, id)
}

// RequestEnrolment records the signed-in candidate's request to join a
// cohort; a coordinator accepts or declines it. Returns EUNAUTHORIZED,
// EFORBIDDEN (not a candidate), ENOTFOUND, EINVALID (field "profile" when
// they have no profile yet), ECONFLICT.
func (s *Service) RequestEnrolment(ctx context.Context, cohortID int64) (*tsunagu.Enrolment, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	if u.Role != tsunagu.RoleCandidate {
		return nil, tsunagu.Forbidden()
	}
	cand, err := s.DB.CandidateByUserID(ctx, u.ID)
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
		return nil, tsunagu.FieldErr("profile", "training.error.no_profile", nil)
	} else if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActTrainingRequest, tsunagu.Subject{OwnerUserID: ownerOf(cand.UserID)}) {
		return nil, tsunagu.Forbidden()
	}
	c, err := s.DB.CohortByID(ctx, cohortID)
	if err != nil {
		return nil, err
	}
	if p, err := s.DB.ProgrammeByID(ctx, c.ProgrammeID); err != nil {
		return nil, err
	} else if !p.Active {
		return nil, tsunagu.NotFound() // archived: no longer offered
	}
	if c.EndsOn.Before(s.now().Truncate(24 * time.Hour)) {
		return nil, tsunagu.FieldErr("cohort_id", "training.error.cohort_ended", nil)
	}
	var id int64
	err = s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		if _, err := postgres.LockCohort(ctx, tx, cohortID); err != nil {
			return err
		}
		id, err = postgres.PutEnrolment(ctx, tx, cohortID, cand.ID, tsunagu.EnrolRequested, true, tsunagu.ActorID(u), s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.DB.EnrolmentByID(ctx, id)
}

func ownerOf(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// AnswerRequest accepts a candidate's request (a place, or the waiting
// list when full) or declines it (staff). Returns EFORBIDDEN, ENOTFOUND,
// EINVALID (field "status") when the enrolment is not a request.
func (s *Service) AnswerRequest(ctx context.Context, enrolmentID int64, accept bool) (*tsunagu.Enrolment, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	e, err := s.DB.EnrolmentByID(ctx, enrolmentID)
	if err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		c, err := postgres.LockCohort(ctx, tx, e.CohortID)
		if err != nil {
			return err
		}
		if e, err = postgres.EnrolmentInTx(ctx, tx, enrolmentID); err != nil {
			return err
		}
		if e.Status != tsunagu.EnrolRequested {
			return tsunagu.FieldErr("status", "training.error.not_a_request", nil)
		}
		to := tsunagu.EnrolDeclined
		if accept {
			to = seat(c)
		}
		return postgres.SetEnrolmentStatus(ctx, tx, enrolmentID, to, s.now())
	})
	if err != nil {
		return nil, err
	}
	return s.DB.EnrolmentByID(ctx, enrolmentID)
}

// Withdraw ends an enrolment that is under way (staff, or the candidate
// themself). A place it held goes to the first on the waiting list, in
// the same transaction. Returns EUNAUTHORIZED, ENOTFOUND, EINVALID (field
// "status") when it is already over.
func (s *Service) Withdraw(ctx context.Context, enrolmentID int64) error {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return err
	}
	e, err := s.DB.EnrolmentByID(ctx, enrolmentID)
	if err != nil {
		return err
	}
	sub := tsunagu.Subject{OwnerUserID: ownerOf(e.CandidateUserID)}
	if !tsunagu.Can(u, tsunagu.ActTrainingManage, sub) && !tsunagu.Can(u, tsunagu.ActTrainingRequest, sub) {
		return tsunagu.NotFound()
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		if _, err := postgres.LockCohort(ctx, tx, e.CohortID); err != nil {
			return err
		}
		e, err := postgres.EnrolmentInTx(ctx, tx, enrolmentID)
		if err != nil {
			return err
		}
		if !e.Status.Pending() {
			return tsunagu.FieldErr("status", "training.error.already_over", nil)
		}
		now := s.now()
		if err := postgres.SetEnrolmentStatus(ctx, tx, enrolmentID, tsunagu.EnrolWithdrawn, now); err != nil {
			return err
		}
		if e.Status != tsunagu.EnrolEnrolled {
			return s.hook(ctx, "withdraw")
		}
		if err := s.promote(ctx, tx, e.CohortID, now); err != nil {
			return err
		}
		return s.hook(ctx, "withdraw")
	})
}

// promote gives a freed place to the first on the waiting list and, in
// the same transaction, tells them (see notifyPromoted).
func (s *Service) promote(ctx context.Context, tx *postgres.Tx, cohortID int64, now time.Time) error {
	next, err := postgres.FirstWaiting(ctx, tx, cohortID)
	if err != nil || next == 0 {
		return err
	}
	if err := postgres.SetEnrolmentStatus(ctx, tx, next, tsunagu.EnrolEnrolled, now); err != nil {
		return err
	}
	return s.notifyPromoted(ctx, tx, next, now)
}

// MarkAttendance records who attended a session: present holds the
// enrolments present; every other seated enrolment is marked absent.
// Returns EFORBIDDEN, ENOTFOUND, EINVALID (field "present") for an
// enrolment that is not in the cohort.
func (s *Service) MarkAttendance(ctx context.Context, cohortID, sessionID int64, present []int64) error {
	u, err := staff(ctx)
	if err != nil {
		return err
	}
	v, err := s.cohortView(ctx, cohortID)
	if err != nil {
		return err
	}
	found := false
	for _, ss := range v.Cohort.Sessions {
		found = found || ss.ID == sessionID
	}
	if !found {
		return tsunagu.NotFound()
	}
	here := map[int64]bool{}
	for _, id := range present {
		here[id] = true
	}
	seated := map[int64]bool{}
	for _, e := range v.Enrolments {
		if e.Status == tsunagu.EnrolEnrolled || e.Status.Seated() {
			seated[e.ID] = true
		}
	}
	for id := range here {
		if !seated[id] {
			return tsunagu.FieldErr("present", "training.error.not_in_cohort", nil)
		}
	}
	now := s.now()
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		for id := range seated {
			if err := postgres.SetAttendance(ctx, tx, sessionID, id, here[id], tsunagu.ActorID(u), now); err != nil {
				return err
			}
		}
		return nil
	})
}

// Completion outcomes for the case.
const (
	JobReadyMoved   = "moved"   // the case moved to job-ready
	JobReadyPending = "pending" // a coordinator is asked to confirm
	JobReadyNot     = ""        // the plan has more to do, or nothing to move
)

// CompletionResult says what completing an enrolment did.
type CompletionResult struct {
	Enrolment *tsunagu.Enrolment `json:"enrolment"`
	Skills    []string           `json:"verified_skills"`
	JobReady  string             `json:"job_ready"`
}

// Complete completes an enrolment by its programme's criteria (staff):
// assessmentPassed, when not nil, records the assessment first. The
// skills taught are added to the candidate's profile as verified by the
// programme in the same transaction. When no required enrolment of the
// candidate is left under way, the case moves to job-ready (or waits for
// a coordinator's confirmation, per setting). Returns EFORBIDDEN,
// ENOTFOUND, EINVALID naming each unmet criterion ("attendance",
// "assessment_passed") or "status".
func (s *Service) Complete(ctx context.Context, enrolmentID int64, assessmentPassed *bool) (*CompletionResult, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	e, err := s.DB.EnrolmentByID(ctx, enrolmentID)
	if err != nil {
		return nil, err
	}
	p, err := s.DB.ProgrammeByID(ctx, e.ProgrammeID)
	if err != nil {
		return nil, err
	}
	confirm, err := s.DB.ConfirmJobReadySetting(ctx)
	if err != nil {
		return nil, err
	}
	res := &CompletionResult{Skills: p.SkillURIs()}
	advance := false
	err = s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		if _, err := postgres.LockCohort(ctx, tx, e.CohortID); err != nil {
			return err
		}
		e, err := postgres.EnrolmentInTx(ctx, tx, enrolmentID)
		if err != nil {
			return err
		}
		now := s.now()
		if assessmentPassed != nil {
			e.AssessmentPassed = assessmentPassed
			if err := postgres.SetAssessment(ctx, tx, enrolmentID, assessmentPassed, now); err != nil {
				return err
			}
		}
		if err := tsunagu.CheckCompletion(p, e); err != nil {
			return err
		}
		if err := postgres.SetEnrolmentStatus(ctx, tx, enrolmentID, tsunagu.EnrolCompleted, now); err != nil {
			return err
		}
		if err := postgres.AddVerifiedSkills(ctx, tx, e.CandidateID, p.Skills, p.Title("en")); err != nil {
			return err
		}
		pending, err := postgres.PendingRequired(ctx, tx, e.CandidateID)
		if err != nil || pending > 0 {
			return err
		}
		if confirm {
			res.JobReady = JobReadyPending
			return postgres.MarkJobReadyPending(ctx, tx, e.CandidateID, now)
		}
		advance = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	if advance && s.Cases != nil {
		note := "training: " + p.Title("en")
		if err := s.Cases.CompleteTraining(ctx, e.CandidateID, note); err != nil {
			// The completion stands; the case can be moved by hand.
			s.Log.Error("move case after training", "candidate_id", e.CandidateID, "err", err)
		} else {
			res.JobReady = JobReadyMoved
		}
	}
	res.Enrolment, err = s.DB.EnrolmentByID(ctx, enrolmentID)
	return res, err
}

// MarkNotCompleted ends an enrolment that did not meet the criteria
// (staff). The place stays counted. Returns EFORBIDDEN, ENOTFOUND,
// EINVALID (field "status").
func (s *Service) MarkNotCompleted(ctx context.Context, enrolmentID int64) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	e, err := s.DB.EnrolmentByID(ctx, enrolmentID)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		if _, err := postgres.LockCohort(ctx, tx, e.CohortID); err != nil {
			return err
		}
		e, err := postgres.EnrolmentInTx(ctx, tx, enrolmentID)
		if err != nil {
			return err
		}
		if e.Status != tsunagu.EnrolEnrolled {
			return tsunagu.FieldErr("status", "training.error.not_enrolled", map[string]any{"Status": string(e.Status)})
		}
		return postgres.SetEnrolmentStatus(ctx, tx, enrolmentID, tsunagu.EnrolNotCompleted, s.now())
	})
}

// CandidateEnrolments returns a candidate's enrolments to staff and to the
// candidate. Returns EUNAUTHORIZED, ENOTFOUND.
func (s *Service) CandidateEnrolments(ctx context.Context, candidateID int64) ([]*tsunagu.Enrolment, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.DB.CandidateByID(ctx, candidateID)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActEnrolmentView, tsunagu.Subject{OwnerUserID: ownerOf(c.UserID)}) {
		return nil, tsunagu.NotFound()
	}
	return s.DB.EnrolmentsOfCandidate(ctx, candidateID)
}

// OwnEnrolments returns the signed-in candidate's enrolments (none when
// they have no profile yet). Returns EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) OwnEnrolments(ctx context.Context) ([]*tsunagu.Enrolment, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	if u.Role != tsunagu.RoleCandidate {
		return nil, tsunagu.Forbidden()
	}
	c, err := s.DB.CandidateByUserID(ctx, u.ID)
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
		return []*tsunagu.Enrolment{}, nil
	} else if err != nil {
		return nil, err
	}
	return s.DB.EnrolmentsOfCandidate(ctx, c.ID)
}

// OpenCohorts lists the cohorts that have not ended, for the catalogue.
func (s *Service) OpenCohorts(ctx context.Context) ([]*tsunagu.Cohort, error) {
	if _, err := tsunagu.Actor(ctx); err != nil {
		return nil, err
	}
	return s.DB.OpenCohorts(ctx, s.now().Truncate(24*time.Hour))
}

// ProgrammesTeaching returns, per ESCO skill, the active programmes that
// teach it: the link from "skills that would open the most roles" to
// training. It reveals nothing personal and checks no caller.
func (s *Service) ProgrammesTeaching(ctx context.Context, skillURIs []string) (map[string][]tsunagu.ProgrammeRef, error) {
	out := map[string][]tsunagu.ProgrammeRef{}
	if len(skillURIs) == 0 {
		return out, nil
	}
	refs, err := s.DB.ProgrammesTeaching(ctx, skillURIs)
	if err != nil {
		return nil, err
	}
	for _, r := range refs {
		out[r.SkillURI] = append(out[r.SkillURI], r)
	}
	return out, nil
}

// GapReach returns, per programme, how many candidates' gaps it would
// close: candidates still looking who lack a skill it teaches that an
// open role requires (staff). Returns EFORBIDDEN.
func (s *Service) GapReach(ctx context.Context) (map[int64]int, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return s.DB.GapReach(ctx)
}

// ConfirmSetting reports whether completion waits for a coordinator.
func (s *Service) ConfirmSetting(ctx context.Context) (bool, error) {
	if _, err := staff(ctx); err != nil {
		return false, err
	}
	return s.DB.ConfirmJobReadySetting(ctx)
}

// SetConfirmSetting changes whether completion waits for a coordinator.
func (s *Service) SetConfirmSetting(ctx context.Context, confirm bool) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	return s.DB.SetConfirmJobReadySetting(ctx, confirm)
}

// PendingJobReady lists candidates who finished their plan and wait for a
// coordinator to confirm job-ready (staff).
func (s *Service) PendingJobReady(ctx context.Context) ([]postgres.JobReadyPending, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := s.DB.PendingJobReady(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.CandidateID
	}
	return ps, s.DB.AuditRead(ctx, u, AuditJobReadyPending, 0, ids, nil)
}

// ConfirmJobReady confirms a pending candidate and moves their case to
// job-ready through the cases service. Returns EFORBIDDEN, ENOTFOUND.
func (s *Service) ConfirmJobReady(ctx context.Context, candidateID int64) error {
	u, err := staff(ctx)
	if err != nil {
		return err
	}
	if s.Cases != nil {
		if err := s.Cases.CompleteTraining(ctx, candidateID, "training: confirmed"); err != nil {
			return err
		}
	}
	return s.DB.ConfirmJobReady(ctx, candidateID, tsunagu.ActorID(u), s.now())
}
