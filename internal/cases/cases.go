// Package cases runs a candidate's journey: the case and its stages, the
// residence-status track, introductions to companies behind the candidate's
// consent, retention check-ins after a hire, reminders and alerts.
//
// Every change is validated by the stage machines of the domain
// (tsunagu.CheckCaseMove, CheckIntroMove), stamped with who and when, and
// kept in case_events, the case's one timeline. What must happen later
// (check-ins, reminders, alerts, mail) is written to job_outbox in the same
// transaction as its cause; the task handlers here claim their outbox row in
// the transaction of their effect, so a task delivered twice acts once.
// Permission decisions go through tsunagu.Can only.
package cases

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Mailer sends mail (auth.Service: stored in the mail outbox, sent when
// SMTP is set up).
type Mailer interface {
	// SendMailOnce sends a message unless one with key was sent (or
	// stored to send) already.
	SendMailOnce(ctx context.Context, key, to, subject, body string) error
}

// Service implements cases, introductions and follow-ups.
type Service struct {
	DB  *postgres.DB
	Log *slog.Logger
	// Now is the clock (tests move it).
	Now func() time.Time
	// Mail, when set, mails every notification too.
	Mail Mailer
	// Translate renders a catalogue message in a language, for mail.
	Translate func(lang, id string, data map[string]any) string
	// BaseURL prefixes links in mail.
	BaseURL string
	// Hook, when set, runs inside each task handler's transaction after its
	// effect and before the commit (the reliability tests stop a worker
	// there).
	Hook func(ctx context.Context, task string) error
}

// New returns the service over db.
func New(db *postgres.DB) *Service {
	return &Service{DB: db, Log: slog.Default(), Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// staff returns the signed-in user if they may manage cases.
func staff(ctx context.Context) (*tsunagu.User, error) {
	return tsunagu.ActorMay(ctx, tsunagu.ActCaseManage)
}

func checkNote(v *tsunagu.Validation, field, note string) {
	if len(note) > tsunagu.MaxNote {
		v.Add(field, "error.too_long", map[string]any{"Max": tsunagu.MaxNote})
	}
}

func caseSubject(c *tsunagu.Case) tsunagu.Subject {
	sub := tsunagu.Subject{}
	if c.CandidateUser != nil {
		sub.OwnerUserID = *c.CandidateUser
	}
	return sub
}

// OpenCase opens the case of a candidate in intake, assigned to the caller.
// Returns EFORBIDDEN for non-staff, ENOTFOUND for an unknown candidate,
// ECONFLICT when the candidate has a case already.
func (s *Service) OpenCase(ctx context.Context, candidateID int64) (int64, error) {
	u, err := staff(ctx)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		now := s.now()
		id, err = postgres.CreateCase(ctx, tx, candidateID, tsunagu.ActorID(u), now)
		if err != nil {
			if tsunagu.ErrorCode(err) == tsunagu.ECONFLICT {
				return tsunagu.Errorf(tsunagu.ECONFLICT, "case.error.exists")
			}
			return err
		}
		return postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: id, Kind: tsunagu.EventStage, To: string(tsunagu.StageIntake), ActorID: tsunagu.ActorID(u), At: now})
	})
	return id, err
}

// CaseView is a case with its timeline, introductions and check-ins.
type CaseView struct {
	Case          *tsunagu.Case           `json:"case"`
	Events        []*tsunagu.CaseEvent    `json:"events"`
	Introductions []*tsunagu.Introduction `json:"introductions"`
	Followups     []*tsunagu.Followup     `json:"followups"`
}

