package casehttp

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/cases"
	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// entry is one translated line of a case's timeline.
type entry struct {
	At    time.Time
	Kind  string
	Text  string
	Note  string
	Actor string
	Link  string // a page the line is about ("" none)
}

// CaseWorkshops gives a lecturer's workshop milestones
// (workshop.Service.CaseMilestones).
type CaseWorkshops interface {
	CaseMilestones(ctx context.Context, candidateID int64) ([]tsunagu.WorkshopMilestone, error)
}

// workshopTimeline translates a lecturer's workshop milestones into
// timeline lines. They are read from the workshop tables when the page is
// shown rather than copied into case_events when a workshop changes: the
// workshop stays the one record of what happened, and a workshop changed
// by any path (page, API, seed) shows without that path knowing about
// cases.
func workshopTimeline(p *i18n.Printer, ms []tsunagu.WorkshopMilestone) []entry {
	out := make([]entry, 0, len(ms))
	for _, m := range ms {
		data := map[string]any{"Topic": m.Topic, "Company": m.CompanyName, "Place": m.Place, "N": m.Participants, "Rating": m.Rating}
		id := "workshop.ev." + m.Kind
		if m.Kind == tsunagu.MilestoneFeedback {
			id += "_" + m.Party
		}
		out = append(out, entry{At: m.At, Kind: "workshop", Text: p.T(id, data), Actor: m.Actor,
			Link: "/workshops/" + strconv.FormatInt(m.WorkshopID, 10)})
	}
	return out
}

