package http

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func init() {
	co := map[string]any{"type": "object", "description": "A company (see tsunagu.Company)"}
	DocumentAPI(
		APIOp{Method: "GET", Path: "/companies", Summary: "Companies (staff); ?q=&offset=&limit=", Tag: "companies"},
		APIOp{Method: "POST", Path: "/companies", Summary: "Create a company (staff)", Tag: "companies", Request: co, Response: co, Status: 201},
		APIOp{Method: "GET", Path: "/companies/:id", Summary: "A company (contact details for staff and members)", Tag: "companies", Response: co},
		APIOp{Method: "PUT", Path: "/companies/:id", Summary: "Update a company (staff or members)", Tag: "companies", Request: co, Response: co},
		APIOp{Method: "GET", Path: "/companies/:id/members", Summary: "A company's members (staff or members)", Tag: "companies"},
		APIOp{Method: "POST", Path: "/companies/:id/members", Summary: "Add a company user as member (staff)", Tag: "companies",
			Request: Obj(map[string]any{"user_id": map[string]any{"type": "integer"}}, "user_id"), Status: 204},
		APIOp{Method: "GET", Path: "/me/companies", Summary: "The companies the signed-in user belongs to", Tag: "companies"},
	)
}

func (h *profileHandlers) registerCompany(r *gin.Engine, api *gin.RouterGroup) {
	s := h.s
	co := r.Group("/coordinator/companies", s.require(tsunagu.ActCoordinatorArea))
	co.GET("", h.handleCompanyList)
	co.GET("/new", h.handleCompanyNewForm)
	co.POST("", h.handleCompanyCreate)
	r.GET("/companies/:id", s.signedIn(), h.handleCompanyView)
	r.GET("/companies/:id/edit", s.signedIn(), h.handleCompanyEditForm)
	r.POST("/companies/:id", s.signedIn(), h.handleCompanyUpdate)
	r.POST("/companies/:id/members", s.require(tsunagu.ActCoordinatorArea), h.handleCompanyAddMember)

	api.GET("/companies", h.apiListCompanies)
	api.POST("/companies", h.apiCreateCompany)
	api.GET("/companies/:id", h.apiCompany)
	api.PUT("/companies/:id", h.apiUpdateCompany)
	api.GET("/companies/:id/members", h.apiCompanyMembers)
	api.POST("/companies/:id/members", h.apiAddCompanyMember)
	api.GET("/me/companies", h.apiOwnCompanies)
}

func companyFromForm(c *gin.Context, co *tsunagu.Company) {
	get := func(k string) string { return strings.TrimSpace(c.PostForm(k)) }
	co.Name, co.Industry, co.Size, co.Prefecture = get("name"), get("industry"), get("size"), get("prefecture")
	co.ContactName, co.ContactEmail, co.ContactPhone = get("contact_name"), get("contact_email"), get("contact_phone")
}

func companyToForm(co *tsunagu.Company) map[string]string {
	return map[string]string{
		"name": co.Name, "industry": co.Industry, "size": co.Size, "prefecture": co.Prefecture,
		"contact_name": co.ContactName, "contact_email": co.ContactEmail, "contact_phone": co.ContactPhone,
	}
}

func (h *profileHandlers) renderCompanyForm(c *gin.Context, co *tsunagu.Company, action string, err error) {
	data := gin.H{"Action": action, "ID": co.ID, "Vocab": vocab()}
	if err != nil {
		h.s.renderForm(c, "company/edit", data, err)
		return
	}
	pg := h.s.page(c, data)
	pg.Form = companyToForm(co)
	h.s.renderPage(c, http.StatusOK, "company/edit", pg)
}

// handleCompanyList handles GET /coordinator/companies?q=.
func (h *profileHandlers) handleCompanyList(c *gin.Context) {
	q, offset, limit := listParams(c)
	list, total, err := h.p.Companies.ListCompanies(c.Request.Context(), tsunagu.CompanyFilter{Query: q, Offset: offset, Limit: limit})
	if err != nil {
		h.s.fail(c, err)
		return
	}
	h.s.render(c, http.StatusOK, "company/list", gin.H{"Companies": list, "Total": total, "Query": q})
}

// handleCompanyNewForm handles GET /coordinator/companies/new.
func (h *profileHandlers) handleCompanyNewForm(c *gin.Context) {
	h.renderCompanyForm(c, &tsunagu.Company{}, "/coordinator/companies", nil)
}

// handleCompanyCreate handles POST /coordinator/companies.
func (h *profileHandlers) handleCompanyCreate(c *gin.Context) {
	co := &tsunagu.Company{}
	companyFromForm(c, co)
	if err := h.p.Companies.SaveCompany(c.Request.Context(), co); err != nil {
		h.renderCompanyForm(c, co, "/coordinator/companies", err)
		return
	}
	h.s.redirectWithFlash(c, fmt.Sprintf("/companies/%d", co.ID), "flash.company_saved")
}

