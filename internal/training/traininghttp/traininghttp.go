// Package traininghttp serves the pages and JSON API of training
// programmes. It follows the conventions of internal/http (see server.go)
// and registers through thttp.Router: parse → validate → call the service →
// respond, every failure through Server.Fail or RenderForm, every string
// from web/locales/training.<lang>.json.
package traininghttp

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/training"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Handlers holds what the pages call.
type Handlers struct {
	Training *training.Service
	s        *thttp.Server
}

// Register adds every route (an app.Routes entry).
func (h *Handlers) Register(r *thttp.Router) {
	h.s = r.Server
	g := r.Engine.Group("/coordinator/training", r.Server.Require(tsunagu.ActCoordinatorArea))
	g.GET("", h.handleIndex)
	g.POST("/settings", h.handleSettings)
	g.POST("/job-ready/:id/confirm", h.handleConfirm)
	g.GET("/programmes/new", h.handleNewProgramme)
	g.POST("/programmes", h.handleCreateProgramme)
	g.GET("/programmes/:id", h.handleProgramme)
	g.POST("/programmes/:id", h.handleUpdateProgramme)
	g.GET("/programmes/:id/edit", h.handleEditProgramme)
	g.GET("/programmes/:id/archive", h.handleArchiveForm)
	g.POST("/programmes/:id/archive", h.handleArchive)
	g.POST("/programmes/:id/restore", h.handleRestore)
	g.POST("/programmes/:id/cohorts", h.handleCreateCohort)
	g.GET("/cohorts/:id", h.handleCohort)
	g.POST("/cohorts/:id/enrol", h.handleEnrol)
	g.POST("/cohorts/:id/sessions", h.handleAddSession)
	g.POST("/cohorts/:id/sessions/:sid/attendance", h.handleAttendance)
	g.POST("/enrolments/:id/answer", h.handleAnswer)
	g.POST("/enrolments/:id/withdraw", h.handleWithdraw)
	g.POST("/enrolments/:id/complete", h.handleComplete)
	g.POST("/enrolments/:id/not-completed", h.handleNotCompleted)
	// The figures live on the shared outcomes page now (OutcomeSource in
	// outcomes.go feeds it); the old addresses lead there.
	g.GET("/outcomes", h.redirect("/coordinator/outcomes#training"))
	g.GET("/outcomes.csv", h.redirect("/coordinator/outcomes/csv/training"))

	// The catalogue is the candidates' page; staff open it too, so a
	// "#programme-N" link from a candidate's gap lands on the programme
	// whoever follows it.
	staffOnly := r.Server.Require(tsunagu.ActCoordinatorArea)
	r.Engine.GET("/training", func(c *gin.Context) {
		if tsunagu.Can(thttp.CurrentUser(c), tsunagu.ActCandidateArea, tsunagu.Subject{}) {
			c.Next()
			return
		}
		staffOnly(c)
	}, h.handleCatalogue)
	c := r.Engine.Group("/training", r.Server.Require(tsunagu.ActCandidateArea))
	c.POST("/cohorts/:id/request", h.handleRequest)
	c.POST("/enrolments/:id/withdraw", h.handleOwnWithdraw)

	h.registerAPI(r)
}

func formInt(c *gin.Context, name string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(c.PostForm(name)))
	return n
}

// formNum reads a whole number from lo to hi from the form; anything else
// typed (a fraction, "50%", words) is an error on the field, not zero.
func formNum(c *gin.Context, v *tsunagu.Validation, name string, lo, hi int) int {
	s := strings.TrimSpace(c.PostForm(name))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		v.Add(name, "training.error.range", map[string]any{"Min": lo, "Max": hi})
	}
	return n
}

// parseDate reads a YYYY-MM-DD field; zero when empty or malformed.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

// programmeForm reads a programme from the form; bad numbers and dates are
// per-field errors.
func programmeForm(c *gin.Context) (*tsunagu.Programme, *tsunagu.Validation) {
	var v tsunagu.Validation
	p := &tsunagu.Programme{TitleJA: c.PostForm("title_ja"), TitleEN: c.PostForm("title_en"),
		DescriptionJA: c.PostForm("description_ja"), DescriptionEN: c.PostForm("description_en"),
		Kind: c.PostForm("kind"), Format: c.PostForm("format"), Capacity: formNum(c, &v, "capacity", 1, tsunagu.MaxCapacity),
		MinAttendance: formNum(c, &v, "min_attendance", 0, 100), Assessment: c.PostForm("assessment") != "", Active: true}
	for i, lang := range programmeTranslationLangs {
		row := fmt.Sprintf("translations[%d].", i)
		p.Translations = append(p.Translations, tsunagu.Translation{Lang: lang,
			Title: c.PostForm(row + "title"), Description: c.PostForm(row + "description")})
	}
	for _, line := range strings.FieldsFunc(c.PostForm("skills"), func(r rune) bool { return r == '\n' || r == ',' }) {
		if line = strings.TrimSpace(line); line != "" {
			p.Skills = append(p.Skills, tsunagu.ProgrammeSkill{URI: line})
		}
	}
	return p, &v
}

