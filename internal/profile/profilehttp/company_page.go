package profilehttp

import (
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (h *Handlers) registerCompany(r *gin.Engine, api *gin.RouterGroup) {
	s := h.s
	co := r.Group("/coordinator/companies", s.Require(tsunagu.ActCoordinatorArea))
	co.GET("", s.HTML("company/list", h.listCompanies))
	co.GET("/new", h.handleCompanyNewForm)
	co.POST("", h.handleCompanyCreate)
	r.GET("/companies/:id", s.SignedIn(), s.HTML("company/view", h.showCompany))
	r.GET("/companies/:id/edit", s.SignedIn(), h.handleCompanyEditForm)
	r.POST("/companies/:id", s.SignedIn(), h.handleCompanyUpdate)
	r.POST("/companies/:id/members", s.Require(tsunagu.ActCoordinatorArea), h.handleCompanyAddMember)
	r.POST("/companies/:id/members/:user/remove", s.SignedIn(), h.handleCompanyRemoveMember)
	r.POST("/companies/:id/verify", s.Require(tsunagu.ActCoordinatorArea), h.handleCompanyVerify)
	h.registerCompanyAPI(api)
}

// pendingCompanies is the company home page's widget: the caller's
// companies still awaiting the programme's check, so the page says what
// happens next instead of failing.
func (h *Handlers) pendingCompanies(c *gin.Context) (string, any, error) {
	own, err := h.Companies.OwnCompanies(c.Request.Context())
	if err != nil {
		return "", nil, err
	}
	var pending []*tsunagu.Company
	for _, co := range own {
		if co.Status == tsunagu.CompanyPending {
			pending = append(pending, co)
		}
	}
	if len(pending) == 0 {
		return "", nil, nil
	}
	return "pending_companies", pending, nil
}

// handleCompanyVerify handles POST /companies/:id/verify (staff): the
// company is verified, with a note of what was checked.
func (h *Handlers) handleCompanyVerify(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if _, err := h.Companies.VerifyCompany(c.Request.Context(), id, c.PostForm("verification_note")); err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.EINVALID {
			h.s.RedirectWithFlash(c, companyPath(id), "error.verification_note_required")
			return
		}
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, companyPath(id), "company.verify.done")
}

func companyPath(id int64) string { return fmt.Sprintf("/companies/%d", id) }

// listCompanies handles GET /coordinator/companies?q=.
func (h *Handlers) listCompanies(c *gin.Context) (any, error) {
	f := companyFilter(c)
	list, total, err := h.Companies.ListCompanies(c.Request.Context(), f)
	return gin.H{"Companies": list, "Total": total, "Query": f.Query, "Pending": f.Status == tsunagu.CompanyPending}, err
}

// handleCompanyNewForm handles GET /coordinator/companies/new.
func (h *Handlers) handleCompanyNewForm(c *gin.Context) {
	h.renderCompanyForm(c, &tsunagu.Company{}, "/coordinator/companies", nil)
}

// saveCompanyForm reads the posted form into co and saves it; on an error
// it shows the form again (to action) and returns false.
func (h *Handlers) saveCompanyForm(c *gin.Context, co *tsunagu.Company, action string) bool {
	err := thttp.BindForm(c, co)
	if err == nil {
		err = h.Companies.SaveCompany(c.Request.Context(), co)
	}
	if err != nil {
		h.renderCompanyForm(c, co, action, err)
		return false
	}
	return true
}

// handleCompanyCreate handles POST /coordinator/companies.
func (h *Handlers) handleCompanyCreate(c *gin.Context) {
	co := &tsunagu.Company{}
	if h.saveCompanyForm(c, co, "/coordinator/companies") {
		h.s.RedirectWithFlash(c, companyPath(co.ID), "flash.company_saved")
	}
}

// showCompany handles GET /companies/:id: the company, its members (to
// staff and members) and its roles.
func (h *Handlers) showCompany(c *gin.Context) (any, error) {
	co, err := h.company(c)
	if err != nil {
		return nil, err
	}
	ctx := c.Request.Context()
	members, err := h.Companies.CompanyMembers(ctx, co.ID)
	canEdit := err == nil
	if err != nil && tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		return nil, err
	}
	roles, _, err := h.Roles.ListRoles(ctx, tsunagu.RoleFilter{CompanyID: co.ID, Limit: 200})
	staff := thttp.CurrentUser(c).Role.Staff()
	verifier := ""
	if staff && co.VerifiedBy != nil {
		if v, err := h.DB.UserByID(ctx, *co.VerifiedBy); err == nil {
			verifier = v.DisplayName
		}
	}
	if err != nil {
		return nil, err
	}
	manage, err := h.Companies.ManagesMembers(ctx, co.ID)
	return gin.H{"Company": co, "Members": members, "CanEdit": canEdit, "Staff": staff, "Roles": roles,
		"Verifier": verifier, "ManageMembers": manage}, err
}

// handleCompanyRemoveMember handles POST /companies/:id/members/:user/remove
// (staff or the company's admins): the member's access ends at once.
func (h *Handlers) handleCompanyRemoveMember(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	userID, err := thttp.IDParam(c, "user")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if err := h.Companies.RemoveCompanyMember(c.Request.Context(), id, userID); err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, companyPath(id), "flash.member_removed")
}

// handleCompanyEditForm handles GET /companies/:id/edit.
func (h *Handlers) handleCompanyEditForm(c *gin.Context) {
	co, err := h.company(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.renderCompanyForm(c, co, companyPath(co.ID), nil)
}

// handleCompanyUpdate handles POST /companies/:id.
func (h *Handlers) handleCompanyUpdate(c *gin.Context) {
	co, err := h.company(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if action := companyPath(co.ID); h.saveCompanyForm(c, co, action) {
		h.s.RedirectWithFlash(c, action, "flash.company_saved")
	}
}

// handleCompanyAddMember handles POST /companies/:id/members (email of a
// company account).
func (h *Handlers) handleCompanyAddMember(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	u, err := h.DB.UserByEmail(ctx, strings.TrimSpace(c.PostForm("email")))
	if err == nil {
		err = h.Companies.AddCompanyMember(ctx, id, u.ID)
	}
	msg := "flash.member_added"
	if err != nil {
		msg = "flash.member_not_added"
	}
	h.s.RedirectWithFlash(c, companyPath(id), msg)
}
