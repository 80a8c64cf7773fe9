package traininghttp

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/training"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func init() {
	type programmeList struct {
		Programmes []*tsunagu.Programme `json:"programmes" validate:"required"`
	}
	type enrolmentIn struct {
		CandidateID int64 `json:"candidate_id"` // staff: whom to enrol
		Required    *bool `json:"required"`     // staff: part of the candidate's plan (default true)
	}
	type attendanceIn struct {
		Present []int64 `json:"present" validate:"required"` // enrolment ids
	}
	type completionIn struct {
		AssessmentPassed *bool `json:"assessment_passed"`
	}
	ok := thttp.OK{}
	thttp.DocumentAPI(
		thttp.APIOp{Method: "GET", Path: "/training/programmes", ID: "listProgrammes", Summary: "Training programmes (active ones; staff: all)", Tag: "training", Response: programmeList{}},
		thttp.APIOp{Method: "POST", Path: "/training/programmes", ID: "createProgramme", Summary: "Create a programme (staff)", Tag: "training", Status: 201,
			Request: tsunagu.Programme{}, Response: tsunagu.Programme{}},
		thttp.APIOp{Method: "GET", Path: "/training/programmes/:id", ID: "getProgramme", Summary: "A programme with its cohorts", Tag: "training", Response: training.ProgrammeView{}},
		thttp.APIOp{Method: "PUT", Path: "/training/programmes/:id", ID: "replaceProgramme", Summary: "Replace a programme (staff); fields left out are empty, active is kept. " + confirmNote, Tag: "training",
			Request: programmeEdit{}, Response: tsunagu.Programme{}, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "PATCH", Path: "/training/programmes/:id", ID: "updateProgramme", Summary: "Change some fields of a programme (staff): archive with active false. " + confirmNote, Tag: "training",
			Request: programmeEdit{}, Response: tsunagu.Programme{}, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "POST", Path: "/training/programmes/:id/cohorts", ID: "createCohort", Summary: "Create a cohort with its sessions (staff)", Tag: "training", Status: 201,
			Request: cohortIn{}, Response: tsunagu.Cohort{}},
		thttp.APIOp{Method: "GET", Path: "/training/cohorts/:id", ID: "getCohort", Summary: "A cohort with enrolments and attendance (staff)", Tag: "training", Response: training.CohortView{}},
		thttp.APIOp{Method: "POST", Path: "/training/cohorts/:id/enrolments", ID: "enrol", Summary: "Enrol a candidate (staff; waiting list when full) or, for a candidate, request a place", Tag: "training", Status: 201,
			Request: enrolmentIn{}, Response: tsunagu.Enrolment{}, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "POST", Path: "/training/cohorts/:id/sessions/:sid/attendance", ID: "recordAttendance", Summary: "Record who attended a session (staff)", Tag: "training",
			Request: attendanceIn{}, Response: ok},
		thttp.APIOp{Method: "POST", Path: "/training/enrolments/:id/complete", ID: "completeEnrolment", Summary: "Complete an enrolment by the programme's criteria (staff)", Tag: "training",
			Request: completionIn{}, Response: training.CompletionResult{}, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "POST", Path: "/training/enrolments/:id/withdraw", ID: "withdrawEnrolment", Summary: "Withdraw an enrolment (staff or the candidate); the waiting list moves up", Tag: "training",
			Response: ok, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/training/outcomes", ID: "getTrainingOutcomes", Summary: "Training and workshop outcome figures (staff); from, to (YYYY-MM-DD, Japan time, both included) and programme (an id) narrow them as on GET /outcomes", Tag: "training", Response: training.Outcomes{}, Query: []string{"from", "to", "programme"}},
	)
}

func (h *Handlers) registerAPI(r *thttp.Router) {
	api, s := r.API, h.s
	api.GET("/training/programmes", s.JSON(http.StatusOK, h.apiProgrammes))
	api.POST("/training/programmes", s.JSON(http.StatusCreated, h.apiCreateProgramme))
	api.GET("/training/programmes/:id", s.JSON(http.StatusOK, thttp.ByID(h.Training.FindProgramme)))
	api.PUT("/training/programmes/:id", h.apiEditProgramme(false))
	api.PATCH("/training/programmes/:id", h.apiEditProgramme(true))
	api.POST("/training/programmes/:id/cohorts", s.JSON(http.StatusCreated, h.apiCreateCohort))
	api.GET("/training/cohorts/:id", s.JSON(http.StatusOK, thttp.ByID(h.Training.FindCohort)))
	api.POST("/training/cohorts/:id/enrolments", s.JSON(http.StatusCreated, h.apiEnrol))
	api.POST("/training/cohorts/:id/sessions/:sid/attendance", s.JSON(http.StatusOK, h.apiAttendance))
	api.POST("/training/enrolments/:id/complete", s.JSON(http.StatusOK, h.apiComplete))
	api.POST("/training/enrolments/:id/withdraw", s.JSON(http.StatusOK, h.apiWithdraw))
	api.GET("/training/outcomes", s.JSON(http.StatusOK, h.apiOutcomes))
}