// merge adds err's per-field errors to v and returns v.Err(), or err when
// it carries no fields.
func merge(v *tsunagu.Validation, err error) error {
	e := tsunagu.AsError(err)
	if err != nil && (e == nil || len(e.Fields) == 0) {
		return err
	}
	if e != nil {
		for k, f := range e.Fields {
			v.Add(k, f.ID, f.Data)
		}
	}
	return v.Err()
}

// handleIndex handles GET /coordinator/training: programmes with how many
// candidates' gaps each would close, the confirmation setting, and who
// waits for a confirmation of job-ready.
func (h *Handlers) handleIndex(c *gin.Context) {
	ctx := c.Request.Context()
	ps, err := h.Training.ListProgrammes(ctx, true)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	reach, err := h.Training.GapReach(ctx)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	confirm, err := h.Training.ConfirmSetting(ctx)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	pending, err := h.Training.PendingJobReady(ctx)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "training/index", gin.H{"Programmes": ps, "Reach": reach, "Confirm": confirm, "Pending": pending})
}

// handleSettings handles POST /coordinator/training/settings.
func (h *Handlers) handleSettings(c *gin.Context) {
	if err := h.Training.SetConfirmSetting(c.Request.Context(), c.PostForm("confirm_job_ready") != ""); err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, "/coordinator/training", "training.flash.saved")
}

// handleConfirm handles POST /coordinator/training/job-ready/:id/confirm.
func (h *Handlers) handleConfirm(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err == nil {
		err = h.Training.ConfirmJobReady(c.Request.Context(), id)
	}
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, "/coordinator/training", "training.flash.job_ready")
}

// redirect answers a GET with a permanent redirect to to.
func (h *Handlers) redirect(to string) gin.HandlerFunc {
	return func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, to) }
}

// handleNewProgramme handles GET /coordinator/training/programmes/new.
func (h *Handlers) handleNewProgramme(c *gin.Context) {
	h.s.Render(c, http.StatusOK, "training/programme_form", programmeFormPage{Action: "/coordinator/training/programmes"})
}

// handleCreateProgramme handles POST /coordinator/training/programmes.
func (h *Handlers) handleCreateProgramme(c *gin.Context) {
	p, v := programmeForm(c)
	var err error
	if v.Err() == nil {
		err = h.Training.SaveProgramme(c.Request.Context(), p)
	} else {
		err = h.Training.CheckProgramme(p)
	}
	if err = merge(v, err); err != nil {
		h.s.RenderForm(c, "training/programme_form", programmeFormPage{Action: "/coordinator/training/programmes"}, err)
		return
	}
	h.s.RedirectWithFlash(c, "/coordinator/training/programmes/"+strconv.FormatInt(p.ID, 10), "training.flash.saved")
}

// handleProgramme handles GET /coordinator/training/programmes/:id.
func (h *Handlers) handleProgramme(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.renderProgramme(c, id, nil)
}

// programmePage is what training/programme renders.
type programmePage struct {
	*training.ProgrammeView
	// Reach is how many candidates' gaps the programme would close.
	Reach int
}

