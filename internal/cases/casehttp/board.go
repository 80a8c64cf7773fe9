package casehttp

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (h *Handlers) registerBoard(r *thttp.Router) {
	g := r.Engine.Group("/coordinator", r.Server.Require(tsunagu.ActCoordinatorArea))
	g.GET("/cases", h.s.HTML("cases/board", h.handleBoard))
	g.POST("/cases/move", h.handleBoardMove)
	g.GET("/cases/new", h.handleNewCaseForm)
	g.GET("/cases/export/:format", h.handleCaseExport)
	g.POST("/cases", h.handleOpenCase)
	g.GET("/cases/:id", h.s.HTML("cases/case", thttp.WithID(h.handleCase)))
	g.POST("/cases/:id/move", h.handleCaseMove)
	g.POST("/cases/:id/residence", h.handleCaseResidence)
	g.POST("/cases/:id/assign", h.handleCaseAssign)
	g.POST("/cases/:id/notes", h.handleCaseNote)
	g.POST("/cases/:id/introductions", h.handleSuggest)
	g.POST("/introductions/:id/move", h.handleIntroMove)
	g.POST("/introductions/:id/expertise", h.handleIntroExpertise)
}

// column is one stage of the board.
type column struct {
	Stage tsunagu.CaseStage
	Cases []*tsunagu.Case
	// Next are the stages a card may move to by a button ("closed" needs a
	// reason: on the case page or through the bulk form).
	Next []tsunagu.CaseStage
}

type bulkLine struct {
	CaseID  int64
	Name    string
	OK      bool
	Message string
}

type boardData struct {
	Columns      []column
	Stages       []tsunagu.CaseStage
	Reasons      []string
	Coordinators []postgres.UserRef
	Companies    []postgres.CompanyRef
	Filter       url.Values
	Results      []bulkLine
	Now          time.Time
	Total        int
	// ExportQuery carries the filters to the exports ("?stage=…", or "").
	ExportQuery string
}

// filterFrom reads the board's filters from the query.
func filterFrom(q url.Values, me *tsunagu.User) tsunagu.CaseFilter {
	f := tsunagu.CaseFilter{Stage: tsunagu.CaseStage(q.Get("stage")), Overdue: q.Get("overdue") == "1", Query: q.Get("q")}
	if !f.Stage.Valid() {
		f.Stage = ""
	}
	switch v := q.Get("coordinator"); v {
	case "", "all":
	case "me":
		f.CoordinatorID = me.ID
	case "none":
		f.Unassigned = true
	default:
		f.CoordinatorID, _ = strconv.ParseInt(v, 10, 64)
	}
	f.CompanyID, _ = strconv.ParseInt(q.Get("company"), 10, 64)
	return f
}

func (h *Handlers) board(c *gin.Context, q url.Values) (*boardData, error) {
	ctx := c.Request.Context()
	me := thttp.CurrentUser(c)
	list, err := h.Cases.ListCases(ctx, filterFrom(q, me))
	if err != nil {
		return nil, err
	}
	d := &boardData{Stages: tsunagu.CaseStages, Reasons: tsunagu.CloseReasons, Filter: q, Now: time.Now(), Total: len(list)}
	if e := q.Encode(); e != "" {
		d.ExportQuery = "?" + e
	}
	if d.Coordinators, err = h.DB.Coordinators(ctx); err != nil {
		return nil, err
	}
	if d.Companies, err = h.DB.CompaniesWithIntroductions(ctx); err != nil {
		return nil, err
	}
	by := map[tsunagu.CaseStage][]*tsunagu.Case{}
	for _, cs := range list {
		by[cs.Stage] = append(by[cs.Stage], cs)
	}
	for _, s := range tsunagu.CaseStages {
		var next []tsunagu.CaseStage
		for _, n := range s.NextStages() {
			if n != tsunagu.StageClosed {
				next = append(next, n)
			}
		}
		d.Columns = append(d.Columns, column{Stage: s, Cases: by[s], Next: next})
	}
	return d, nil
}

// handleCaseExport handles GET /coordinator/cases/export/:format (csv or
// xlsx) with the board's filters: one row per case, times in Japan time.
func (h *Handlers) handleCaseExport(c *gin.Context) {
	list, err := h.Cases.ListCases(c.Request.Context(), filterFrom(c.Request.URL.Query(), thttp.CurrentUser(c)))
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	p := h.s.Printer(c)
	sheet := thttp.Sheet{Name: "tsunagu-cases-" + i18n.LocalTime(time.Now()).Format(i18n.DateLayout),
		Header: []string{"case_id", "candidate_id", "candidate_name", "headline", "stage", "stage_name", "close_reason",
			"residence", "coordinator", "stage_since", "last_activity_at", "overdue_followups", "opened_at"}}
	for _, k := range list {
		sheet.Rows = append(sheet.Rows, []string{strconv.FormatInt(k.ID, 10), strconv.FormatInt(k.CandidateID, 10), k.CandidateName,
			k.Headline, string(k.Stage), stageName(p, string(k.Stage)), k.CloseReason, string(k.Residence), k.Coordinator,
			i18n.FormatDateTime(k.StageSince), i18n.FormatDateTime(k.LastActivityAt), strconv.Itoa(k.Overdue), i18n.FormatDateTime(k.CreatedAt)})
	}
	if err := thttp.WriteSheet(c, c.Param("format"), sheet); err != nil && !c.Writer.Written() {
		h.s.Fail(c, err)
	}
}

