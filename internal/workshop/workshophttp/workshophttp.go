// Package workshophttp serves the pages and JSON API of co-creation
// workshops, following the conventions of internal/http (see server.go):
// parse → validate → call the service → respond, every failure through
// Server.Fail or RenderForm, every string from web/locales/workshop.<lang>.json.
package workshophttp

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
	"github.com/tsunagu-org/tsunagu/internal/workshop"
)

// Handlers holds what the pages call.
type Handlers struct {
	Workshops *workshop.Service
	s         *thttp.Server
}

func init() {
	type workshopList struct {
		Workshops []*tsunagu.Workshop `json:"workshops" validate:"required"`
	}
	type workshopIn struct {
		Topic          string   `json:"topic" validate:"required"`
		Audience       int      `json:"audience" validate:"required"`
		Language       string   `json:"language" validate:"required,workshop_lang"`
		Notes          string   `json:"notes"`
		PreferredDates []string `json:"preferred_dates" validate:"required"` // YYYY-MM-DD
	}
	type lecturerIn struct {
		CandidateID int64 `json:"candidate_id" validate:"required"`
	}
	type respondIn struct {
		Accept bool `json:"accept"` // absent: decline
	}
	type scheduleIn struct {
		ScheduledAt time.Time `json:"scheduled_at" validate:"required"`
		Place       string    `json:"place" validate:"required"`
		Version     int64     `json:"version,omitempty"` // the version read (or If-Match): 409 when changed since
	}
	type deliveredIn struct {
		Participants int   `json:"participants" validate:"required"`
		Version      int64 `json:"version,omitempty"` // as in scheduleIn
	}
	w := tsunagu.Workshop{}
	thttp.DocumentAPI(
		thttp.APIOp{Method: "GET", Path: "/workshops", ID: "listWorkshops", Summary: "Workshops the caller may see", Tag: "workshops", Response: workshopList{}},
		thttp.APIOp{Method: "POST", Path: "/workshops", ID: "requestWorkshop", Summary: "Request a workshop (company)", Tag: "workshops", Status: 201,
			Request: workshopIn{}, Response: w},
		thttp.APIOp{Method: "GET", Path: "/workshops/:id", ID: "getWorkshop", Summary: "A workshop; a company sees only lecturers who consented", Tag: "workshops", Response: w},
		thttp.APIOp{Method: "POST", Path: "/workshops/:id/lecturers", ID: "proposeLecturer", Summary: "Propose a lecturer who opted in as a speaker (staff)", Tag: "workshops",
			Request: lecturerIn{}, Response: w, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "POST", Path: "/workshops/:id/respond", ID: "respondToWorkshop", Summary: "Accept (consent to be named to the company) or decline (the lecturer)", Tag: "workshops",
			Request: respondIn{}, Response: w, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "POST", Path: "/workshops/:id/schedule", ID: "scheduleWorkshop", Summary: "Schedule (staff); plans the reminder", Tag: "workshops",
			Request: scheduleIn{}, Response: w, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "POST", Path: "/workshops/:id/delivered", ID: "recordWorkshopDelivery", Summary: "Record delivery (staff)", Tag: "workshops",
			Request: deliveredIn{}, Response: w, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "POST", Path: "/workshops/:id/feedback", ID: "giveWorkshopFeedback", Summary: "Feedback after delivery (company or lecturer)", Tag: "workshops",
			Request: tsunagu.WorkshopFeedbackInput{}, Response: w, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/candidates/:id/workshops", ID: "getLecturerHistory", Summary: "A lecturer's workshops: the list to the lecturer, staff and a consented company; a card summary to other companies", Tag: "workshops",
			Response: tsunagu.LecturerHistory{}},
	)
}

