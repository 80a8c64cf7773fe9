package profilehttp

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (h *Handlers) registerCandidate(r *gin.Engine, api *gin.RouterGroup) {
	s := h.s
	me := r.Group("/me/profile", s.Require(tsunagu.ActCandidateArea))
	me.GET("", h.handleOwnProfile)
	me.GET("/edit", h.handleOwnProfileForm)
	me.POST("", h.handleOwnProfileSave)

	co := r.Group("/coordinator", s.Require(tsunagu.ActCoordinatorArea))
	co.GET("/candidates", s.HTML("candidate/list", h.listCandidates))
	co.GET("/candidates/new", h.handleCandidateNewForm)
	co.GET("/candidates/export/:format", h.handleCandidateExport)
	co.POST("/candidates", h.handleCandidateCreate)
	co.GET("/candidates/:id", s.HTML("candidate/view", h.showCandidate))
	co.GET("/candidates/:id/edit", h.handleCandidateEditForm)
	co.POST("/candidates/:id", h.handleCandidateUpdate)
	co.GET("/candidates/:id/delete", s.HTML("candidate/erase", h.showCandidateErase))
	co.POST("/candidates/:id/delete", h.handleCandidateDelete)
	h.registerImport(co, api)

	cp := r.Group("/company", s.Require(tsunagu.ActCompanyArea))
	cp.GET("/candidates", s.HTML("candidate/cards", h.listCards))
	cp.GET("/candidates/:id", s.HTML("candidate/card", h.showCard))
	// The full profile, once the candidate consented to an introduction
	// to the company: FindCandidateByID decides and audits the view.
	cp.GET("/candidates/:id/profile", s.HTML("candidate/view", h.showCandidate))

	h.registerCandidateAPI(api)
}

// candidateView is the data of candidate/view.
type candidateView struct {
	Candidate    *tsunagu.Candidate
	Completeness tsunagu.Completeness
	Own          bool
	Labels       map[string]string // ESCO URI → label
	Workshops    *tsunagu.LecturerHistory
	// Trail is who read or changed the profile, newest first (staff
	// pages; nil on the candidate's own).
	Trail []postgres.AuditTrailEntry
}

func occupationURIs(c *tsunagu.Candidate) []string {
	out := append([]string{}, c.DesiredOccupations...)
	for _, w := range c.WorkHistory {
		out = append(out, w.OccupationURI)
	}
	return out
}

// viewCandidate is the data of candidate/view for cand, with its
// workshops.
func (h *Handlers) viewCandidate(c *gin.Context, cand *tsunagu.Candidate, own bool) (any, error) {
	ws, err := h.workshops(c, cand.ID)
	if err != nil {
		return nil, err
	}
	v := candidateView{Candidate: cand, Completeness: cand.Completeness(), Own: own, Labels: h.labels(c, occupationURIs(cand)), Workshops: ws}
	if !own && h.DB != nil && thttp.CurrentUser(c).Role.Staff() {
		if v.Trail, err = h.DB.SearchAudit(c.Request.Context(), postgres.AuditQuery{Person: cand.ID, Limit: 50}); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// ownCandidate finds the signed-in candidate's profile; blank when they
// have none yet.
func (h *Handlers) ownCandidate(c *gin.Context, blank *tsunagu.Candidate) (*tsunagu.Candidate, error) {
	cand, err := h.Candidates.FindOwnCandidate(c.Request.Context())
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
		return blank, nil
	}
	return cand, err
}

// saveCandidateForm reads the posted form into cand and saves it; on an
// error it shows the form again (to action, staff's or the candidate's)
// with the errors next to their fields, and returns false.
func (h *Handlers) saveCandidateForm(c *gin.Context, cand *tsunagu.Candidate, action string, staff bool) bool {
	if cand.ID != 0 {
		stored := *cand // the form replaces fields, it does not write into them
		c.Set(storedKey, &stored)
	}
	err := candidateFromForm(c, cand, staff)
	if err == nil {
		err = h.Candidates.SaveCandidate(c.Request.Context(), cand)
	}
	if err != nil {
		h.renderCandidateForm(c, cand, action, staff, err)
		return false
	}
	return true
}

// handleOwnProfile handles GET /me/profile: the candidate's own profile and
// what it still lacks; without a profile yet, the form to start one.
func (h *Handlers) handleOwnProfile(c *gin.Context) {
	cand, err := h.Candidates.FindOwnCandidate(c.Request.Context())
	if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
		c.Redirect(http.StatusSeeOther, "/me/profile/edit")
		return
	}
	var view any
	if err == nil {
		view, err = h.viewCandidate(c, cand, true)
	}
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "candidate/view", view)
}