// okBody is the answer of an action that returns nothing else.
var okBody = gin.H{"ok": true}

// apiProgrammes handles GET /api/v1/training/programmes.
func (h *Handlers) apiProgrammes(c *gin.Context) (any, error) {
	ps, err := h.Training.ListProgrammes(c.Request.Context(), true)
	return gin.H{"programmes": ps}, err
}

// apiCreateProgramme handles POST /api/v1/training/programmes.
func (h *Handlers) apiCreateProgramme(c *gin.Context) (any, error) {
	var p tsunagu.Programme
	if err := thttp.BindJSON(c, &p); err != nil {
		return nil, err
	}
	p.ID, p.Active = 0, true
	return &p, h.Training.SaveProgramme(c.Request.Context(), &p)
}

// confirmNote says how an edit with consequences is confirmed.
const confirmNote = "Archiving needs confirm.archive; a capacity below the places taken in a cohort that has not ended " +
	"(the cohort keeps its places, only new cohorts get the new number) needs confirm.capacity; without them nothing is saved " +
	"and the answer is 422 naming the field (active, capacity). Completions already recorded, and the skills they verified, stay as they were. " +
	"A field the body may not have is refused (422 naming it); id, created_at and updated_at are ignored."

// programmeEdit is the body of PUT and PATCH: every field optional.
type programmeEdit struct {
	TitleJA       *string                   `json:"title_ja"`
	TitleEN       *string                   `json:"title_en"`
	DescriptionJA *string                   `json:"description_ja"`
	DescriptionEN *string                   `json:"description_en"`
	Kind          *string                   `json:"kind"`
	Format        *string                   `json:"format"`
	Capacity      *int                      `json:"capacity"`
	MinAttendance *int                      `json:"min_attendance"`
	Assessment    *bool                     `json:"assessment"`
	Active        *bool                     `json:"active"`
	Skills        *[]tsunagu.ProgrammeSkill `json:"skills"`
	Translations  *tsunagu.Translations     `json:"translations"`
	Confirm       training.Confirm          `json:"confirm"`
	// Read-only fields of a programme, taken and ignored so that a
	// programme as GET gives it can be sent back.
	ID        json.RawMessage `json:"id"`
	CreatedAt json.RawMessage `json:"created_at"`
	UpdatedAt json.RawMessage `json:"updated_at"`
}

// apply writes the fields given onto p.
func (in *programmeEdit) apply(p *tsunagu.Programme) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&p.TitleJA, in.TitleJA)
	set(&p.TitleEN, in.TitleEN)
	set(&p.DescriptionJA, in.DescriptionJA)
	set(&p.DescriptionEN, in.DescriptionEN)
	if in.Translations != nil {
		p.Translations = *in.Translations
	}
	set(&p.Kind, in.Kind)
	set(&p.Format, in.Format)
	if in.Capacity != nil {
		p.Capacity = *in.Capacity
	}
	if in.MinAttendance != nil {
		p.MinAttendance = *in.MinAttendance
	}
	if in.Assessment != nil {
		p.Assessment = *in.Assessment
	}
	if in.Active != nil {
		p.Active = *in.Active
	}
	if in.Skills != nil {
		p.Skills = *in.Skills
	}
}