// Register adds every route (an app.Routes entry).
func (h *Handlers) Register(r *thttp.Router) {
	h.s = r.Server
	g := r.Engine.Group("/workshops")
	g.GET("", h.handleList)
	g.GET("/new", r.Server.Require(tsunagu.ActCompanyArea), h.handleNew)
	g.POST("", r.Server.Require(tsunagu.ActCompanyArea), h.handleCreate)
	g.GET("/:id", h.s.HTML("workshop/show", thttp.WithID(h.handleShow)))
	g.POST("/:id/lecturers", h.form(func(c *gin.Context, id int64) (string, error) {
		n, _ := strconv.ParseInt(c.PostForm("candidate_id"), 10, 64)
		return "workshop.flash.proposed", h.Workshops.ProposeLecturer(c.Request.Context(), id, n)
	}))
	g.POST("/:id/respond", h.form(func(c *gin.Context, id int64) (string, error) {
		return "workshop.flash.answered", h.Workshops.Respond(c.Request.Context(), id, c.PostForm("accept") == "1")
	}))
	g.POST("/:id/schedule", h.form(func(c *gin.Context, id int64) (string, error) {
		at, ok := thttp.ParseLocalTime(c.PostForm("scheduled_at"))
		if !ok {
			return "", tsunagu.FieldErr("scheduled_at", "training.error.datetime", map[string]any{"Value": c.PostForm("scheduled_at")})
		}
		return "workshop.flash.scheduled", h.Workshops.Schedule(c.Request.Context(), id, formVersion(c), at, c.PostForm("place"))
	}))
	g.POST("/:id/delivered", h.form(func(c *gin.Context, id int64) (string, error) {
		n, _ := strconv.Atoi(strings.TrimSpace(c.PostForm("participants")))
		return "workshop.flash.delivered", h.Workshops.RecordDelivery(c.Request.Context(), id, formVersion(c), n)
	}))
	g.POST("/:id/cancel", h.form(func(c *gin.Context, id int64) (string, error) {
		return "workshop.flash.cancelled", h.Workshops.Cancel(c.Request.Context(), id, formVersion(c))
	}))
	g.POST("/:id/feedback", h.form(func(c *gin.Context, id int64) (string, error) {
		n, _ := strconv.Atoi(strings.TrimSpace(c.PostForm("rating")))
		return "workshop.flash.feedback", h.Workshops.GiveFeedback(c.Request.Context(), id, tsunagu.WorkshopFeedbackInput{Rating: n, Comment: c.PostForm("comment")})
	}))

	api := r.API
	api.GET("/workshops", h.s.JSON(http.StatusOK, h.apiList))
	api.POST("/workshops", h.s.JSON(http.StatusCreated, h.apiCreate))
	api.GET("/workshops/:id", h.api(func(*gin.Context, int64) error { return nil })) // the workshop, no action
	api.GET("/candidates/:id/workshops", h.s.JSON(http.StatusOK, thttp.ByID(h.Workshops.LecturerHistory)))
	api.POST("/workshops/:id/lecturers", h.api(func(c *gin.Context, id int64) error {
		var in struct {
			CandidateID int64 `json:"candidate_id"`
		}
		if err := thttp.BindJSON(c, &in); err != nil {
			return err
		}
		return h.Workshops.ProposeLecturer(c.Request.Context(), id, in.CandidateID)
	}))
	api.POST("/workshops/:id/respond", h.api(func(c *gin.Context, id int64) error {
		var in struct {
			Accept bool `json:"accept"`
		}
		if err := thttp.BindJSON(c, &in); err != nil {
			return err
		}
		return h.Workshops.Respond(c.Request.Context(), id, in.Accept)
	}))
	api.POST("/workshops/:id/schedule", h.api(func(c *gin.Context, id int64) error {
		var in struct {
			ScheduledAt time.Time `json:"scheduled_at"`
			Place       string    `json:"place"`
			Version     int64     `json:"version"`
		}
		if err := thttp.BindJSON(c, &in); err != nil {
			return err
		}
		version, err := thttp.Version(c, in.Version)
		if err != nil {
			return err
		}
		return h.Workshops.Schedule(c.Request.Context(), id, version, in.ScheduledAt, in.Place)
	}))
	api.POST("/workshops/:id/delivered", h.api(func(c *gin.Context, id int64) error {
		var in struct {
			Participants int   `json:"participants"`
			Version      int64 `json:"version"`
		}
		if err := thttp.BindJSON(c, &in); err != nil {
			return err
		}
		version, err := thttp.Version(c, in.Version)
		if err != nil {
			return err
		}
		return h.Workshops.RecordDelivery(c.Request.Context(), id, version, in.Participants)
	}))
	api.POST("/workshops/:id/feedback", h.api(func(c *gin.Context, id int64) error {
		var in tsunagu.WorkshopFeedbackInput
		if err := thttp.BindJSON(c, &in); err != nil {
			return err
		}
		return h.Workshops.GiveFeedback(c.Request.Context(), id, in)
	}))
}