func (h *Handlers) renderProgramme(c *gin.Context, id int64, formErr error) {
	ctx := c.Request.Context()
	pv, err := h.Training.FindProgramme(ctx, id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	reach, err := h.Training.GapReach(ctx)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	pg := programmePage{ProgrammeView: pv, Reach: reach[id]}
	h.s.RenderForm(c, "training/programme", pg, formErr)
}

// handleCreateCohort handles POST /coordinator/training/programmes/:id/cohorts.
func (h *Handlers) handleCreateCohort(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	var v tsunagu.Validation
	co := &tsunagu.Cohort{ProgrammeID: id, Name: c.PostForm("name"), Trainer: c.PostForm("trainer"),
		Place: c.PostForm("place"), OnlineURL: c.PostForm("online_url"), Capacity: formNum(c, &v, "capacity", 1, tsunagu.MaxCapacity)}
	var ok bool
	if co.StartsOn, ok = parseDate(c.PostForm("starts_on")); !ok {
		v.Add("starts_on", "training.error.date", nil)
	}
	if co.EndsOn, ok = parseDate(c.PostForm("ends_on")); !ok {
		v.Add("ends_on", "training.error.date", nil)
	}
	for _, line := range strings.Split(c.PostForm("sessions"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		t, ok := thttp.ParseLocalTime(line)
		if !ok {
			v.Add("sessions", "training.error.datetime", map[string]any{"Value": strings.TrimSpace(line)})
			continue
		}
		co.Sessions = append(co.Sessions, &tsunagu.CohortSession{StartsAt: t})
	}
	if v.Err() == nil {
		err = h.Training.CreateCohort(ctx, co)
	}
	if err = merge(&v, err); err != nil {
		h.renderProgramme(c, id, err)
		return
	}
	h.s.RedirectWithFlash(c, "/coordinator/training/cohorts/"+strconv.FormatInt(co.ID, 10), "training.flash.saved")
}

// cohortPage is what training/cohort renders.
type cohortPage struct {
	*training.CohortView
	Sessions []sessionRow
	// Find is the name searched for to enrol someone, and Found who has it.
	Find  string
	Found []postgres.CandidateRef
}

type sessionRow struct {
	Session *tsunagu.CohortSession
	Present map[int64]bool
}

func (h *Handlers) renderCohort(c *gin.Context, id int64, formErr error) {
	cv, err := h.Training.FindCohort(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	pg := cohortPage{CohortView: cv, Find: strings.TrimSpace(c.Query("find"))}
	if pg.Find != "" {
		if pg.Found, err = h.Training.CandidatesNamed(c.Request.Context(), pg.Find); err != nil {
			h.s.Fail(c, err)
			return
		}
	}
	for _, s := range cv.Cohort.Sessions {
		pg.Sessions = append(pg.Sessions, sessionRow{Session: s, Present: cv.Attendance[s.ID]})
	}
	h.s.RenderForm(c, "training/cohort", pg, formErr)
}

// handleCohort handles GET /coordinator/training/cohorts/:id.
func (h *Handlers) handleCohort(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.renderCohort(c, id, nil)
}

func cohortPath(id int64) string { return "/coordinator/training/cohorts/" + strconv.FormatInt(id, 10) }

// handleEnrol handles POST /coordinator/training/cohorts/:id/enrol.
func (h *Handlers) handleEnrol(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	cand := int64(formInt(c, "candidate_id"))
	if cand <= 0 {
		var v tsunagu.Validation
		v.Add("candidate_id", "error.required", nil)
		h.renderCohort(c, id, v.Err())
		return
	}
	e, err := h.Training.Enrol(c.Request.Context(), id, cand, c.PostForm("required") != "")
	if err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.EINVALID {
			h.renderCohort(c, id, err)
			return
		}
		h.s.Fail(c, err)
		return
	}
	msg := "training.flash.enrolled"
	if e.Status == tsunagu.EnrolWaitlisted {
		msg = "training.flash.waitlisted"
	}
	h.s.RedirectWithFlash(c, cohortPath(id), msg)
}

// handleAddSession handles POST /coordinator/training/cohorts/:id/sessions.
func (h *Handlers) handleAddSession(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	at, ok := thttp.ParseLocalTime(c.PostForm("starts_at"))
	if !ok {
		var v tsunagu.Validation
		v.Add("starts_at", "training.error.datetime", map[string]any{"Value": c.PostForm("starts_at")})
		h.renderCohort(c, id, v.Err())
		return
	}
	if _, err := h.Training.AddSession(c.Request.Context(), id, at, c.PostForm("topic")); err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.EINVALID {
			h.renderCohort(c, id, err)
			return
		}
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, cohortPath(id), "training.flash.saved")
}

// handleAttendance handles POST /coordinator/training/cohorts/:id/sessions/:sid/attendance.
func (h *Handlers) handleAttendance(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	sid, err := thttp.IDParam(c, "sid")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	var present []int64
	for _, s := range c.PostFormArray("present") {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			present = append(present, n)
		}
	}
	if err := h.Training.MarkAttendance(c.Request.Context(), id, sid, present); err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, cohortPath(id), "training.flash.attendance")
}

// enrolmentAction runs fn on the enrolment of the path and goes back to its cohort.
func (h *Handlers) enrolmentAction(c *gin.Context, fn func(id int64) (string, error)) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	e, err := h.Training.DB.EnrolmentByID(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	msg, err := fn(id)
	if err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.EINVALID {
			h.renderCohort(c, e.CohortID, err)
			return
		}
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, cohortPath(e.CohortID), msg)
}