// mergeTimeline merges two timelines, each oldest first, into one in date
// order (a before b at the same moment).
func mergeTimeline(a, b []entry) []entry {
	out := make([]entry, 0, len(a)+len(b))
	out = append(append(out, a...), b...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

type introRow struct {
	*tsunagu.Introduction
	Next []tsunagu.IntroStage
	// Record: an answer given outside the platform may be recorded.
	Record bool
}

// checkin is a follow-up row with its status message.
type checkin struct {
	*tsunagu.Followup
	Status string
}

func checkinStatus(f *tsunagu.Followup, now time.Time) string {
	switch {
	case f.CompletedAt != nil && f.StillEmployed != nil && *f.StillEmployed:
		return "cases.followup.employed"
	case f.CompletedAt != nil:
		return "cases.followup.left"
	case f.Overdue(now):
		return "cases.followup.overdue"
	case f.Due(now):
		return "cases.followup.due"
	}
	return "cases.followup.scheduled"
}

type casePage struct {
	*cases.CaseView
	Checkins      []checkin
	CoordinatorID int64
	Timeline      []entry
	Intros        []introRow
	Next          []tsunagu.CaseStage
	Reasons       []string
	ResidenceNext []tsunagu.ResidenceTrack
	Coordinators  []postgres.UserRef
	Roles         []postgres.RoleRef
	Now           time.Time
}

// timeline translates a case's events into one list, oldest first.
func timeline(p *i18n.Printer, v *cases.CaseView) []entry {
	intros := map[int64]*tsunagu.Introduction{}
	for _, in := range v.Introductions {
		intros[in.ID] = in
	}
	var out []entry
	for _, e := range v.Events {
		en := entry{At: e.At, Kind: e.Kind, Note: e.Note, Actor: e.Actor}
		if e.ActorID == nil {
			en.Actor = p.T("cases.system")
		}
		switch e.Kind {
		case tsunagu.EventStage:
			if e.From == "" {
				en.Text = p.T("cases.ev.opened")
			} else {
				en.Text = p.T("cases.ev.stage", map[string]any{"From": stageName(p, e.From), "To": stageName(p, e.To)})
			}
			if e.Reason != "" {
				if strings.HasPrefix(e.Reason, "case.auto.") {
					en.Text += " · " + p.T("cases."+strings.TrimPrefix(e.Reason, "case."))
				} else {
					en.Text += " · " + p.T("cases.reason."+e.Reason)
				}
			}
		case tsunagu.EventResidence:
			en.Text = p.T("cases.ev.residence", map[string]any{"From": p.T("cases.residence." + e.From), "To": p.T("cases.residence." + e.To)})
		case tsunagu.EventNote:
			en.Text = p.T("cases.ev.note")
		case tsunagu.EventAssign:
			to := e.To
			if to == "" {
				to = p.T("cases.nobody")
			}
			en.Text = p.T("cases.ev.assign", map[string]any{"To": to})
		case tsunagu.EventIntroduction:
			role := ""
			if e.IntroductionID != nil {
				if in := intros[*e.IntroductionID]; in != nil {
					role = in.RoleTitle + " · " + in.CompanyName
				}
			}
			if method, ok := strings.CutPrefix(e.Reason, "recorded."); ok {
				// An answer given outside the platform, recorded by staff.
				en.Text = p.T("cases.ev.recorded_"+e.To, map[string]any{"Role": role, "Method": p.T("cases.method." + method)})
			} else if e.From == "" {
				en.Text = p.T("cases.ev.suggested", map[string]any{"Role": role})
			} else {
				en.Text = p.T("cases.ev.intro", map[string]any{"Role": role, "From": introStageName(p, e.From), "To": introStageName(p, e.To)})
			}
		case tsunagu.EventFollowup:
			en.Text = p.T("cases.ev.followup_"+e.To, map[string]any{"Which": e.From})
		case tsunagu.EventAlert:
			en.Text = p.T("cases.ev.alert_"+e.To, map[string]any{"Note": e.Note})
			en.Note = ""
		}
		out = append(out, en)
	}
	return out
}

func (h *Handlers) casePage(c *gin.Context, id int64) (*casePage, error) {
	ctx := c.Request.Context()
	v, err := h.Cases.FindCase(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &casePage{CaseView: v, Timeline: timeline(h.s.Printer(c), v), Reasons: tsunagu.CloseReasons, Now: time.Now()}
	if h.Workshops != nil {
		ms, err := h.Workshops.CaseMilestones(ctx, v.Case.CandidateID)
		if err != nil {
			return nil, err
		}
		d.Timeline = mergeTimeline(d.Timeline, workshopTimeline(h.s.Printer(c), ms))
	}
	d.Next = v.Case.Stage.NextStages()
	d.ResidenceNext = v.Case.Residence.NextResidence()
	if v.Case.CoordinatorID != nil {
		d.CoordinatorID = *v.Case.CoordinatorID
	}
	for _, f := range v.Followups {
		d.Checkins = append(d.Checkins, checkin{Followup: f, Status: checkinStatus(f, d.Now)})
	}
	for _, in := range v.Introductions {
		var next []tsunagu.IntroStage
		for _, n := range in.Stage.NextStages() {
			// Only the candidate consents or declines; staff record an
			// answer given outside the platform (the recorded-consent form).
			if n != tsunagu.IntroConsented && n != tsunagu.IntroDeclinedByCand {
				next = append(next, n)
			}
		}
		d.Intros = append(d.Intros, introRow{Introduction: in, Next: next, Record: len(recordAnswers(in.Stage)) > 0})
	}
	if d.Coordinators, err = h.DB.Coordinators(ctx); err != nil {
		return nil, err
	}
	if d.Roles, err = h.DB.OpenRoles(ctx, 500); err != nil {
		return nil, err
	}
	return d, nil
}

// handleCase handles GET /coordinator/cases/:id: the case with its one
// timeline of stages, notes, introductions, follow-ups and, for a
// lecturer, workshops.
func (h *Handlers) handleCase(c *gin.Context, id int64) (any, error) {
	return h.casePage(c, id)
}

// caseAction runs a case form's action, then redirects back with a flash,
// or re-renders the case page with the error next to the field.
func (h *Handlers) caseAction(c *gin.Context, flash string, act func(id int64) error) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if err := act(id); err != nil {
		if code := tsunagu.ErrorCode(err); code == tsunagu.ENOTFOUND || code == tsunagu.EFORBIDDEN || code == tsunagu.EINTERNAL {
			h.s.Fail(c, err)
			return
		}
		d, derr := h.casePage(c, id)
		if derr != nil {
			h.s.Fail(c, derr)
			return
		}
		h.s.RenderForm(c, "cases/case", d, translateErr(h.s.Printer(c), err))
		return
	}
	h.s.RedirectWithFlash(c, fmt.Sprintf("/coordinator/cases/%d", id), flash)
}

// handleCaseMove handles POST /coordinator/cases/:id/move (stage, reason, note).
func (h *Handlers) handleCaseMove(c *gin.Context) {
	h.caseAction(c, "cases.flash.moved", func(id int64) error {
		return h.Cases.MoveCase(c.Request.Context(), id, tsunagu.CaseMove{
			Stage: tsunagu.CaseStage(c.PostForm("stage")), Reason: c.PostForm("reason"), Note: c.PostForm("note")})
	})
}

// handleCaseResidence handles POST /coordinator/cases/:id/residence.
func (h *Handlers) handleCaseResidence(c *gin.Context) {
	h.caseAction(c, "cases.flash.saved", func(id int64) error {
		return h.Cases.MoveResidence(c.Request.Context(), id, tsunagu.ResidenceTrack(c.PostForm("residence")), c.PostForm("note"))
	})
}

// handleCaseAssign handles POST /coordinator/cases/:id/assign.
func (h *Handlers) handleCaseAssign(c *gin.Context) {
	h.caseAction(c, "cases.flash.saved", func(id int64) error {
		return h.Cases.Assign(c.Request.Context(), id, formInt(c, "coordinator_id"))
	})
}

// handleCaseNote handles POST /coordinator/cases/:id/notes.
func (h *Handlers) handleCaseNote(c *gin.Context) {
	h.caseAction(c, "cases.flash.saved", func(id int64) error {
		return h.Cases.AddNote(c.Request.Context(), id, c.PostForm("note"))
	})
}

// handleSuggest handles POST /coordinator/cases/:id/introductions (role_id,
// note): puts the candidate forward; they are asked for consent.
func (h *Handlers) handleSuggest(c *gin.Context) {
	h.caseAction(c, "cases.flash.suggested", func(id int64) error {
		_, err := h.Cases.Suggest(c.Request.Context(), id, formInt(c, "role_id"), c.PostForm("note"))
		return err
	})
}

// handleIntroMove handles POST /coordinator/introductions/:id/move (stage,
// note, uses_expertise).
func (h *Handlers) handleIntroMove(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	in, err := h.Cases.FindIntroduction(ctx, id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	m := tsunagu.IntroMove{Stage: tsunagu.IntroStage(c.PostForm("stage")), Note: c.PostForm("note")}
	if m.Stage == tsunagu.IntroHired {
		uses := c.PostForm("uses_expertise") == "1"
		m.UsesExpertise = &uses
	}
	if err := h.Cases.MoveIntroduction(ctx, id, m); err != nil {
		if code := tsunagu.ErrorCode(err); code == tsunagu.ENOTFOUND || code == tsunagu.EFORBIDDEN || code == tsunagu.EINTERNAL {
			h.s.Fail(c, err)
			return
		}
		d, derr := h.casePage(c, in.CaseID)
		if derr != nil {
			h.s.Fail(c, derr)
			return
		}
		h.s.RenderForm(c, "cases/case", d, formLevel(translateErr(h.s.Printer(c), err)))
		return
	}
	h.s.RedirectWithFlash(c, fmt.Sprintf("/coordinator/cases/%d", in.CaseID), "cases.flash.moved")
}

// formLevel turns a one-field error into a form-level one (shown above the
// forms), for forms repeated on a page.
func formLevel(err error) error {
	e := tsunagu.AsError(err)
	if e == nil || len(e.Fields) != 1 {
		return err
	}
	for _, f := range e.Fields {
		return &tsunagu.Error{Code: e.Code, Message: f.ID, Data: f.Data}
	}
	return err
}

// handleIntroExpertise handles POST /coordinator/introductions/:id/expertise
// (uses_expertise=1 or absent): whether a hire uses the person's expertise.
func (h *Handlers) handleIntroExpertise(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	in, err := h.Cases.FindIntroduction(ctx, id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if err := h.Cases.SetUsesExpertise(ctx, id, c.PostForm("uses_expertise") == "1"); err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, fmt.Sprintf("/coordinator/cases/%d", in.CaseID), "cases.flash.saved")
}
