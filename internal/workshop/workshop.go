// Package workshop runs co-creation workshops (共創): a company requests a
// workshop for its staff training; a coordinator proposes lecturers from the
// candidates who opted in as speakers; each proposed lecturer accepts
// (consenting to be named to that company) or declines; the coordinator
// schedules, records delivery, and the company and lecturers leave feedback.
//
// A company never sees a lecturer's name or profile before that lecturer
// accepted: the service drops proposed and declined lecturers from what a
// company gets and counts them instead (tsunagu.ActLecturerName decides).
// Reminders are written to job_outbox in the same transaction as the
// scheduling; the reminder task (tasks.go) runs them (Remind).
package workshop

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// ReminderBefore is how long before a workshop its reminder goes out.
const ReminderBefore = 24 * time.Hour

// NotifyReminder is the notification kind of a reminder.
const NotifyReminder = "workshop_reminder"

// Service implements workshops.
type Service struct {
	DB  *postgres.DB
	Log *slog.Logger
	Now func() time.Time
	// Translate renders a catalogue message in a language, for mail.
	Translate func(lang, id string, data map[string]any) string
}

// New returns the service over db.
func New(db *postgres.DB) *Service {
	return &Service{DB: db, Log: slog.Default(), Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

func staff(ctx context.Context) (*tsunagu.User, error) {
	return tsunagu.ActorMay(ctx, tsunagu.ActWorkshopManage)
}

// viewer gathers what Can needs about u and a workshop: the companies u
// belongs to and, for a candidate, their own lecturer entry.
type viewer struct {
	u         *tsunagu.User
	companies []int64
	candidate int64 // the viewer's candidate id (0: none)
}

func (s *Service) viewer(ctx context.Context) (*viewer, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	v := &viewer{u: u}
	switch u.Role {
	case tsunagu.RoleCompany:
		if v.companies, err = s.DB.CompanyIDsForUser(ctx, u.ID); err != nil {
			return nil, err
		}
	case tsunagu.RoleCandidate:
		c, err := s.DB.CandidateByUserID(ctx, u.ID)
		if err == nil {
			v.candidate = c.ID
		} else if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			return nil, err
		}
	}
	return v, nil
}

// lecturerOf returns the viewer's own lecturer entry on w, or nil.
func (v *viewer) lecturerOf(w *tsunagu.Workshop) *tsunagu.WorkshopLecturer {
	if v.candidate == 0 {
		return nil
	}
	for _, l := range w.Lecturers {
		if l.CandidateID == v.candidate {
			return l
		}
	}
	return nil
}

func (v *viewer) subject(w *tsunagu.Workshop) tsunagu.Subject {
	sub := tsunagu.Subject{CompanyID: w.CompanyID, ViewerCompanyIDs: v.companies, Published: w.Status == tsunagu.WorkshopDelivered}
	if l := v.lecturerOf(w); l != nil {
		sub.OwnerUserID = v.u.ID
		sub.Consented = l.Status == tsunagu.LecturerAccepted
	}
	return sub
}

// redact keeps only what the viewer may see of w's lecturers: a company
// sees a lecturer only once they accepted, and a lecturer sees themself;
// the rest are counted in HiddenLecturers. A company told a lecturer's
// name learns nothing that links it to their anonymised card (their
// candidate id, their headline) unless identified reports that the
// candidate consented to an introduction to it. Feedback is shown to
// staff and to its author only.
func (v *viewer) redact(w *tsunagu.Workshop, identified map[int64]bool) {
	kept := w.Lecturers[:0:0]
	for _, l := range w.Lecturers {
		sub := tsunagu.Subject{CompanyID: w.CompanyID, ViewerCompanyIDs: v.companies, Consented: l.Status == tsunagu.LecturerAccepted}
		if l.CandidateID == v.candidate {
			sub.OwnerUserID = v.u.ID
		}
		if tsunagu.Can(v.u, tsunagu.ActLecturerName, sub) {
			if v.u.Role == tsunagu.RoleCompany && !tsunagu.Can(v.u, tsunagu.ActCandidateViewFull, tsunagu.Subject{
				ViewerCompanyIDs: v.companies, Visibility: l.Visibility, Consented: identified[l.CandidateID]}) {
				// The name only: the candidate id would tie it to the
				// anonymised card (tsunagu.AnonymizeWorkshops), and the
				// headline, which the card leaves out, to the card by
				// what it says.
				l.CandidateID, l.Headline = 0, ""
			}
			kept = append(kept, l)
		} else {
			w.HiddenLecturers++
		}
	}
	w.Lecturers = kept
	if !v.u.Role.Staff() {
		fb := w.Feedback[:0:0]
		for _, f := range w.Feedback {
			if f.AuthorID != nil && *f.AuthorID == v.u.ID {
				fb = append(fb, f)
			}
		}
		w.Feedback = fb
	}
}

// viewerAndWorkshop returns the caller as a viewer and the workshop of id.
// Returns EUNAUTHORIZED, ENOTFOUND; whether the viewer may see or act on
// the workshop is the caller's check.
func (s *Service) viewerAndWorkshop(ctx context.Context, id int64) (*viewer, *tsunagu.Workshop, error) {
	v, err := s.viewer(ctx)
	if err != nil {
		return nil, nil, err
	}
	w, err := s.DB.WorkshopByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return v, w, nil
}

// Request records a company's request for a workshop. The company is the
// caller's (the first they belong to when r.CompanyID is 0). Returns
// EUNAUTHORIZED, EFORBIDDEN, EINVALID with per-field errors.
func (s *Service) Request(ctx context.Context, r tsunagu.WorkshopRequest) (*tsunagu.Workshop, error) {
	v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	if r.CompanyID == 0 && len(v.companies) > 0 {
		r.CompanyID = v.companies[0]
	}
	if !tsunagu.Can(v.u, tsunagu.ActWorkshopRequest, tsunagu.Subject{CompanyID: r.CompanyID, ViewerCompanyIDs: v.companies}) {
		return nil, tsunagu.Forbidden()
	}
	if err := r.Validate(s.now()); err != nil {
		return nil, err
	}
	w := &tsunagu.Workshop{CompanyID: r.CompanyID, RequestedBy: tsunagu.ActorID(v.u), Topic: r.Topic, Audience: r.Audience,
		PreferredDates: r.PreferredDates, Language: r.Language, Notes: r.Notes}
	if err := s.DB.CreateWorkshop(ctx, w, ""); err != nil {
		return nil, fmt.Errorf("request workshop: %w", err)
	}
	return s.Find(ctx, w.ID)
}

// Find returns a workshop as the caller may see it: staff everything; the
// company its own workshop with only the lecturers who accepted; a
// proposed lecturer the workshop with themself. Returns EUNAUTHORIZED,
// ENOTFOUND (also when the caller may not see it).
func (s *Service) Find(ctx context.Context, id int64) (*tsunagu.Workshop, error) {
	v, w, err := s.viewerAndWorkshop(ctx, id)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(v.u, tsunagu.ActWorkshopView, v.subject(w)) {
		return nil, tsunagu.NotFound()
	}
	identified, err := s.identified(ctx, v, w)
	if err != nil {
		return nil, err
	}
	v.redact(w, identified)
	return w, nil
}

// identified reports, for a company viewer, which of w's accepted
// lecturers consented to an introduction to one of its companies (the
// identity rule: then it may link their name to their profile).
func (s *Service) identified(ctx context.Context, v *viewer, w *tsunagu.Workshop) (map[int64]bool, error) {
	if v.u.Role != tsunagu.RoleCompany || len(v.companies) == 0 {
		return nil, nil
	}
	out := map[int64]bool{}
	for _, l := range w.Lecturers {
		if l.Status != tsunagu.LecturerAccepted {
			continue
		}
		ok, err := s.DB.IdentityShared(ctx, l.CandidateID, v.companies)
		if err != nil {
			return nil, fmt.Errorf("workshop lecturers: %w", err)
		}
		out[l.CandidateID] = ok
	}
	return out, nil
}

// List returns the workshops the caller may see: staff all, a company its
// own, a candidate those they were proposed for (lecturers redacted as in
// Find; lists carry no lecturers).
func (s *Service) List(ctx context.Context) ([]*tsunagu.Workshop, error) {
	v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	f := postgres.WorkshopFilter{}
	switch {
	case v.u.Role.Staff():
	case v.u.Role == tsunagu.RoleCompany:
		f.CompanyIDs = append([]int64{}, v.companies...)
	case v.candidate != 0:
		f.CandidateID = v.candidate
	default:
		return []*tsunagu.Workshop{}, nil
	}
	return s.DB.ListWorkshops(ctx, f)
}

// AuditSpeakers is the audit action of staff reading the speaker picker
// (candidates' names): detail "ids" names every candidate it listed.
const AuditSpeakers = "workshop.speakers"

// Speakers lists candidates who opted in as speakers (staff). The list
// names people: one audit row names every candidate on it.
func (s *Service) Speakers(ctx context.Context) ([]tsunagu.WorkshopLecturer, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	ls, err := s.DB.SpeakerCandidates(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(ls))
	for i, l := range ls {
		ids[i] = l.CandidateID
	}
	return ls, s.DB.AuditRead(ctx, u, AuditSpeakers, 0, ids, nil)
}

// ProposeLecturer proposes a candidate who opted in as a speaker and is
// not hidden (staff).
// The company does not learn who until the candidate accepts. Returns
// EFORBIDDEN, ENOTFOUND, EINVALID (field "candidate_id": not a speaker;
// "status": the workshop is over), ECONFLICT.
func (s *Service) ProposeLecturer(ctx context.Context, workshopID, candidateID int64) error {
	u, err := staff(ctx)
	if err != nil {
		return err
	}
	c, err := s.DB.CandidateByID(ctx, candidateID)
	// A hidden candidate is no speaker to propose: hidden profiles are
	// read only by the coordinator working the case.
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND || (err == nil && (!c.SpeakerOptIn || c.Visibility == tsunagu.VisibilityHidden)) {
		return tsunagu.FieldErr("candidate_id", "workshop.error.not_a_speaker", nil)
	} else if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		w, err := postgres.LockWorkshop(ctx, tx, workshopID)
		if err != nil {
			return err
		}
		if w.Status == tsunagu.WorkshopDelivered || w.Status == tsunagu.WorkshopCancelled {
			return tsunagu.FieldErr("status", "workshop.error.closed", nil)
		}
		err = postgres.ProposeLecturer(ctx, tx, workshopID, candidateID, tsunagu.ActorID(u), s.now())
		if tsunagu.ErrorCode(err) == tsunagu.ECONFLICT {
			return tsunagu.FieldErr("candidate_id", "workshop.error.already_proposed", nil)
		}
		if err != nil || c.UserID == nil {
			return err
		}
		return s.tellProposed(ctx, tx, w, *c.UserID)
	})
}