// handleOwnProfileForm handles GET /me/profile/edit.
func (h *Handlers) handleOwnProfileForm(c *gin.Context) {
	cand, err := h.ownCandidate(c, &tsunagu.Candidate{Name: thttp.CurrentUser(c).DisplayName, Visibility: tsunagu.VisibilityCoordinators, Locale: h.s.Printer(c).Lang})
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.renderCandidateForm(c, cand, "/me/profile", false, nil)
}

// handleOwnProfileSave handles POST /me/profile.
func (h *Handlers) handleOwnProfileSave(c *gin.Context) {
	cand, err := h.ownCandidate(c, &tsunagu.Candidate{})
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if h.saveCandidateForm(c, cand, "/me/profile", false) {
		h.s.RedirectWithFlash(c, "/me/profile", "flash.profile_saved")
	}
}

// listCandidates handles GET /coordinator/candidates?q=&visibility=.
func (h *Handlers) listCandidates(c *gin.Context) (any, error) {
	f := candidateFilter(c)
	list, total, err := h.Candidates.ListCandidates(c.Request.Context(), f)
	return gin.H{"Candidates": list, "Total": total, "Query": f.Query, "Visibility": f.Visibility, "Visibilities": tsunagu.Visibilities, "Offset": f.Offset, "Limit": f.Limit}, err
}

// showCandidate handles GET /coordinator/candidates/:id: the full profile
// (the service writes the audit row).
func (h *Handlers) showCandidate(c *gin.Context) (any, error) {
	cand, err := h.candidate(c)
	if err != nil {
		return nil, err
	}
	return h.viewCandidate(c, cand, false)
}

// handleCandidateNewForm handles GET /coordinator/candidates/new.
func (h *Handlers) handleCandidateNewForm(c *gin.Context) {
	h.renderCandidateForm(c, &tsunagu.Candidate{Visibility: tsunagu.VisibilityCoordinators}, "/coordinator/candidates", true, nil)
}

// handleCandidateCreate handles POST /coordinator/candidates. A new
// profile that is likely someone already stored shows the form again with
// them, to open one or to confirm (confirm_duplicate=yes) it is someone
// else.
func (h *Handlers) handleCandidateCreate(c *gin.Context) {
	cand := &tsunagu.Candidate{}
	const action = "/coordinator/candidates"
	if h.Duplicates != nil && c.PostForm("confirm_duplicate") != "yes" {
		err := candidateFromForm(c, cand, true)
		var dups []profile.Duplicate
		if err == nil {
			dups, err = h.Duplicates.FindDuplicates(c.Request.Context(), cand)
		}
		if err == nil && len(dups) > 0 {
			err = duplicateError(dups, tsunagu.EINVALID)
		}
		if err != nil {
			h.renderCandidateForm(c, cand, action, true, err, dups...)
			return
		}
		cand = &tsunagu.Candidate{}
	}
	if h.saveCandidateForm(c, cand, action, true) {
		h.s.RedirectWithFlash(c, candidatePath(cand.ID), "flash.profile_saved")
	}
}

func candidatePath(id int64) string { return fmt.Sprintf("/coordinator/candidates/%d", id) }

// handleCandidateEditForm handles GET /coordinator/candidates/:id/edit.
func (h *Handlers) handleCandidateEditForm(c *gin.Context) {
	cand, err := h.candidate(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.renderCandidateForm(c, cand, candidatePath(cand.ID), true, nil)
}

// handleCandidateUpdate handles POST /coordinator/candidates/:id.
func (h *Handlers) handleCandidateUpdate(c *gin.Context) {
	cand, err := h.candidate(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if action := candidatePath(cand.ID); h.saveCandidateForm(c, cand, action, true) {
		h.s.RedirectWithFlash(c, action, "flash.profile_saved")
	}
}

// showCandidateErase handles GET /coordinator/candidates/:id/delete: what
// an erasure removes, and the form that confirms it.
func (h *Handlers) showCandidateErase(c *gin.Context) (any, error) {
	return h.candidate(c)
}

// handleCandidateDelete handles POST /coordinator/candidates/:id/delete
// (confirm=yes): the erasure (Candidates.DeleteCandidate, the one erasure
// path). Without the confirmation it shows the page again with the error.
func (h *Handlers) handleCandidateDelete(c *gin.Context) {
	if c.PostForm("confirm") != "yes" {
		cand, err := h.candidate(c)
		if err != nil {
			h.s.Fail(c, err)
			return
		}
		var v tsunagu.Validation
		v.Add("confirm", "mydata.confirm_required", nil)
		h.s.RenderForm(c, "candidate/erase", cand, v.Err())
		return
	}
	if err := thttp.ActOnID(h.Candidates.DeleteCandidate)(c); err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, "/coordinator/candidates", "flash.profile_deleted")
}
