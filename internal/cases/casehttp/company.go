package casehttp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (h *Handlers) registerCompany(r *thttp.Router) {
	g := r.Engine.Group("/company", r.Server.Require(tsunagu.ActCompanyArea))
	g.GET("/pipeline", h.handlePipeline)
	g.POST("/introductions/:id/feedback", h.handleFeedback)
}

// pipelineColumn is one stage of a company's pipeline.
type pipelineColumn struct {
	Stage         tsunagu.IntroStage
	Introductions []*tsunagu.Introduction
	Feedback      bool // a verdict moves it on
}

func (h *Handlers) pipeline(c *gin.Context) ([]pipelineColumn, error) {
	list, err := h.Cases.CompanyPipeline(c.Request.Context())
	if err != nil {
		return nil, err
	}
	var cols []pipelineColumn
	for _, s := range tsunagu.IntroStages {
		if s == tsunagu.IntroSuggested {
			continue
		}
		_, fb := tsunagu.FeedbackMove(s, tsunagu.FeedbackYes)
		col := pipelineColumn{Stage: s, Feedback: fb}
		for _, in := range list {
			if in.Stage == s {
				col.Introductions = append(col.Introductions, in)
			}
		}
		cols = append(cols, col)
	}
	return cols, nil
}

// handlePipeline handles GET /company/pipeline: the company's
// introductions by stage, with the interview feedback form.
func (h *Handlers) handlePipeline(c *gin.Context) {
	cols, err := h.pipeline(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "cases/pipeline", gin.H{"Columns": cols, "Total": total(cols)})
}

// handleFeedback handles POST /company/introductions/:id/feedback
// (verdict=yes|no, note): the verdict moves the introduction.
func (h *Handlers) handleFeedback(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if err := h.Cases.Feedback(c.Request.Context(), id, c.PostForm("verdict"), c.PostForm("note")); err != nil {
		if tsunagu.ErrorCode(err) != tsunagu.EINVALID {
			h.s.Fail(c, err)
			return
		}
		cols, perr := h.pipeline(c)
		if perr != nil {
			h.s.Fail(c, perr)
			return
		}
		h.s.RenderForm(c, "cases/pipeline", gin.H{"Columns": cols, "Total": total(cols)}, formLevel(translateErr(h.s.Printer(c), err)))
		return
	}
	h.s.RedirectWithFlash(c, "/company/pipeline", "cases.flash.feedback")
}

func total(cols []pipelineColumn) int {
	n := 0
	for _, c := range cols {
		n += len(c.Introductions)
	}
	return n
}