// NotifyProposed is the notification kind of a lecturer proposal.
const NotifyProposed = "workshop_proposed"

// tellProposed tells the candidate proposed as a lecturer, in their
// language, in tx: in the app and by mail.
func (s *Service) tellProposed(ctx context.Context, tx *postgres.Tx, w *tsunagu.Workshop, userID int64) error {
	cu, err := postgres.UserInTx(ctx, tx, userID)
	if err != nil || cu.Disabled {
		return err
	}
	data := map[string]any{"Topic": w.Topic}
	subject, body := "workshop.notify.proposed_subject", "workshop.notify.proposed"
	if s.Translate != nil {
		lang := cu.Locale
		if lang == "" {
			lang = "ja"
		}
		subject, body = s.Translate(lang, subject, data), s.Translate(lang, body, data)
	}
	link := "/workshops/" + strconv.FormatInt(w.ID, 10)
	return postgres.NotifyInTx(ctx, tx, cu, NotifyProposed, "workshop.notify.proposed", data, link, subject, body)
}

// Respond records the signed-in lecturer's answer to a proposal: accept
// consents to being named to the requesting company. Returns
// EUNAUTHORIZED, ENOTFOUND (not proposed), EINVALID (field "status").
func (s *Service) Respond(ctx context.Context, workshopID int64, accept bool) error {
	v, w, err := s.viewerAndWorkshop(ctx, workshopID)
	if err != nil {
		return err
	}
	l := v.lecturerOf(w)
	if l == nil || !tsunagu.Can(v.u, tsunagu.ActWorkshopRespond, tsunagu.Subject{OwnerUserID: v.u.ID}) {
		return tsunagu.NotFound()
	}
	if w.Status == tsunagu.WorkshopDelivered || w.Status == tsunagu.WorkshopCancelled {
		return tsunagu.FieldErr("status", "workshop.error.closed", nil)
	}
	if accept && w.Status == tsunagu.WorkshopScheduled && l.Status == tsunagu.LecturerDeclined {
		return tsunagu.FieldErr("status", "workshop.error.closed", nil)
	}
	status := tsunagu.LecturerDeclined
	if accept {
		status = tsunagu.LecturerAccepted
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		if _, err := postgres.LockWorkshop(ctx, tx, workshopID); err != nil {
			return err
		}
		return postgres.SetLecturerStatus(ctx, tx, workshopID, l.CandidateID, status, s.now())
	})
}

