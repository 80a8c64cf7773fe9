package profilehttp

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (h *Handlers) registerCandidate(r *gin.Engine, api *gin.RouterGroup) {
	s := h.s
	me := r.Group("/me/profile", s.Require(tsunagu.ActCandidateArea))
	me.GET("", h.handleOwnProfile)
	me.GET("/edit", h.handleOwnProfileForm)
	me.POST("", h.handleOwnProfileSave)

	co := r.Group("/coordinator", s.Require(tsunagu.ActCoordinatorArea))
	co.GET("/candidates", h.handleCandidateList)
	co.GET("/candidates/new", h.handleCandidateNewForm)
	co.POST("/candidates", h.handleCandidateCreate)
	co.GET("/candidates/:id", h.handleCandidateView)
	co.GET("/candidates/:id/edit", h.handleCandidateEditForm)
	co.POST("/candidates/:id", h.handleCandidateUpdate)
	co.POST("/candidates/:id/delete", h.handleCandidateDelete)
	co.GET("/import", h.handleImportForm)
	co.POST("/import", h.handleImportPreview)
	co.GET("/import/:id", h.handleImportJob)
	co.POST("/import/:id/run", h.handleImportRun)

	cp := r.Group("/company", s.Require(tsunagu.ActCompanyArea))
	cp.GET("/candidates", h.handleCardList)
	cp.GET("/candidates/:id", h.handleCardView)

	api.GET("/me/candidate", h.apiOwnCandidate)
	api.PUT("/me/candidate", h.apiSaveOwnCandidate)
	api.GET("/candidates", h.apiListCandidates)
	api.POST("/candidates", h.apiCreateCandidate)
	api.GET("/candidates/:id", h.apiCandidate)
	api.PUT("/candidates/:id", h.apiUpdateCandidate)
	api.DELETE("/candidates/:id", h.apiDeleteCandidate)
	api.GET("/candidates/:id/card", h.apiCandidateCard)
	api.GET("/candidate-cards", h.apiCandidateCards)
	api.POST("/imports", h.apiImportPreview)
	api.POST("/imports/:id/run", h.apiImportRun)
	api.GET("/imports/:id", h.apiImportJob)
	api.GET("/vocabularies", h.apiVocabularies)
}

// candidateView is the data of candidate/view.
type candidateView struct {
	Candidate    *tsunagu.Candidate
	Completeness tsunagu.Completeness
	Own          bool
	Labels       map[string]string // ESCO URI → label
	Workshops    *tsunagu.LecturerHistory
}

func occupationURIs(c *tsunagu.Candidate) []string {
	out := append([]string{}, c.DesiredOccupations...)
	for _, w := range c.WorkHistory {
		out = append(out, w.OccupationURI)
	}
	return out
}

// handleOwnProfile handles GET /me/profile: the candidate's own profile and
// what it still lacks; without a profile yet, the form to start one.
func (h *Handlers) handleOwnProfile(c *gin.Context) {
	cand, err := h.Candidates.FindOwnCandidate(c.Request.Context())
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
		c.Redirect(http.StatusSeeOther, "/me/profile/edit")
		return
	}
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	ws, err := h.workshops(c, cand.ID)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "candidate/view", candidateView{Candidate: cand, Completeness: cand.Completeness(), Own: true, Labels: h.labels(c, occupationURIs(cand)), Workshops: ws})
}

// handleOwnProfileForm handles GET /me/profile/edit.
func (h *Handlers) handleOwnProfileForm(c *gin.Context) {
	cand, err := h.Candidates.FindOwnCandidate(c.Request.Context())
	switch tsunagu.ErrorCode(err) {
	case "":
	case tsunagu.ENOTFOUND:
		cand = &tsunagu.Candidate{Name: thttp.CurrentUser(c).DisplayName, Visibility: tsunagu.VisibilityCoordinators, Locale: h.s.Printer(c).Lang}
	default:
		h.s.Fail(c, err)
		return
	}
	h.renderCandidateForm(c, cand, "/me/profile", false, nil)
}

