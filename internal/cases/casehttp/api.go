package casehttp

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/cases"
	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func init() {
	type caseOpen struct {
		CandidateID int64 `json:"candidate_id" validate:"required"`
	}
	type bulkMove struct {
		CaseIDs []int64 `json:"case_ids" validate:"required"`
		tsunagu.CaseMove
	}
	type bulkMoveError struct {
		Code    string            `json:"code" validate:"required"`
		Message string            `json:"message" validate:"required"`
		Fields  map[string]string `json:"fields,omitempty"`
	}
	type bulkMoveResult struct {
		CaseID int64          `json:"case_id" validate:"required"`
		OK     bool           `json:"ok" validate:"required"`
		Error  *bulkMoveError `json:"error,omitempty"`
	}
	type bulkMoveResults struct {
		Results []bulkMoveResult `json:"results" validate:"required"`
	}
	type residenceMove struct {
		Residence tsunagu.ResidenceTrack `json:"residence" validate:"required"`
		Note      string                 `json:"note"`
	}
	type caseAssign struct {
		CoordinatorID int64 `json:"coordinator_id"` // 0: nobody
	}
	type caseNote struct {
		Note string `json:"note" validate:"required"`
	}
	type suggestionIn struct {
		RoleID int64  `json:"role_id" validate:"required"`
		Note   string `json:"note"`
	}
	type expertiseIn struct {
		UsesExpertise *bool `json:"uses_expertise" validate:"required"`
	}
	type consentIn struct {
		Consent *bool  `json:"consent" validate:"required"`
		Note    string `json:"note"`
	}
	type feedbackIn struct {
		Verdict string `json:"verdict" validate:"required"`
		Note    string `json:"note"`
	}
	type caseList struct {
		Cases []*tsunagu.Case `json:"cases" validate:"required"`
	}
	type introductionList struct {
		Introductions []*tsunagu.Introduction `json:"introductions" validate:"required"`
	}
	type followupList struct {
		Followups []*tsunagu.Followup `json:"followups" validate:"required"`
	}
	type retentionFigure struct {
		Month         int     `json:"month"`
		Answered      int     `json:"answered"`
		StillEmployed int     `json:"still_employed"`
		Rate          float64 `json:"rate"`
	}
	type caseOutcomes struct {
		PeopleConnected        int                           `json:"people_connected"`
		HiredUsingExpertise    int                           `json:"hired_using_expertise"`
		HiredTotal             int                           `json:"hired_total"`
		ResidenceStatusChanges int                           `json:"residence_status_changes"`
		Funnel                 map[tsunagu.CaseStage]int     `json:"funnel"`
		Current                map[tsunagu.CaseStage]int     `json:"current"`
		MedianDaysInStage      map[tsunagu.CaseStage]float64 `json:"median_days_in_stage"`
		Retention              []retentionFigure             `json:"retention"`
		Training               map[string]any                `json:"training,omitempty"` // the training section's figures
	}
	type notificationOut struct {
		ID        int64      `json:"id"`
		Kind      string     `json:"kind"`
		Text      string     `json:"text"`
		Link      string     `json:"link"`
		CreatedAt time.Time  `json:"created_at"`
		ReadAt    *time.Time `json:"read_at"`
	}
	type notificationList struct {
		Notifications []notificationOut `json:"notifications" validate:"required"`
	}
	ok := thttp.OK{}
	thttp.DocumentAPI(
		thttp.APIOp{Method: "GET", Path: "/cases", ID: "listCases", Summary: "The board's cases (staff); coordinator is me, none or an id", Tag: "cases",
			Query: []string{"coordinator", "stage", "overdue", "company", "q"}, Response: caseList{}},
		thttp.APIOp{Method: "POST", Path: "/cases", ID: "openCase", Summary: "Open a candidate's case in intake (staff)", Tag: "cases", Status: 201,
			Request: caseOpen{}, Response: thttp.Created{}, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/cases/:id", ID: "getCase", Summary: "A case with its timeline, introductions and check-ins (staff, or the candidate)", Tag: "cases", Response: cases.CaseView{}},
		thttp.APIOp{Method: "POST", Path: "/cases/:id/move", ID: "moveCase", Summary: "Move a case; 422 names both stages when the move is not allowed", Tag: "cases",
			Request: tsunagu.CaseMove{}, Response: ok, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "POST", Path: "/cases/move", ID: "moveCases", Summary: "Move several cases; each moves or reports why not", Tag: "cases",
			Request: bulkMove{}, Response: bulkMoveResults{}},
		thttp.APIOp{Method: "POST", Path: "/cases/:id/residence", ID: "moveResidence", Summary: "Move the residence-status track (not_started → applied → changed | refused)", Tag: "cases",
			Request: residenceMove{}, Response: ok},
		thttp.APIOp{Method: "POST", Path: "/cases/:id/assign", ID: "assignCase", Summary: "Assign a case to a coordinator (0: nobody)", Tag: "cases",
			Request: caseAssign{}, Response: ok},
		thttp.APIOp{Method: "POST", Path: "/cases/:id/notes", ID: "addCaseNote", Summary: "Add a note to a case's timeline", Tag: "cases",
			Request: caseNote{}, Response: ok},
		thttp.APIOp{Method: "POST", Path: "/cases/:id/introductions", ID: "suggestIntroduction", Summary: "Suggest the candidate for a role (they are asked to consent)", Tag: "introductions", Status: 201,
			Request: suggestionIn{}, Response: thttp.Created{}, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/introductions", ID: "listIntroductions", Summary: "A company's pipeline, or a candidate's own introductions", Tag: "introductions", Response: introductionList{}},
		thttp.APIOp{Method: "GET", Path: "/introductions/:id", ID: "getIntroduction", Summary: "One introduction; candidate_name is absent when the company may not see it", Tag: "introductions", Response: tsunagu.Introduction{}},
		thttp.APIOp{Method: "POST", Path: "/introductions/:id/move", ID: "moveIntroduction", Summary: "Move an introduction (hired moves the case and plans the check-ins)", Tag: "introductions",
			Request: tsunagu.IntroMove{}, Response: ok, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "POST", Path: "/introductions/:id/expertise", ID: "setIntroductionExpertise", Summary: "Record whether a hire uses the person's expertise (staff)", Tag: "introductions",
			Request: expertiseIn{}, Response: ok},
		thttp.APIOp{Method: "POST", Path: "/introductions/:id/consent", ID: "answerIntroductionConsent", Summary: "The candidate consents (true) or declines (false)", Tag: "introductions",
			Request: consentIn{}, Response: ok, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "POST", Path: "/introductions/:id/feedback", ID: "giveInterviewFeedback", Summary: "A company's interview verdict (yes moves on, no declines)", Tag: "introductions",
			Request: feedbackIn{}, Response: ok, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/followups", ID: "listFollowups", Summary: "The retention check-ins due that the user answers", Tag: "followups", Response: followupList{}},
		thttp.APIOp{Method: "POST", Path: "/followups/:id", ID: "answerFollowup", Summary: "Answer a retention check-in", Tag: "followups",
			Request: tsunagu.FollowupAnswer{}, Response: ok, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/outcomes", ID: "getOutcomes", Summary: "The programme's outcome figures (staff); training and workshop figures under \"training\". from and to (YYYY-MM-DD, Japan time, both included) narrow them to what happened in a period; programme (an id) to the people enrolled in it", Tag: "outcomes", Response: caseOutcomes{}, Query: []string{"from", "to", "programme"}},
		thttp.APIOp{Method: "GET", Path: "/notifications", ID: "listNotifications", Summary: "The user's in-app notifications, newest first", Tag: "notifications",
			Query: []string{"limit:integer"}, Response: notificationList{}},
	)
}

func (h *Handlers) registerAPI(r *thttp.Router) {
	api := r.API
	api.GET("/cases", h.s.JSON(http.StatusOK, h.apiCases))
	api.POST("/cases", h.s.JSON(http.StatusCreated, h.apiOpenCase))
	api.POST("/cases/move", h.s.JSON(http.StatusOK, h.apiBulkMove))
	api.GET("/cases/:id", h.s.JSON(http.StatusOK, thttp.VersionedByID(h.Cases.FindCase, func(v *cases.CaseView) int64 { return v.Case.Version })))
	api.POST("/cases/:id/move", h.s.JSON(http.StatusOK, h.apiMoveCase))
	api.POST("/cases/:id/residence", h.s.JSON(http.StatusOK, h.apiResidence))
	api.POST("/cases/:id/assign", h.s.JSON(http.StatusOK, h.apiAssign))
	api.POST("/cases/:id/notes", h.s.JSON(http.StatusOK, h.apiNote))
	api.POST("/cases/:id/introductions", h.s.JSON(http.StatusCreated, h.apiSuggest))
	api.GET("/introductions", h.s.JSON(http.StatusOK, h.apiIntroductions))
	api.GET("/introductions/:id", h.s.JSON(http.StatusOK, thttp.VersionedByID(h.Cases.FindIntroduction, func(in *tsunagu.Introduction) int64 { return in.Version })))
	api.POST("/introductions/:id/move", h.s.JSON(http.StatusOK, h.apiMoveIntroduction))
	api.POST("/introductions/:id/expertise", h.s.JSON(http.StatusOK, h.apiExpertise))
	api.POST("/introductions/:id/consent", h.s.JSON(http.StatusOK, h.apiConsent))
	api.POST("/introductions/:id/feedback", h.s.JSON(http.StatusOK, h.apiFeedback))
	api.GET("/followups", h.s.JSON(http.StatusOK, h.apiFollowups))
	api.POST("/followups/:id", h.s.JSON(http.StatusOK, h.apiAnswerFollowup))
	api.GET("/outcomes", h.s.JSON(http.StatusOK, h.apiOutcomes))
	api.GET("/notifications", h.s.JSON(http.StatusOK, h.apiNotifications))
}

// withID runs fn with the :id parameter: {"ok": true}, or the error
// translated.
func (h *Handlers) withID(c *gin.Context, fn func(id int64) error) (any, error) {
	id, err := thttp.IDParam(c, "id")
	if err == nil {
		err = fn(id)
	}
	if err != nil {
		return nil, translateErr(h.s.Printer(c), err)
	}
	return gin.H{"ok": true}, nil
}

// apiCases handles GET /api/v1/cases.
func (h *Handlers) apiCases(c *gin.Context) (any, error) {
	u := thttp.CurrentUser(c)
	if u == nil {
		return nil, tsunagu.Errorf(tsunagu.EUNAUTHORIZED, "error.sign_in_required")
	}
	list, err := h.Cases.ListCases(c.Request.Context(), filterFrom(c.Request.URL.Query(), u))
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []*tsunagu.Case{}
	}
	return gin.H{"cases": list}, nil
}

// apiOpenCase handles POST /api/v1/cases {"candidate_id"}.
func (h *Handlers) apiOpenCase(c *gin.Context) (any, error) {
	var in struct {
		CandidateID int64 `json:"candidate_id"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	id, err := h.Cases.OpenCase(c.Request.Context(), in.CandidateID)
	if err != nil {
		return nil, err
	}
	return gin.H{"id": id}, nil
}

// apiMoveCase handles POST /api/v1/cases/:id/move {"stage", "reason", "note"}.
func (h *Handlers) apiMoveCase(c *gin.Context) (any, error) {
	var m tsunagu.CaseMove
	if err := thttp.BindJSON(c, &m); err != nil {
		return nil, err
	}
	var err error
	if m.Version, err = thttp.Version(c, m.Version); err != nil {
		return nil, err
	}
	return h.withID(c, func(id int64) error { return h.Cases.MoveCase(c.Request.Context(), id, m) })
}

// apiBulkMove handles POST /api/v1/cases/move {"case_ids", "stage", ...}:
// {"results": [{"case_id", "ok", "error"}]}.
func (h *Handlers) apiBulkMove(c *gin.Context) (any, error) {
	var in struct {
		CaseIDs []int64 `json:"case_ids"`
		tsunagu.CaseMove
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	res, err := h.Cases.BulkMove(c.Request.Context(), in.CaseIDs, in.CaseMove)
	if err != nil {
		return nil, err
	}
	p := h.s.Printer(c)
	out := make([]gin.H, 0, len(res))
	for _, r := range res {
		line := gin.H{"case_id": r.CaseID, "ok": r.Err == nil}
		if r.Err != nil {
			line["error"] = apiErr(p, r.Err)
		}
		out = append(out, line)
	}
	return gin.H{"results": out}, nil
}

// apiErr is the API's error body for one failure inside a 200 answer.
func apiErr(p *i18n.Printer, err error) gin.H {
	e := tsunagu.AsError(translateErr(p, err))
	if e == nil || e.Code == tsunagu.EINTERNAL {
		return gin.H{"code": tsunagu.EINTERNAL, "message": p.T("error.internal")}
	}
	body := gin.H{"code": e.Code, "message": p.T(e.Message, e.Data)}
	if len(e.Fields) > 0 {
		f := map[string]string{}
		for k, v := range e.Fields {
			f[k] = p.T(v.ID, v.Data)
		}
		body["fields"] = f
	}
	return body
}

// apiResidence handles POST /api/v1/cases/:id/residence.
func (h *Handlers) apiResidence(c *gin.Context) (any, error) {
	var in struct {
		Residence tsunagu.ResidenceTrack `json:"residence"`
		Note      string                 `json:"note"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	return h.withID(c, func(id int64) error { return h.Cases.MoveResidence(c.Request.Context(), id, in.Residence, in.Note) })
}

// apiAssign handles POST /api/v1/cases/:id/assign.
func (h *Handlers) apiAssign(c *gin.Context) (any, error) {
	var in struct {
		CoordinatorID int64 `json:"coordinator_id"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	return h.withID(c, func(id int64) error { return h.Cases.Assign(c.Request.Context(), id, in.CoordinatorID) })
}

// apiNote handles POST /api/v1/cases/:id/notes.
func (h *Handlers) apiNote(c *gin.Context) (any, error) {
	var in struct {
		Note string `json:"note"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	return h.withID(c, func(id int64) error { return h.Cases.AddNote(c.Request.Context(), id, in.Note) })
}

// apiSuggest handles POST /api/v1/cases/:id/introductions.
func (h *Handlers) apiSuggest(c *gin.Context) (any, error) {
	var in struct {
		RoleID int64  `json:"role_id"`
		Note   string `json:"note"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	iid, err := h.Cases.Suggest(c.Request.Context(), id, in.RoleID, in.Note)
	if err != nil {
		return nil, err
	}
	return gin.H{"id": iid}, nil
}

// apiIntroductions handles GET /api/v1/introductions: a company's pipeline
// or a candidate's own introductions.
func (h *Handlers) apiIntroductions(c *gin.Context) (any, error) {
	u := thttp.CurrentUser(c)
	var list []*tsunagu.Introduction
	var err error
	switch {
	case u == nil:
		err = tsunagu.Errorf(tsunagu.EUNAUTHORIZED, "error.sign_in_required")
	case u.Role == tsunagu.RoleCompany:
		list, err = h.Cases.CompanyPipeline(c.Request.Context())
	case u.Role == tsunagu.RoleCandidate:
		list, err = h.Cases.OwnIntroductions(c.Request.Context())
	default:
		err = tsunagu.Errorf(tsunagu.EINVALID, "cases.error.use_case_api")
	}
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []*tsunagu.Introduction{}
	}
	return gin.H{"introductions": list}, nil
}

// apiMoveIntroduction handles POST /api/v1/introductions/:id/move.
func (h *Handlers) apiMoveIntroduction(c *gin.Context) (any, error) {
	var m tsunagu.IntroMove
	if err := thttp.BindJSON(c, &m); err != nil {
		return nil, err
	}
	var err error
	if m.Version, err = thttp.Version(c, m.Version); err != nil {
		return nil, err
	}
	return h.withID(c, func(id int64) error { return h.Cases.MoveIntroduction(c.Request.Context(), id, m) })
}

// apiConsent handles POST /api/v1/introductions/:id/consent {"consent", "note"}.
func (h *Handlers) apiConsent(c *gin.Context) (any, error) {
	var in struct {
		Consent *bool  `json:"consent"`
		Note    string `json:"note"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	if in.Consent == nil {
		return nil, &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input", Fields: map[string]tsunagu.FieldError{"consent": {ID: "error.required"}}}
	}
	return h.withID(c, func(id int64) error { return h.Cases.Consent(c.Request.Context(), id, *in.Consent, in.Note) })
}

// apiFeedback handles POST /api/v1/introductions/:id/feedback {"verdict", "note"}.
func (h *Handlers) apiFeedback(c *gin.Context) (any, error) {
	var in struct {
		Verdict string `json:"verdict"`
		Note    string `json:"note"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	return h.withID(c, func(id int64) error { return h.Cases.Feedback(c.Request.Context(), id, in.Verdict, in.Note) })
}

// apiFollowups handles GET /api/v1/followups.
func (h *Handlers) apiFollowups(c *gin.Context) (any, error) {
	list, err := h.Cases.OwnFollowups(c.Request.Context())
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []*tsunagu.Followup{}
	}
	return gin.H{"followups": list}, nil
}

// apiAnswerFollowup handles POST /api/v1/followups/:id.
func (h *Handlers) apiAnswerFollowup(c *gin.Context) (any, error) {
	var a tsunagu.FollowupAnswer
	if err := thttp.BindJSON(c, &a); err != nil {
		return nil, err
	}
	return h.withID(c, func(id int64) error { return h.Cases.AnswerFollowup(c.Request.Context(), id, a) })
}

// apiOutcomes handles GET /api/v1/outcomes.
func (h *Handlers) apiOutcomes(c *gin.Context) (any, error) {
	f, _, err := h.outcomeFilter(c)
	if err != nil {
		return nil, err
	}
	o, secs, err := h.outcomes(c, f)
	if err != nil {
		return nil, err
	}
	funnel, current, median := gin.H{}, gin.H{}, gin.H{}
	for _, s := range tsunagu.CaseStages {
		funnel[string(s)] = o.Funnel[s]
		current[string(s)] = o.Current[s]
		if d, ok := o.MedianDays[s]; ok {
			median[string(s)] = d
		}
	}
	ret := []gin.H{}
	for _, r := range o.Retention {
		ret = append(ret, gin.H{"month": r.Month, "answered": r.Answered, "still_employed": r.Employed, "rate": r.Rate()})
	}
	body := gin.H{
		"people_connected": o.PeopleConnected, "hired_using_expertise": o.HiredExpertise, "hired_total": o.HiredTotal,
		"residence_status_changes": o.ResidenceChanged, "funnel": funnel, "current": current, "median_days_in_stage": median, "retention": ret,
	}
	for _, sec := range secs {
		body[sec.ID] = sec.JSON
	}
	return body, nil
}

// apiNotifications handles GET /api/v1/notifications.
func (h *Handlers) apiNotifications(c *gin.Context) (any, error) {
	u := thttp.CurrentUser(c)
	if u == nil {
		return nil, tsunagu.Errorf(tsunagu.EUNAUTHORIZED, "error.sign_in_required")
	}
	limit, _ := strconv.Atoi(c.DefaultQuery("limit", "50"))
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	list, err := h.DB.Notifications(c.Request.Context(), u.ID, limit)
	if err != nil {
		return nil, err
	}
	p := h.s.Printer(c)
	t := func(id string, data map[string]any) string { return p.T(id, data) }
	out := make([]gin.H, len(list))
	for i, n := range list {
		out[i] = gin.H{"id": n.ID, "kind": n.Kind, "text": cases.NotificationText(t, n), "link": n.Link, "created_at": n.CreatedAt, "read_at": n.ReadAt}
	}
	return gin.H{"notifications": out}, nil
}

// apiExpertise handles POST /api/v1/introductions/:id/expertise {"uses_expertise"}.
func (h *Handlers) apiExpertise(c *gin.Context) (any, error) {
	var in struct {
		Uses *bool `json:"uses_expertise"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	if in.Uses == nil {
		return nil, &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input", Fields: map[string]tsunagu.FieldError{"uses_expertise": {ID: "error.required"}}}
	}
	return h.withID(c, func(id int64) error { return h.Cases.SetUsesExpertise(c.Request.Context(), id, *in.Uses) })
}