// Schedule sets the date and place (staff). At least one lecturer must
// have accepted. A reminder to the company, the lecturers and the
// coordinators is planned ReminderBefore the workshop, in the same
// transaction; rescheduling plans a new one and the old one does nothing.
// The workshop is changed only if it is still at version (0: whatever its
// version). Returns EFORBIDDEN, ENOTFOUND, EINVALID ("scheduled_at",
// "place", "lecturers", "status"), ECONFLICT (tsunagu.Stale).
func (s *Service) Schedule(ctx context.Context, workshopID, version int64, at time.Time, place string) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	place = strings.TrimSpace(place)
	var v tsunagu.Validation
	now := s.now()
	if at.IsZero() {
		v.Add("scheduled_at", "error.required", nil)
	} else if at.Before(now) {
		v.Add("scheduled_at", "workshop.error.in_past", nil)
	}
	if place == "" {
		v.Add("place", "error.required", nil)
	} else if len([]rune(place)) > tsunagu.MaxTextLen {
		v.Add("place", "error.too_long", map[string]any{"Max": tsunagu.MaxTextLen})
	}
	if err := v.Err(); err != nil {
		return err
	}
	at = at.UTC().Truncate(time.Second)
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		w, err := lockAt(ctx, tx, workshopID, version)
		if err != nil {
			return err
		}
		if w.Status != tsunagu.WorkshopRequested && w.Status != tsunagu.WorkshopScheduled {
			return tsunagu.FieldErr("status", "workshop.error.closed", nil)
		}
		accepted := 0
		for _, l := range w.Lecturers {
			if l.Status == tsunagu.LecturerAccepted {
				accepted++
			}
		}
		if accepted == 0 {
			return tsunagu.FieldErr("lecturers", "workshop.error.no_lecturer", nil)
		}
		if err := postgres.ScheduleWorkshop(ctx, tx, workshopID, at, place, now); err != nil {
			return err
		}
		runAt := at.Add(-ReminderBefore)
		if runAt.Before(now) {
			runAt = now
		}
		key := "workshop-reminder:" + strconv.FormatInt(workshopID, 10) + ":" + strconv.FormatInt(at.Unix(), 10)
		return postgres.AddOutbox(ctx, tx, TaskReminder, key, runAt, map[string]int64{"workshop_id": workshopID, "at": at.Unix()})
	})
}