// FindCase returns a case with its timeline to staff and to the candidate
// themself (without internal notes and alerts). Returns EUNAUTHORIZED for
// visitors and ENOTFOUND when it does not exist or the caller may not see it.
func (s *Service) FindCase(ctx context.Context, id int64) (*CaseView, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.DB.CaseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActCaseView, caseSubject(c)) {
		return nil, tsunagu.NotFound()
	}
	v, err := s.caseView(ctx, u, c)
	if err != nil {
		return nil, err
	}
	// The case names the person: a read by anyone but them is audited.
	if c.CandidateUser == nil || *c.CandidateUser != u.ID {
		if err := s.auditRead(ctx, u, AuditCaseView, c.CandidateID, nil, map[string]any{"case": c.ID}); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// OwnCase returns the signed-in candidate's case. ENOTFOUND when none.
func (s *Service) OwnCase(ctx context.Context) (*CaseView, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	if u.Role != tsunagu.RoleCandidate {
		return nil, tsunagu.NotFound()
	}
	c, err := s.DB.CaseByCandidateUser(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return s.caseView(ctx, u, c)
}

func (s *Service) caseView(ctx context.Context, u *tsunagu.User, c *tsunagu.Case) (*CaseView, error) {
	v := &CaseView{Case: c}
	var err error
	if v.Events, err = s.DB.CaseEvents(ctx, c.ID); err != nil {
		return nil, err
	}
	if v.Introductions, err = s.DB.IntroductionsOfCase(ctx, c.ID); err != nil {
		return nil, err
	}
	if err := s.withRecorded(ctx, v.Introductions); err != nil {
		return nil, err
	}
	if v.Followups, err = s.DB.FollowupsOfCase(ctx, c.ID); err != nil {
		return nil, err
	}
	if !u.Role.Staff() {
		events := v.Events[:0]
		for _, e := range v.Events {
			if e.Kind != tsunagu.EventNote && e.Kind != tsunagu.EventAlert {
				e.Note = ""
				events = append(events, e)
			}
		}
		v.Events = events
		for _, f := range v.Followups {
			OwnFollowupView(f)
		}
	}
	return v, nil
}

// ListCases returns the board's cases (staff only; EFORBIDDEN otherwise).
// The list names people: one audit row (AuditCaseList) names every
// candidate it returned.
func (s *Service) ListCases(ctx context.Context, f tsunagu.CaseFilter) ([]*tsunagu.Case, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.DB.ListCases(ctx, f, s.now())
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.CandidateID
	}
	if err := s.auditRead(ctx, u, AuditCaseList, 0, ids, map[string]any{"query": f.Query}); err != nil {
		return nil, err
	}
	return list, nil
}

// MoveCase moves a case by hand. Returns EINVALID (field "stage" or
// "reason") for a move the stage machine does not allow, with both stages
// named; EFORBIDDEN for non-staff; ENOTFOUND for an unknown case; ECONFLICT
// (tsunagu.Stale) when m.Version is set and the case changed since.
func (s *Service) MoveCase(ctx context.Context, id int64, m tsunagu.CaseMove) error {
	u, err := staff(ctx)
	if err != nil {
		return err
	}
	var v tsunagu.Validation
	checkNote(&v, "note", m.Note)
	if err := v.Err(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		c, err := postgres.LockCase(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := postgres.CheckVersion(m.Version, c.Version); err != nil {
			return err
		}
		return s.moveCase(ctx, tx, u, c, m)
	})
}

func (s *Service) moveCase(ctx context.Context, tx *postgres.Tx, u *tsunagu.User, c *tsunagu.Case, m tsunagu.CaseMove) error {
	if err := tsunagu.CheckCaseMove(c.Stage, m.Stage, m.Reason); err != nil {
		return err
	}
	reason := ""
	if m.Stage == tsunagu.StageClosed {
		reason = m.Reason
	}
	now := s.now()
	if err := postgres.SetCaseStage(ctx, tx, c.ID, m.Stage, reason, now); err != nil {
		return err
	}
	return postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: c.ID, Kind: tsunagu.EventStage,
		From: string(c.Stage), To: string(m.Stage), Reason: reason, Note: strings.TrimSpace(m.Note), ActorID: tsunagu.ActorID(u), At: now})
}

// BulkResult is the outcome of one case in a bulk move.
type BulkResult struct {
	CaseID int64 `json:"case_id"`
	Err    error `json:"-"`
}

// BulkMove moves several cases to one stage, each in its own transaction:
// a case whose move is not allowed keeps its stage and reports why, the
// others move. Returns EFORBIDDEN for non-staff, EINVALID without cases.
func (s *Service) BulkMove(ctx context.Context, ids []int64, m tsunagu.CaseMove) ([]BulkResult, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input",
			Fields: map[string]tsunagu.FieldError{"case_ids": {ID: "case.error.none_selected"}}}
	}
	out := make([]BulkResult, 0, len(ids))
	for _, id := range ids {
		out = append(out, BulkResult{CaseID: id, Err: s.MoveCase(ctx, id, m)})
	}
	return out, nil
}