// form runs a POST action on the workshop of the path: a per-field error
// re-renders the workshop page with the input kept; success redirects back.
func (h *Handlers) form(fn func(c *gin.Context, id int64) (string, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := thttp.IDParam(c, "id")
		if err != nil {
			h.s.Fail(c, err)
			return
		}
		msg, err := fn(c, id)
		if err != nil {
			if stale := tsunagu.IsStale(err); stale || tsunagu.ErrorCode(err) == tsunagu.EINVALID {
				pg, ferr := h.showPage(c, id)
				if ferr != nil {
					h.s.Fail(c, ferr)
					return
				}
				if stale {
					pg.Conflict = conflictRows(c, pg.Workshop)
				}
				h.s.RenderForm(c, "workshop/show", pg, err)
				return
			}
			h.s.Fail(c, err)
			return
		}
		h.s.RedirectWithFlash(c, "/workshops/"+strconv.FormatInt(id, 10), msg)
	}
}

// api runs a JSON action and answers the workshop as the caller sees it.
func (h *Handlers) api(fn func(c *gin.Context, id int64) error) gin.HandlerFunc {
	return h.s.JSON(http.StatusOK, func(c *gin.Context) (any, error) {
		id, err := thttp.IDParam(c, "id")
		if err == nil {
			err = fn(c, id)
		}
		if err != nil {
			return nil, err
		}
		w, err := h.Workshops.Find(c.Request.Context(), id)
		if err == nil {
			thttp.SetETag(c, w.Version)
		}
		return w, err
	})
}

// formVersion is the version of the workshop a page's form was opened at
// (its hidden "version" field; 0 when it has none, or none that reads).
func formVersion(c *gin.Context) int64 {
	v, _ := strconv.ParseInt(strings.TrimSpace(c.PostForm("version")), 10, 64)
	return max(v, 0)
}

// conflictRows lists what someone else saved on w while the person had
// the page open, where it differs from what they posted (kept in the
// form): the time and place, and the participants.
func conflictRows(c *gin.Context, w *tsunagu.Workshop) []conflictRow {
	var out []conflictRow
	add := func(field, label, now string) {
		if posted, ok := c.GetPostForm(field); ok && strings.TrimSpace(posted) != now {
			out = append(out, conflictRow{Label: label, Value: cmp.Or(now, "—")})
		}
	}
	when := ""
	if w.ScheduledAt != nil {
		when = w.ScheduledAt.In(i18n.Zone).Format("2006-01-02T15:04")
	}
	add("scheduled_at", "workshop.field.when", when)
	add("place", "workshop.field.place", w.Place)
	if w.Status == tsunagu.WorkshopDelivered {
		add("participants", "workshop.field.participants", strconv.Itoa(w.Participants))
	}
	return out
}

// conflictRow is one field of the version saved meanwhile (the
// "conflict" partial): its label (a message id) and its value now.
type conflictRow struct {
	Label string
	Value string
}

// handleList handles GET /workshops.
func (h *Handlers) handleList(c *gin.Context) {
	ws, err := h.Workshops.List(c.Request.Context())
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "workshop/list", gin.H{"Workshops": ws})
}

// handleNew handles GET /workshops/new.
func (h *Handlers) handleNew(c *gin.Context) {
	h.s.Render(c, http.StatusOK, "workshop/new", gin.H{"Languages": tsunagu.WorkshopLanguages})
}

