package casehttp

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (h *Handlers) registerCandidate(r *thttp.Router) {
	g := r.Engine.Group("/me", r.Server.Require(tsunagu.ActCandidateArea))
	g.GET("/case", h.handleOwnCase)
	g.GET("/introductions", h.handleOwnIntroductions)
	g.GET("/introductions/:id", h.handleConsentForm)
	g.POST("/introductions/:id/consent", h.handleConsent)
	r.HomeWidget(tsunagu.RoleCandidate, h.candidateHomeWidget)
}

// handleOwnCase handles GET /me/case: the candidate's own journey.
func (h *Handlers) handleOwnCase(c *gin.Context) {
	v, err := h.Cases.OwnCase(c.Request.Context())
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
		h.s.Render(c, http.StatusOK, "cases/my_case", nil)
		return
	}
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "cases/my_case", gin.H{"View": v, "Timeline": timeline(h.s.Printer(c), v)})
}

// handleOwnIntroductions handles GET /me/introductions: the companies the
// candidate was put forward to, and those waiting for an answer.
func (h *Handlers) handleOwnIntroductions(c *gin.Context) {
	list, err := h.Cases.OwnIntroductions(c.Request.Context())
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	var identity []*tsunagu.Introduction
	for _, in := range list {
		if in.Stage.SharesIdentity() {
			identity = append(identity, in)
		}
	}
	h.s.Render(c, http.StatusOK, "cases/my_introductions", gin.H{"Introductions": list, "Identity": identity})
}

// handleConsentForm handles GET /me/introductions/:id: the consent
// question, in the candidate's language, saying what the company will see.
func (h *Handlers) handleConsentForm(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	d, err := h.Cases.FindIntroductionDetail(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "cases/consent", d)
}

// handleConsent handles POST /me/introductions/:id/consent (answer=yes|no,
// note).
func (h *Handlers) handleConsent(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	answer := c.PostForm("answer")
	if answer != "yes" && answer != "no" {
		d, ferr := h.Cases.FindIntroductionDetail(ctx, id)
		if ferr != nil {
			h.s.Fail(c, ferr)
			return
		}
		h.s.RenderForm(c, "cases/consent", d, &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input",
			Fields: map[string]tsunagu.FieldError{"answer": {ID: "error.required"}}})
		return
	}
	if err := h.Cases.Consent(ctx, id, answer == "yes", c.PostForm("note")); err != nil {
		if tsunagu.ErrorCode(err) != tsunagu.EINVALID {
			h.s.Fail(c, err)
			return
		}
		d, ferr := h.Cases.FindIntroductionDetail(ctx, id)
		if ferr != nil {
			h.s.Fail(c, ferr)
			return
		}
		h.s.RenderForm(c, "cases/consent", d, formLevel(translateErr(h.s.Printer(c), err)))
		return
	}
	flash := "cases.flash.declined"
	if answer == "yes" {
		flash = "cases.flash.consented"
	}
	h.s.RedirectWithFlash(c, fmt.Sprintf("/me/introductions/%d", id), flash)
}

// candidateHome is what awaits a candidate, on their home page.
type candidateHome struct {
	Pending []*tsunagu.Introduction // introductions waiting for their answer
	Unread  int                     // unread notifications
}

// candidateHomeWidget is the candidate home page's widget: the
// introductions waiting for their answer and the unread notifications.
func (h *Handlers) candidateHomeWidget(c *gin.Context) (string, any, error) {
	list, err := h.Cases.OwnIntroductions(c.Request.Context())
	if err != nil {
		return "", nil, err
	}
	var d candidateHome
	for _, in := range list {
		if in.Stage == tsunagu.IntroSuggested {
			d.Pending = append(d.Pending, in)
		}
	}
	if u := thttp.CurrentUser(c); u != nil {
		if d.Unread, err = h.DB.UnreadNotifications(c.Request.Context(), u.ID); err != nil {
			return "", nil, err
		}
	}
	if len(d.Pending) == 0 && d.Unread == 0 {
		return "", nil, nil
	}
	return "awaits", d, nil
}