// handleCompanyView handles GET /companies/:id: the company, its members
// (to staff and members) and its roles.
func (h *profileHandlers) handleCompanyView(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	co, err := h.p.Companies.FindCompanyByID(ctx, id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	members, err := h.p.Companies.CompanyMembers(ctx, id)
	canEdit := err == nil
	if err != nil && tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		h.s.fail(c, err)
		return
	}
	roles, _, err := h.p.Roles.ListRoles(ctx, tsunagu.RoleFilter{CompanyID: id, Limit: 200})
	if err != nil {
		h.s.fail(c, err)
		return
	}
	staff := currentUser(c).Role.Staff()
	h.s.render(c, http.StatusOK, "company/view", gin.H{"Company": co, "Members": members, "CanEdit": canEdit, "Staff": staff, "Roles": roles})
}

// handleCompanyEditForm handles GET /companies/:id/edit.
func (h *profileHandlers) handleCompanyEditForm(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	co, err := h.p.Companies.FindCompanyByID(c.Request.Context(), id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	h.renderCompanyForm(c, co, fmt.Sprintf("/companies/%d", id), nil)
}

// handleCompanyUpdate handles POST /companies/:id.
func (h *profileHandlers) handleCompanyUpdate(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	co, err := h.p.Companies.FindCompanyByID(c.Request.Context(), id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	companyFromForm(c, co)
	action := fmt.Sprintf("/companies/%d", id)
	if err := h.p.Companies.SaveCompany(c.Request.Context(), co); err != nil {
		h.renderCompanyForm(c, co, action, err)
		return
	}
	h.s.redirectWithFlash(c, action, "flash.company_saved")
}

// handleCompanyAddMember handles POST /companies/:id/members (email of a
// company account).
func (h *profileHandlers) handleCompanyAddMember(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	u, err := h.s.DB.UserByEmail(ctx, strings.TrimSpace(c.PostForm("email")))
	if err == nil {
		err = h.p.Companies.AddCompanyMember(ctx, id, u.ID)
	}
	if err != nil {
		h.s.redirectWithFlash(c, fmt.Sprintf("/companies/%d", id), "flash.member_not_added")
		return
	}
	h.s.redirectWithFlash(c, fmt.Sprintf("/companies/%d", id), "flash.member_added")
}

// apiListCompanies handles GET /api/v1/companies.
func (h *profileHandlers) apiListCompanies(c *gin.Context) {
	q, offset, limit := listParams(c)
	list, total, err := h.p.Companies.ListCompanies(c.Request.Context(), tsunagu.CompanyFilter{Query: q, Offset: offset, Limit: limit})
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": list, "total": total})
}

// apiCreateCompany handles POST /api/v1/companies.
func (h *profileHandlers) apiCreateCompany(c *gin.Context) {
	var in tsunagu.Company
	if err := bindJSON(c, &in); err != nil {
		h.s.fail(c, err)
		return
	}
	in.ID = 0
	if err := h.p.Companies.SaveCompany(c.Request.Context(), &in); err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, in)
}

// apiCompany handles GET /api/v1/companies/:id.
func (h *profileHandlers) apiCompany(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	co, err := h.p.Companies.FindCompanyByID(c.Request.Context(), id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, co)
}

// apiUpdateCompany handles PUT /api/v1/companies/:id.
func (h *profileHandlers) apiUpdateCompany(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	var in tsunagu.Company
	if err := bindJSON(c, &in); err != nil {
		h.s.fail(c, err)
		return
	}
	in.ID = id
	if err := h.p.Companies.SaveCompany(c.Request.Context(), &in); err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, in)
}

// apiCompanyMembers handles GET /api/v1/companies/:id/members.
func (h *profileHandlers) apiCompanyMembers(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	ms, err := h.p.Companies.CompanyMembers(c.Request.Context(), id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": ms})
}

// apiAddCompanyMember handles POST /api/v1/companies/:id/members {"user_id"}.
func (h *profileHandlers) apiAddCompanyMember(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	var in struct {
		UserID int64 `json:"user_id"`
	}
	if err := bindJSON(c, &in); err != nil {
		h.s.fail(c, err)
		return
	}
	if err := h.p.Companies.AddCompanyMember(c.Request.Context(), id, in.UserID); err != nil {
		h.s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// apiOwnCompanies handles GET /api/v1/me/companies.
func (h *profileHandlers) apiOwnCompanies(c *gin.Context) {
	list, err := h.p.Companies.OwnCompanies(c.Request.Context())
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": list})
}