// RecordDelivery marks a scheduled workshop delivered with how many took
// part (staff), if it is still at version (0: whatever its version).
// Returns EFORBIDDEN, ENOTFOUND, EINVALID ("participants", "status"),
// ECONFLICT (tsunagu.Stale).
func (s *Service) RecordDelivery(ctx context.Context, workshopID, version int64, participants int) error {
	if _, err := staff(ctx); err != nil {
		return err
	}
	if participants < 1 || participants > tsunagu.MaxWorkshopAudience*2 {
		return tsunagu.FieldErr("participants", "training.error.range", map[string]any{"Min": 1, "Max": tsunagu.MaxWorkshopAudience * 2})
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		w, err := lockAt(ctx, tx, workshopID, version)
		if err != nil {
			return err
		}
		if w.Status != tsunagu.WorkshopScheduled {
			return tsunagu.FieldErr("status", "workshop.error.not_scheduled", nil)
		}
		return postgres.SetWorkshopDelivered(ctx, tx, workshopID, participants, s.now())
	})
}

// Cancel cancels a requested or scheduled workshop (staff, or a member of
// the requesting company), if it is still at version (0: whatever its
// version). Returns ENOTFOUND, EINVALID ("status"), ECONFLICT
// (tsunagu.Stale).
func (s *Service) Cancel(ctx context.Context, workshopID, version int64) error {
	v, w, err := s.viewerAndWorkshop(ctx, workshopID)
	if err != nil {
		return err
	}
	sub := tsunagu.Subject{CompanyID: w.CompanyID, ViewerCompanyIDs: v.companies}
	if !tsunagu.Can(v.u, tsunagu.ActWorkshopManage, sub) && !tsunagu.Can(v.u, tsunagu.ActWorkshopRequest, sub) {
		return tsunagu.NotFound()
	}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		w, err := lockAt(ctx, tx, workshopID, version)
		if err != nil {
			return err
		}
		if w.Status != tsunagu.WorkshopRequested && w.Status != tsunagu.WorkshopScheduled {
			return tsunagu.FieldErr("status", "workshop.error.closed", nil)
		}
		return postgres.SetWorkshopCancelled(ctx, tx, workshopID, s.now())
	})
}