// handleOwnProfileSave handles POST /me/profile.
func (h *Handlers) handleOwnProfileSave(c *gin.Context) {
	ctx := c.Request.Context()
	cand, err := h.Candidates.FindOwnCandidate(ctx)
	switch tsunagu.ErrorCode(err) {
	case "":
	case tsunagu.ENOTFOUND:
		cand = &tsunagu.Candidate{}
	default:
		h.s.Fail(c, err)
		return
	}
	if err := candidateFromForm(c, cand, false); err != nil {
		h.renderCandidateForm(c, cand, "/me/profile", false, err)
		return
	}
	if err := h.Candidates.SaveCandidate(ctx, cand); err != nil {
		h.renderCandidateForm(c, cand, "/me/profile", false, err)
		return
	}
	h.s.RedirectWithFlash(c, "/me/profile", "flash.profile_saved")
}

// handleCandidateList handles GET /coordinator/candidates?q=&visibility=.
func (h *Handlers) handleCandidateList(c *gin.Context) {
	q, offset, limit := thttp.ListParams(c)
	list, total, err := h.Candidates.ListCandidates(c.Request.Context(), tsunagu.CandidateFilter{Query: q, Visibility: c.Query("visibility"), Offset: offset, Limit: limit})
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "candidate/list", gin.H{"Candidates": list, "Total": total, "Query": q, "Visibility": c.Query("visibility"), "Visibilities": tsunagu.Visibilities, "Offset": offset, "Limit": limit})
}

// handleCandidateView handles GET /coordinator/candidates/:id: the full
// profile (the service writes the audit row).
func (h *Handlers) handleCandidateView(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	cand, err := h.Candidates.FindCandidateByID(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	ws, err := h.workshops(c, cand.ID)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "candidate/view", candidateView{Candidate: cand, Completeness: cand.Completeness(), Labels: h.labels(c, occupationURIs(cand)), Workshops: ws})
}

// handleCandidateNewForm handles GET /coordinator/candidates/new.
func (h *Handlers) handleCandidateNewForm(c *gin.Context) {
	h.renderCandidateForm(c, &tsunagu.Candidate{Visibility: tsunagu.VisibilityCoordinators}, "/coordinator/candidates", true, nil)
}

// handleCandidateCreate handles POST /coordinator/candidates.
func (h *Handlers) handleCandidateCreate(c *gin.Context) {
	cand := &tsunagu.Candidate{}
	if err := candidateFromForm(c, cand, true); err != nil {
		h.renderCandidateForm(c, cand, "/coordinator/candidates", true, err)
		return
	}
	if err := h.Candidates.SaveCandidate(c.Request.Context(), cand); err != nil {
		h.renderCandidateForm(c, cand, "/coordinator/candidates", true, err)
		return
	}
	h.s.RedirectWithFlash(c, fmt.Sprintf("/coordinator/candidates/%d", cand.ID), "flash.profile_saved")
}

// handleCandidateEditForm handles GET /coordinator/candidates/:id/edit.
func (h *Handlers) handleCandidateEditForm(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	cand, err := h.Candidates.FindCandidateByID(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.renderCandidateForm(c, cand, fmt.Sprintf("/coordinator/candidates/%d", id), true, nil)
}

// handleCandidateUpdate handles POST /coordinator/candidates/:id.
func (h *Handlers) handleCandidateUpdate(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	cand, err := h.Candidates.FindCandidateByID(ctx, id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	action := fmt.Sprintf("/coordinator/candidates/%d", id)
	if err := candidateFromForm(c, cand, true); err != nil {
		h.renderCandidateForm(c, cand, action, true, err)
		return
	}
	if err := h.Candidates.SaveCandidate(ctx, cand); err != nil {
		h.renderCandidateForm(c, cand, action, true, err)
		return
	}
	h.s.RedirectWithFlash(c, action, "flash.profile_saved")
}

// handleCandidateDelete handles POST /coordinator/candidates/:id/delete.
func (h *Handlers) handleCandidateDelete(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if err := h.Candidates.DeleteCandidate(c.Request.Context(), id); err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, "/coordinator/candidates", "flash.profile_deleted")
}
