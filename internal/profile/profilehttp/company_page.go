package profilehttp

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (h *Handlers) registerCompany(r *gin.Engine, api *gin.RouterGroup) {
	s := h.s
	co := r.Group("/coordinator/companies", s.Require(tsunagu.ActCoordinatorArea))
	co.GET("", h.handleCompanyList)
	co.GET("/new", h.handleCompanyNewForm)
	co.POST("", h.handleCompanyCreate)
	r.GET("/companies/:id", s.SignedIn(), h.handleCompanyView)
	r.GET("/companies/:id/edit", s.SignedIn(), h.handleCompanyEditForm)
	r.POST("/companies/:id", s.SignedIn(), h.handleCompanyUpdate)
	r.POST("/companies/:id/members", s.Require(tsunagu.ActCoordinatorArea), h.handleCompanyAddMember)

	api.GET("/companies", h.apiListCompanies)
	api.POST("/companies", h.apiCreateCompany)
	api.GET("/companies/:id", h.apiCompany)
	api.PUT("/companies/:id", h.apiUpdateCompany)
	api.GET("/companies/:id/members", h.apiCompanyMembers)
	api.POST("/companies/:id/members", h.apiAddCompanyMember)
	api.GET("/me/companies", h.apiOwnCompanies)
}

// handleCompanyList handles GET /coordinator/companies?q=.
func (h *Handlers) handleCompanyList(c *gin.Context) {
	q, offset, limit := thttp.ListParams(c)
	list, total, err := h.Companies.ListCompanies(c.Request.Context(), tsunagu.CompanyFilter{Query: q, Offset: offset, Limit: limit})
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.Render(c, http.StatusOK, "company/list", gin.H{"Companies": list, "Total": total, "Query": q})
}

// handleCompanyNewForm handles GET /coordinator/companies/new.
func (h *Handlers) handleCompanyNewForm(c *gin.Context) {
	h.renderCompanyForm(c, &tsunagu.Company{}, "/coordinator/companies", nil)
}

// handleCompanyCreate handles POST /coordinator/companies.
func (h *Handlers) handleCompanyCreate(c *gin.Context) {
	co := &tsunagu.Company{}
	companyFromForm(c, co)
	if err := h.Companies.SaveCompany(c.Request.Context(), co); err != nil {
		h.renderCompanyForm(c, co, "/coordinator/companies", err)
		return
	}
	h.s.RedirectWithFlash(c, fmt.Sprintf("/companies/%d", co.ID), "flash.company_saved")
}

// handleCompanyView handles GET /companies/:id: the company, its members
// (to staff and members) and its roles.
func (h *Handlers) handleCompanyView(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	co, err := h.Companies.FindCompanyByID(ctx, id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	members, err := h.Companies.CompanyMembers(ctx, id)
	canEdit := err == nil
	if err != nil && tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		h.s.Fail(c, err)
		return
	}
	roles, _, err := h.Roles.ListRoles(ctx, tsunagu.RoleFilter{CompanyID: id, Limit: 200})
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	staff := thttp.CurrentUser(c).Role.Staff()
	h.s.Render(c, http.StatusOK, "company/view", gin.H{"Company": co, "Members": members, "CanEdit": canEdit, "Staff": staff, "Roles": roles})
}

// handleCompanyEditForm handles GET /companies/:id/edit.
func (h *Handlers) handleCompanyEditForm(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	co, err := h.Companies.FindCompanyByID(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.renderCompanyForm(c, co, fmt.Sprintf("/companies/%d", id), nil)
}

// handleCompanyUpdate handles POST /companies/:id.
func (h *Handlers) handleCompanyUpdate(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	co, err := h.Companies.FindCompanyByID(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	companyFromForm(c, co)
	action := fmt.Sprintf("/companies/%d", id)
	if err := h.Companies.SaveCompany(c.Request.Context(), co); err != nil {
		h.renderCompanyForm(c, co, action, err)
		return
	}
	h.s.RedirectWithFlash(c, action, "flash.company_saved")
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
	if err != nil {
		h.s.RedirectWithFlash(c, fmt.Sprintf("/companies/%d", id), "flash.member_not_added")
		return
	}
	h.s.RedirectWithFlash(c, fmt.Sprintf("/companies/%d", id), "flash.member_added")
}