// requestForm reads a request; malformed numbers and dates are per-field errors.
func requestForm(c *gin.Context) (tsunagu.WorkshopRequest, *tsunagu.Validation) {
	var v tsunagu.Validation
	r := tsunagu.WorkshopRequest{Topic: c.PostForm("topic"), Language: c.PostForm("language"), Notes: c.PostForm("notes")}
	if s := strings.TrimSpace(c.PostForm("audience")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			v.Add("audience", "training.error.number", nil)
		}
		r.Audience = n
	}
	for _, d := range strings.FieldsFunc(c.PostForm("preferred_dates"), func(r rune) bool { return r == ',' || r == '\n' || r == ' ' }) {
		t, err := time.Parse("2006-01-02", strings.TrimSpace(d))
		if err != nil {
			v.Add("preferred_dates", "training.error.date", nil)
			continue
		}
		r.PreferredDates = append(r.PreferredDates, t)
	}
	return r, &v
}

// handleCreate handles POST /workshops: a company's request.
func (h *Handlers) handleCreate(c *gin.Context) {
	r, v := requestForm(c)
	var w *tsunagu.Workshop
	var err error
	if v.Err() == nil {
		w, err = h.Workshops.Request(c.Request.Context(), r)
	}
	if e := tsunagu.AsError(err); err == nil || (e != nil && len(e.Fields) > 0) {
		if e != nil {
			for k, f := range e.Fields {
				v.Add(k, f.ID, f.Data)
			}
		}
		if verr := v.Err(); verr != nil {
			h.s.RenderForm(c, "workshop/new", gin.H{"Languages": tsunagu.WorkshopLanguages}, verr)
			return
		}
	} else {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, "/workshops/"+strconv.FormatInt(w.ID, 10), "workshop.flash.requested")
}

type showPage struct {
	Workshop *tsunagu.Workshop
	// Conflict lists what someone else saved while the page was open
	// (after a tsunagu.Stale save); the forms save from Workshop.Version.
	Conflict []conflictRow
	Speakers []tsunagu.WorkshopLecturer // staff only
	Mine     *tsunagu.WorkshopLecturer  // the viewer's own proposal
}

func (h *Handlers) showPage(c *gin.Context, id int64) (*showPage, error) {
	ctx := c.Request.Context()
	w, err := h.Workshops.Find(ctx, id)
	if err != nil {
		return nil, err
	}
	pg := &showPage{Workshop: w}
	u := thttp.CurrentUser(c)
	if u.Role.Staff() {
		if pg.Speakers, err = h.Workshops.Speakers(ctx); err != nil {
			return nil, err
		}
	}
	if u.Role == tsunagu.RoleCandidate && len(w.Lecturers) > 0 {
		pg.Mine = w.Lecturers[0]
	}
	return pg, nil
}

// handleShow handles GET /workshops/:id.
func (h *Handlers) handleShow(c *gin.Context, id int64) (any, error) {
	return h.showPage(c, id)
}

// apiList handles GET /api/v1/workshops.
func (h *Handlers) apiList(c *gin.Context) (any, error) {
	ws, err := h.Workshops.List(c.Request.Context())
	return gin.H{"workshops": ws}, err
}

// apiCreate handles POST /api/v1/workshops.
func (h *Handlers) apiCreate(c *gin.Context) (any, error) {
	var in struct {
		Topic          string   `json:"topic"`
		Audience       int      `json:"audience"`
		Language       string   `json:"language"`
		Notes          string   `json:"notes"`
		PreferredDates []string `json:"preferred_dates"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	r := tsunagu.WorkshopRequest{Topic: in.Topic, Audience: in.Audience, Language: in.Language, Notes: in.Notes}
	for _, d := range in.PreferredDates {
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			return nil, tsunagu.FieldErr("preferred_dates", "training.error.date", nil)
		}
		r.PreferredDates = append(r.PreferredDates, t)
	}
	return h.Workshops.Request(c.Request.Context(), r)
}