// MoveResidence moves the residence-status track. Returns EINVALID (field
// "residence") for a move it does not allow.
func (s *Service) MoveResidence(ctx context.Context, id int64, to tsunagu.ResidenceTrack, note string) error {
	u, err := staff(ctx)
	if err != nil {
		return err
	}
	var v tsunagu.Validation
	checkNote(&v, "note", note)
	if err := v.Err(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		c, err := postgres.LockCase(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := tsunagu.CheckResidenceMove(c.Residence, to); err != nil {
			return err
		}
		now := s.now()
		if err := postgres.SetCaseResidence(ctx, tx, id, to, now); err != nil {
			return err
		}
		return postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: id, Kind: tsunagu.EventResidence,
			From: string(c.Residence), To: string(to), Note: strings.TrimSpace(note), ActorID: tsunagu.ActorID(u), At: now})
	})
}

// Assign gives a case to a coordinator (0: nobody). Returns EINVALID (field
// "coordinator_id") when the user is not staff.
func (s *Service) Assign(ctx context.Context, id, coordinatorID int64) error {
	u, err := staff(ctx)
	if err != nil {
		return err
	}
	var to *int64
	name := ""
	if coordinatorID != 0 {
		cu, err := s.DB.UserByID(ctx, coordinatorID)
		if err != nil || !cu.Role.Staff() || cu.Disabled {
			return &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input",
				Fields: map[string]tsunagu.FieldError{"coordinator_id": {ID: "error.choice"}}}
		}
		to, name = &cu.ID, cu.DisplayName
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		c, err := postgres.LockCase(ctx, tx, id)
		if err != nil {
			return err
		}
		now := s.now()
		if err := postgres.SetCaseCoordinator(ctx, tx, id, to, now); err != nil {
			return err
		}
		return postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: id, Kind: tsunagu.EventAssign,
			From: c.Coordinator, To: name, ActorID: tsunagu.ActorID(u), At: now})
	})
}

// AddNote adds a note to a case's timeline. EINVALID (field "note") when
// empty or too long.
func (s *Service) AddNote(ctx context.Context, id int64, note string) error {
	u, err := staff(ctx)
	if err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	var v tsunagu.Validation
	if note == "" {
		v.Add("note", "error.required", nil)
	}
	checkNote(&v, "note", note)
	if err := v.Err(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		if _, err := postgres.LockCase(ctx, tx, id); err != nil {
			return err
		}
		now := s.now()
		if err := postgres.TouchCase(ctx, tx, id, now); err != nil {
			return err
		}
		return postgres.AddCaseEvent(ctx, tx, &tsunagu.CaseEvent{CaseID: id, Kind: tsunagu.EventNote, Note: note, ActorID: tsunagu.ActorID(u), At: now})
	})
}

// Consented reports whether the candidate consented to an introduction to
// one of the companies and the introduction still shares their identity
// (candidate consented, introduced, interviewing, offered or hired). The
// profile service uses it (profile.WithConsents) to let a company see the
// identity; it checks no caller.
func (s *Service) Consented(ctx context.Context, candidateID int64, companyIDs []int64) (bool, error) {
	if len(companyIDs) == 0 {
		return false, nil
	}
	return s.DB.IdentityShared(ctx, candidateID, companyIDs)
}

// notify writes an in-app notification for each user and, in the same
// transaction, the outbox row that mails it.
func (s *Service) notify(ctx context.Context, tx *postgres.Tx, userIDs []int64, kind, msgID string, data map[string]any, link string) error {
	seen := map[int64]bool{}
	for _, uid := range userIDs {
		if seen[uid] {
			continue
		}
		seen[uid] = true
		n := &tsunagu.Notification{UserID: uid, Kind: kind, MessageID: msgID, Data: data, Link: link}
		if err := postgres.AddNotification(ctx, tx, n); err != nil {
			return err
		}
		if s.Mail != nil {
			key := fmt.Sprintf("mail:%d", n.ID)
			if err := postgres.AddOutbox(ctx, tx, TaskNotifyMail, key, s.now(), map[string]int64{"notification_id": n.ID}); err != nil {
				return err
			}
		}
	}
	return nil
}