// lockAt locks the workshop in tx and returns it when it is still at
// version (0: any); else tsunagu.Stale, nothing changed. The schedule,
// delivery and cancellation change the workshop row and check this;
// proposals, answers and feedback are rows of their own, and need not.
func lockAt(ctx context.Context, tx *postgres.Tx, workshopID, version int64) (*tsunagu.Workshop, error) {
	w, err := postgres.LockWorkshop(ctx, tx, workshopID)
	if err != nil {
		return nil, err
	}
	if err := postgres.CheckVersion(version, w.Version); err != nil {
		return nil, err
	}
	return w, nil
}

// GiveFeedback stores the caller's feedback on a delivered workshop: a
// member of the company, or a lecturer who accepted. Returns ENOTFOUND,
// EFORBIDDEN (not delivered yet, or not a party), EINVALID, ECONFLICT.
func (s *Service) GiveFeedback(ctx context.Context, workshopID int64, in tsunagu.WorkshopFeedbackInput) error {
	v, w, err := s.viewerAndWorkshop(ctx, workshopID)
	if err != nil {
		return err
	}
	sub := v.subject(w)
	if !tsunagu.Can(v.u, tsunagu.ActWorkshopView, sub) {
		return tsunagu.NotFound()
	}
	if !tsunagu.Can(v.u, tsunagu.ActWorkshopFeedback, sub) {
		return tsunagu.Errorf(tsunagu.EFORBIDDEN, "workshop.error.feedback_not_open")
	}
	if err := in.Validate(); err != nil {
		return err
	}
	party := "company"
	if v.u.Role == tsunagu.RoleCandidate {
		party = "lecturer"
	}
	f := &tsunagu.WorkshopFeedback{WorkshopID: workshopID, Party: party, AuthorID: tsunagu.ActorID(v.u),
		Rating: in.Rating, Comment: in.Comment, CreatedAt: s.now()}
	return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		err := postgres.AddWorkshopFeedback(ctx, tx, f)
		if tsunagu.ErrorCode(err) == tsunagu.ECONFLICT {
			return tsunagu.FieldErr("rating", "workshop.error.feedback_given", nil)
		}
		return err
	})
}