// handleAnswer handles POST /coordinator/training/enrolments/:id/answer (accept=1 or not).
func (h *Handlers) handleAnswer(c *gin.Context) {
	h.enrolmentAction(c, func(id int64) (string, error) {
		_, err := h.Training.AnswerRequest(c.Request.Context(), id, c.PostForm("accept") == "1")
		return "training.flash.saved", err
	})
}

// handleWithdraw handles POST /coordinator/training/enrolments/:id/withdraw.
func (h *Handlers) handleWithdraw(c *gin.Context) {
	h.enrolmentAction(c, func(id int64) (string, error) {
		return "training.flash.withdrawn", h.Training.Withdraw(c.Request.Context(), id)
	})
}

// handleComplete handles POST /coordinator/training/enrolments/:id/complete.
func (h *Handlers) handleComplete(c *gin.Context) {
	var passed *bool
	if v := c.PostForm("assessment_passed"); v != "" {
		b := v == "1"
		passed = &b
	}
	h.enrolmentAction(c, func(id int64) (string, error) {
		res, err := h.Training.Complete(c.Request.Context(), id, passed)
		if err != nil {
			return "", err
		}
		switch res.JobReady {
		case training.JobReadyMoved:
			return "training.flash.completed_job_ready", nil
		case training.JobReadyPending:
			return "training.flash.completed_confirm", nil
		}
		return "training.flash.completed", nil
	})
}

// handleNotCompleted handles POST /coordinator/training/enrolments/:id/not-completed.
func (h *Handlers) handleNotCompleted(c *gin.Context) {
	h.enrolmentAction(c, func(id int64) (string, error) {
		return "training.flash.saved", h.Training.MarkNotCompleted(c.Request.Context(), id)
	})
}

// cataloguePage is what training/catalogue renders: every programme
// offered, each under id="programme-N" (the "roles for you" page links
// there) with its open cohorts.
type cataloguePage struct {
	Staff      bool // a coordinator's view: links to manage, no requests
	Programmes []catalogueEntry
	Titles     map[int64]*tsunagu.Programme // programmes of the candidate's own enrolments
	Mine       []*tsunagu.Enrolment
	MineBy     map[int64]*tsunagu.Enrolment // cohort id → own enrolment
}

// catalogueEntry is a programme with its cohorts that have not ended.
type catalogueEntry struct {
	Programme *tsunagu.Programme
	Cohorts   []*tsunagu.Cohort
}

// handleCatalogue handles GET /training: the programmes offered, each with
// its open cohorts (or a line saying none is open yet), and the
// candidate's own enrolments; staff see it with links to manage each.
func (h *Handlers) handleCatalogue(c *gin.Context) {
	ctx := c.Request.Context()
	ps, err := h.Training.ListProgrammes(ctx, false)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	cs, err := h.Training.OpenCohorts(ctx)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	staff := !tsunagu.Can(thttp.CurrentUser(c), tsunagu.ActCandidateArea, tsunagu.Subject{})
	var mine []*tsunagu.Enrolment
	if !staff {
		if mine, err = h.Training.OwnEnrolments(ctx); err != nil {
			h.s.Fail(c, err)
			return
		}
	}
	pg := cataloguePage{Staff: staff, Titles: map[int64]*tsunagu.Programme{}, Mine: mine, MineBy: map[int64]*tsunagu.Enrolment{}}
	at := map[int64]int{}
	for _, p := range ps {
		at[p.ID] = len(pg.Programmes)
		pg.Programmes = append(pg.Programmes, catalogueEntry{Programme: p})
		pg.Titles[p.ID] = p
	}
	for _, co := range cs {
		if i, ok := at[co.ProgrammeID]; ok {
			pg.Programmes[i].Cohorts = append(pg.Programmes[i].Cohorts, co)
		}
	}
	for _, e := range mine {
		pg.MineBy[e.CohortID] = e
		if pg.Titles[e.ProgrammeID] == nil {
			// An archived programme still names the candidate's own course.
			if p, err := h.Training.DB.ProgrammeByID(ctx, e.ProgrammeID); err == nil {
				pg.Titles[p.ID] = p
			}
		}
	}
	h.s.Render(c, http.StatusOK, "training/catalogue", pg)
}

// handleRequest handles POST /training/cohorts/:id/request.
func (h *Handlers) handleRequest(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err == nil {
		_, err = h.Training.RequestEnrolment(c.Request.Context(), id)
	}
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, "/training", "training.flash.requested")
}

// handleOwnWithdraw handles POST /training/enrolments/:id/withdraw.
func (h *Handlers) handleOwnWithdraw(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err == nil {
		err = h.Training.Withdraw(c.Request.Context(), id)
	}
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, "/training", "training.flash.withdrawn")
}