// apiEditProgramme handles PUT /api/v1/training/programmes/:id (the whole
// programme: a field left out is empty, except active, which is kept) and,
// with patch, PATCH (only the fields given change). Labels of skills are
// taken from the vocabulary, not from the body.
func (h *Handlers) apiEditProgramme(patch bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		id, err := thttp.IDParam(c, "id")
		if err != nil {
			h.s.Fail(c, err)
			return
		}
		var in programmeEdit
		if !h.s.BindJSONStrict(c, &in) {
			return
		}
		// A PATCH applies its fields to the programme as read and saves
		// only if nobody saved it meanwhile; if someone did, it applies
		// them again to what they saved (another PATCH's fields stay).
		for try := 0; ; try++ {
			pv, err := h.Training.FindProgramme(ctx, id)
			if err != nil {
				h.s.Fail(c, err)
				return
			}
			p := pv.Programme
			if !patch {
				p = &tsunagu.Programme{ID: id, Active: p.Active}
			}
			in.apply(p)
			if in.Skills != nil {
				for i := range p.Skills {
					p.Skills[i].Label = ""
				}
			}
			err = h.Training.UpdateProgramme(ctx, p, in.Confirm)
			if patch && try < 10 && tsunagu.ErrorCode(err) == tsunagu.ECONFLICT {
				continue
			}
			if err != nil {
				h.s.Fail(c, err)
				return
			}
			break
		}
		pv, err := h.Training.FindProgramme(ctx, id)
		if err != nil {
			h.s.Fail(c, err)
			return
		}
		c.JSON(http.StatusOK, pv.Programme)
	}
}

type cohortIn struct {
	Name      string `json:"name"`
	StartsOn  string `json:"starts_on"`
	EndsOn    string `json:"ends_on"`
	Trainer   string `json:"trainer"`
	Place     string `json:"place"`
	OnlineURL string `json:"online_url"`
	Capacity  int    `json:"capacity"`
	Sessions  []struct {
		StartsAt time.Time `json:"starts_at"`
		Topic    string    `json:"topic"`
	} `json:"sessions"`
}

// apiCreateCohort handles POST /api/v1/training/programmes/:id/cohorts.
func (h *Handlers) apiCreateCohort(c *gin.Context) (any, error) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	var in cohortIn
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	var v tsunagu.Validation
	co := &tsunagu.Cohort{ProgrammeID: id, Name: in.Name, Trainer: in.Trainer, Place: in.Place, OnlineURL: in.OnlineURL, Capacity: in.Capacity}
	var ok bool
	if co.StartsOn, ok = parseDate(in.StartsOn); !ok {
		v.Add("starts_on", "training.error.date", nil)
	}
	if co.EndsOn, ok = parseDate(in.EndsOn); !ok {
		v.Add("ends_on", "training.error.date", nil)
	}
	for _, s := range in.Sessions {
		co.Sessions = append(co.Sessions, &tsunagu.CohortSession{StartsAt: s.StartsAt.UTC(), Topic: s.Topic})
	}
	if v.Err() == nil {
		err = h.Training.CreateCohort(c.Request.Context(), co)
	}
	return co, merge(&v, err)
}

// apiEnrol handles POST /api/v1/training/cohorts/:id/enrolments: staff
// enrol candidate_id; a candidate requests a place for themself.
func (h *Handlers) apiEnrol(c *gin.Context) (any, error) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	var in struct {
		CandidateID int64 `json:"candidate_id"`
		Required    *bool `json:"required"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	if u := thttp.CurrentUser(c); u != nil && u.Role == tsunagu.RoleCandidate {
		return h.Training.RequestEnrolment(c.Request.Context(), id)
	}
	if in.CandidateID <= 0 {
		var v tsunagu.Validation
		v.Add("candidate_id", "error.required", nil)
		return nil, v.Err()
	}
	return h.Training.Enrol(c.Request.Context(), id, in.CandidateID, in.Required == nil || *in.Required)
}

// apiAttendance handles POST /api/v1/training/cohorts/:id/sessions/:sid/attendance.
func (h *Handlers) apiAttendance(c *gin.Context) (any, error) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	sid, err := thttp.IDParam(c, "sid")
	if err != nil {
		return nil, err
	}
	var in struct {
		Present []int64 `json:"present"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	return okBody, h.Training.MarkAttendance(c.Request.Context(), id, sid, in.Present)
}

// apiComplete handles POST /api/v1/training/enrolments/:id/complete.
func (h *Handlers) apiComplete(c *gin.Context) (any, error) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	var in struct {
		AssessmentPassed *bool `json:"assessment_passed"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	return h.Training.Complete(c.Request.Context(), id, in.AssessmentPassed)
}

// apiWithdraw handles POST /api/v1/training/enrolments/:id/withdraw.
func (h *Handlers) apiWithdraw(c *gin.Context) (any, error) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	return okBody, h.Training.Withdraw(c.Request.Context(), id)
}

// apiOutcomes handles GET /api/v1/training/outcomes.
func (h *Handlers) apiOutcomes(c *gin.Context) (any, error) {
	f, err := thttp.OutcomeFilterQuery(c)
	if err != nil {
		return nil, err
	}
	return h.Training.Outcomes(c.Request.Context(), f)
}