// Remind sends a workshop's reminder inside tx, where the task handler has
// claimed the outbox row: an in-app notification and a mail to the
// requesting company's members, the lecturers who accepted and the
// coordinators. A reminder for a schedule that changed since (at is the
// scheduled time it was planned for, in Unix seconds) or a workshop no
// longer scheduled does nothing. It checks no caller (it runs as a task).
func (s *Service) Remind(ctx context.Context, tx *postgres.Tx, workshopID, at int64) error {
	w, err := postgres.LockWorkshop(ctx, tx, workshopID)
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if w.Status != tsunagu.WorkshopScheduled || w.ScheduledAt == nil || w.ScheduledAt.Unix() != at {
		return nil
	}
	var users []*tsunagu.User
	members, err := postgres.WorkshopCompanyMembers(ctx, tx, w.CompanyID)
	if err != nil {
		return err
	}
	users = append(users, members...)
	for _, l := range w.Lecturers {
		if l.Status == tsunagu.LecturerAccepted && l.UserID != nil {
			u, err := postgres.UserInTx(ctx, tx, *l.UserID)
			if err != nil {
				return err
			}
			users = append(users, u)
		}
	}
	staffUsers, err := postgres.StaffUsers(ctx, tx)
	if err != nil {
		return err
	}
	users = append(users, staffUsers...)
	seen := map[int64]bool{}
	for _, u := range users {
		if seen[u.ID] || u.Disabled {
			continue
		}
		seen[u.ID] = true
		data := map[string]any{"Topic": w.Topic, "When": w.ScheduledAt.In(jst).Format("2006-01-02 15:04"), "Place": w.Place}
		lang := u.Locale
		if lang == "" {
			lang = "ja"
		}
		subject, body := "workshop.reminder.subject", "workshop.reminder.body"
		if s.Translate != nil {
			subject, body = s.Translate(lang, subject, data), s.Translate(lang, body, data)
		}
		link := "/workshops/" + strconv.FormatInt(w.ID, 10)
		if err := postgres.NotifyInTx(ctx, tx, u, NotifyReminder, "workshop.reminder.body", data, link, subject, body); err != nil {
			return err
		}
	}
	return nil
}

var jst = i18n.Zone // the one zone forms read and pages show times in

// AuditViewHistory is the audit action of a company reading a lecturer's
// workshop history in full.
const AuditViewHistory = "candidate.view_workshops"