// handleBoard handles GET /coordinator/cases: the cases by stage, with
// filters (?coordinator=me|none|<id>&stage=&overdue=1&company=&q=).
func (h *Handlers) handleBoard(c *gin.Context) (any, error) {
	return h.board(c, c.Request.URL.Query())
}

// handleBoardMove handles POST /coordinator/cases/move: a card's button
// (one=<case>:<stage>) or the bulk form (case_ids, stage, reason). Renders
// the board with a line per case: moved, or why not.
func (h *Handlers) handleBoardMove(c *gin.Context) {
	ctx := c.Request.Context()
	var ids []int64
	var m tsunagu.CaseMove
	if one := c.PostForm("one"); one != "" {
		idS, st, _ := strings.Cut(one, ":")
		id, _ := strconv.ParseInt(idS, 10, 64)
		ids, m.Stage = []int64{id}, tsunagu.CaseStage(st)
	} else {
		for _, v := range c.PostFormArray("case_ids") {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
		m = tsunagu.CaseMove{Stage: tsunagu.CaseStage(c.PostForm("stage")), Reason: c.PostForm("reason"), Note: c.PostForm("note")}
	}
	res, err := h.Cases.BulkMove(ctx, ids, m)
	back, _ := url.ParseQuery(c.PostForm("filter"))
	if err != nil {
		d, derr := h.board(c, back)
		if derr != nil {
			h.s.Fail(c, derr)
			return
		}
		h.s.RenderForm(c, "cases/board", d, err)
		return
	}
	p := h.s.Printer(c)
	d, err := h.board(c, back)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	names := map[int64]string{}
	for _, col := range d.Columns {
		for _, cs := range col.Cases {
			names[cs.ID] = cs.CandidateName
		}
	}
	for _, r := range res {
		line := bulkLine{CaseID: r.CaseID, Name: names[r.CaseID], OK: r.Err == nil}
		if r.Err == nil {
			line.Message = p.T("cases.moved_to", map[string]any{"Stage": stageName(p, string(m.Stage))})
		} else {
			line.Message = errorText(p, r.Err)
		}
		d.Results = append(d.Results, line)
	}
	h.s.Render(c, http.StatusOK, "cases/board", d)
}

// errorText renders an error's field messages (or its message) in the
// user's language, naming stages by their translated names.
func errorText(p *i18n.Printer, err error) string {
	e := tsunagu.AsError(err)
	if e == nil || e.Code == tsunagu.EINTERNAL {
		return p.T("error.internal")
	}
	var parts []string
	for _, f := range e.Fields {
		parts = append(parts, p.T(f.ID, stageData(p, f.Data)))
	}
	if len(parts) == 0 {
		parts = append(parts, p.T(e.Message, stageData(p, e.Data)))
	}
	return strings.Join(parts, " ")
}

// stageData translates From/To/Stage in error data.
func stageData(p *i18n.Printer, d map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range d {
		out[k] = v
	}
	for _, k := range []string{"From", "To", "Stage"} {
		if s, ok := out[k].(string); ok {
			if tsunagu.CaseStage(s).Valid() {
				out[k] = stageName(p, s)
			} else if tsunagu.IntroStage(s).Valid() {
				out[k] = introStageName(p, s)
			} else if tsunagu.ResidenceTrack(s).Valid() {
				out[k] = p.T("cases.residence." + s)
			}
		}
	}
	return out
}

// translateErr turns stage names in an error's data into the user's words,
// for RenderForm.
func translateErr(p *i18n.Printer, err error) error {
	e := tsunagu.AsError(err)
	if e == nil {
		return err
	}
	out := &tsunagu.Error{Code: e.Code, Message: e.Message, Data: stageData(p, e.Data)}
	if len(e.Fields) > 0 {
		out.Fields = map[string]tsunagu.FieldError{}
		for k, f := range e.Fields {
			out.Fields[k] = tsunagu.FieldError{ID: f.ID, Data: stageData(p, f.Data)}
		}
	}
	return out
}

type newCaseData struct {
	Candidates []postgres.CandidateRef
}

// handleNewCaseForm handles GET /coordinator/cases/new: candidates without
// a case.
func (h *Handlers) handleNewCaseForm(c *gin.Context) {
	list, err := h.Cases.CandidatesWithoutCase(c.Request.Context())
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "cases/new", newCaseData{Candidates: list})
}

// handleOpenCase handles POST /coordinator/cases: opens a candidate's case.
func (h *Handlers) handleOpenCase(c *gin.Context) {
	id, err := h.Cases.OpenCase(c.Request.Context(), formInt(c, "candidate_id"))
	if err != nil {
		list, lerr := h.DB.CandidatesWithoutCase(c.Request.Context(), 500)
		if lerr != nil {
			h.s.Fail(c, lerr)
			return
		}
		if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			err = &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input", Fields: map[string]tsunagu.FieldError{"candidate_id": {ID: "error.choice"}}}
		}
		h.s.RenderForm(c, "cases/new", newCaseData{Candidates: list}, err)
		return
	}
	h.s.RedirectWithFlash(c, fmt.Sprintf("/coordinator/cases/%d", id), "cases.flash.opened")
}