// LecturerHistory returns the workshops a candidate accepted to teach
// (scheduled and delivered) as the caller may see them, for the
// "Workshops given" section of a profile:
//   - the candidate themself and staff: the list, with every company;
//   - a company the candidate consented to (the rule that gives it their
//     identity, tsunagu.ActLecturerHistory): the list, each company named
//     (and its topic given) only where the company may see that workshop
//     (its own), because the
//     lecturer's consent names them to that company, it does not name that
//     company to a third; the view is audited like a full profile;
//   - a company that may see only the card: the card summary
//     (tsunagu.AnonymizeWorkshops), no topics, dates or company names.
//
// Returns EUNAUTHORIZED, ENOTFOUND (also when the caller may not see the
// candidate at all).
func (s *Service) LecturerHistory(ctx context.Context, candidateID int64) (*tsunagu.LecturerHistory, error) {
	// Not s.viewer: a candidate's own record is not needed here (the
	// account decides), and this runs on every profile and card view.
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	v := &viewer{u: u}
	if u.Role == tsunagu.RoleCompany {
		if v.companies, err = s.DB.CompanyIDsForUser(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	l, err := s.DB.LecturerByID(ctx, candidateID)
	if err != nil {
		return nil, err
	}
	sub := tsunagu.Subject{Visibility: l.Visibility, ViewerCompanyIDs: v.companies}
	if l.UserID != nil {
		sub.OwnerUserID = *l.UserID
	}
	if v.u.Role == tsunagu.RoleCompany && len(v.companies) > 0 {
		if sub.Consented, err = s.DB.IdentityShared(ctx, candidateID, v.companies); err != nil {
			return nil, fmt.Errorf("lecturer history: %w", err)
		}
	}
	full := tsunagu.Can(v.u, tsunagu.ActLecturerHistory, sub)
	if !full && !tsunagu.Can(v.u, tsunagu.ActCandidateViewAnon, sub) {
		return nil, tsunagu.NotFound()
	}
	ws := l.Workshops
	if !full {
		return &tsunagu.LecturerHistory{Card: tsunagu.AnonymizeWorkshops(ws, v.companies)}, nil
	}
	for i := range ws {
		on := tsunagu.Subject{CompanyID: ws[i].CompanyID, ViewerCompanyIDs: v.companies}
		if sub.OwnerUserID == v.u.ID {
			on.OwnerUserID = v.u.ID // a lecturer may see the workshops they teach
		}
		if !tsunagu.Can(v.u, tsunagu.ActWorkshopView, on) {
			// The topic goes too: it is the requesting company's free
			// text, and often names it or its business.
			ws[i].CompanyID, ws[i].CompanyName, ws[i].Topic = 0, "", ""
		}
	}
	// Staff read this inside the full profile, whose view is audited
	// already; a company reads it on the card page, which is not.
	if v.u.Role == tsunagu.RoleCompany {
		detail := []byte(`{"role":"company"}`)
		if err := s.DB.Audit(ctx, v.u.ID, AuditViewHistory, "candidate", strconv.FormatInt(candidateID, 10), detail); err != nil {
			return nil, err
		}
	}
	return &tsunagu.LecturerHistory{Full: true, Workshops: ws}, nil
}

// CaseMilestones returns a candidate's workshop milestones for their case
// timeline, oldest first: proposed, accepted or declined, the session
// (at its scheduled time), delivered, cancelled, and the feedback of the
// company and of the candidate. They are derived from the workshop tables
// each time, so the timeline and the workshop never disagree; only the
// latest proposal is known (proposing again after a decline replaces the
// first). Only staff and the candidate themself see them (the case rule,
// tsunagu.ActCaseView); the company's feedback only staff. Returns
// EUNAUTHORIZED, ENOTFOUND.
func (s *Service) CaseMilestones(ctx context.Context, candidateID int64) ([]tsunagu.WorkshopMilestone, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.DB.CandidateByID(ctx, candidateID)
	if err != nil {
		return nil, err
	}
	sub := tsunagu.Subject{}
	if c.UserID != nil {
		sub.OwnerUserID = *c.UserID
	}
	if !tsunagu.Can(u, tsunagu.ActCaseView, sub) {
		return nil, tsunagu.NotFound()
	}
	parts, feedback, err := s.DB.LecturerParts(ctx, candidateID)
	if err != nil {
		return nil, err
	}
	if !u.Role.Staff() {
		// Feedback is shown to staff and to its author only (as on the
		// workshop page, viewer.redact): the lecturer keeps their own.
		own := feedback[:0:0]
		for _, f := range feedback {
			if f.Party == "lecturer" {
				own = append(own, f)
			}
		}
		feedback = own
	}
	return milestones(c, parts, feedback), nil
}

func milestones(c *tsunagu.Candidate, parts []postgres.LecturerPart, feedback []postgres.LecturerFeedback) []tsunagu.WorkshopMilestone {
	var out []tsunagu.WorkshopMilestone
	taught := map[int64]postgres.LecturerPart{}
	for _, p := range parts {
		m := tsunagu.WorkshopMilestone{WorkshopID: p.WorkshopID, Topic: p.Topic, CompanyName: p.CompanyName}
		add := func(kind string, at time.Time, actor string) {
			m.Kind, m.At, m.Actor = kind, at, actor
			out = append(out, m)
		}
		proposer := ""
		if p.ProposedBy != nil {
			proposer = *p.ProposedBy
		}
		add(tsunagu.MilestoneProposed, p.ProposedAt, proposer)
		if p.RespondedAt != nil && p.Lecturer != tsunagu.LecturerProposed {
			add(p.Lecturer, *p.RespondedAt, c.Name) // accepted or declined
		}
		if p.Lecturer == tsunagu.LecturerDeclined {
			continue // the workshop went on without them
		}
		if p.Lecturer == tsunagu.LecturerAccepted {
			taught[p.WorkshopID] = p
			if p.ScheduledAt != nil && p.Status != string(tsunagu.WorkshopCancelled) {
				m.Place = p.Place
				add(tsunagu.MilestoneSession, *p.ScheduledAt, "")
				m.Place = ""
			}
			if p.DeliveredAt != nil && p.Status == string(tsunagu.WorkshopDelivered) {
				m.Participants = p.Participants
				add(tsunagu.MilestoneDelivered, *p.DeliveredAt, "")
			}
		}
		if p.Status == string(tsunagu.WorkshopCancelled) {
			add(tsunagu.MilestoneCancelled, p.UpdatedAt, "") // cancelling is the last change a workshop takes
		}
	}
	for _, f := range feedback {
		p, ok := taught[f.WorkshopID]
		if !ok {
			continue
		}
		m := tsunagu.WorkshopMilestone{WorkshopID: f.WorkshopID, Kind: tsunagu.MilestoneFeedback, At: f.CreatedAt,
			Topic: p.Topic, CompanyName: p.CompanyName, Party: f.Party, Rating: f.Rating}
		if f.Author != nil {
			m.Actor = *f.Author
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}
