package profilehttp

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (h *Handlers) registerRole(r *gin.Engine, api *gin.RouterGroup) {
	s := h.s
	g := r.Group("/roles", s.SignedIn())
	g.GET("", h.handleRoleList)
	g.GET("/new", h.handleRoleNewForm)
	g.POST("", h.handleRoleCreate)
	g.GET("/:id", h.handleRoleView)
	g.GET("/:id/edit", h.handleRoleEditForm)
	g.POST("/:id", h.handleRoleUpdate)
	g.POST("/:id/delete", h.handleRoleDelete)

	api.GET("/roles", h.apiListRoles)
	api.POST("/roles", h.apiCreateRole)
	api.GET("/roles/:id", h.apiRole)
	api.PUT("/roles/:id", h.apiUpdateRole)
	api.DELETE("/roles/:id", h.apiDeleteRole)
}

// handleRoleList handles GET /roles?company_id=&status=&q=.
func (h *Handlers) handleRoleList(c *gin.Context) {
	q, offset, limit := thttp.ListParams(c)
	companyID, _ := strconv.ParseInt(c.Query("company_id"), 10, 64)
	list, total, err := h.Roles.ListRoles(c.Request.Context(), tsunagu.RoleFilter{CompanyID: companyID, Status: c.Query("status"), Query: q, Offset: offset, Limit: limit})
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	u := thttp.CurrentUser(c)
	canPost := u.Role.Staff() || u.Role == tsunagu.RoleCompany
	h.s.Render(c, http.StatusOK, "role/list", gin.H{"Roles": list, "Total": total, "Query": q, "CanPost": canPost})
}

// handleRoleView handles GET /roles/:id.
func (h *Handlers) handleRoleView(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	r, err := h.Roles.FindRoleByID(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	u := thttp.CurrentUser(c)
	canEdit := u.Role.Staff()
	if !canEdit && u.Role == tsunagu.RoleCompany {
		own, _ := h.Companies.OwnCompanies(c.Request.Context())
		for _, co := range own {
			canEdit = canEdit || co.ID == r.CompanyID
		}
	}
	h.s.Render(c, http.StatusOK, "role/view", gin.H{"Role": r, "CanEdit": canEdit, "Labels": h.labels(c, []string{r.OccupationURI}), "Prefecture": prefectureOf(r.Location.Prefecture)})
}

func prefectureOf(name string) *tsunagu.Prefecture {
	p, _ := tsunagu.FindPrefecture(name)
	return p
}

// handleRoleNewForm handles GET /roles/new?company_id=.
func (h *Handlers) handleRoleNewForm(c *gin.Context) {
	id, _ := strconv.ParseInt(c.Query("company_id"), 10, 64)
	if id == 0 {
		if own, _ := h.Companies.OwnCompanies(c.Request.Context()); len(own) > 0 {
			id = own[0].ID
		}
	}
	h.renderRoleForm(c, &tsunagu.JobRole{CompanyID: id, Status: tsunagu.RoleDraft, Workplace: tsunagu.WorkplaceOnsite, EmploymentType: "full_time", Openings: 1}, "/roles", nil)
}

// handleRoleCreate handles POST /roles.
func (h *Handlers) handleRoleCreate(c *gin.Context) {
	r := &tsunagu.JobRole{}
	if err := roleFromForm(c, r); err != nil {
		h.renderRoleForm(c, r, "/roles", err)
		return
	}
	if r.CompanyID == 0 { // a member of one company need not pick it
		if own, _ := h.Companies.OwnCompanies(c.Request.Context()); len(own) == 1 {
			r.CompanyID = own[0].ID
		}
	}
	if err := h.Roles.SaveRole(c.Request.Context(), r); err != nil {
		h.renderRoleForm(c, r, "/roles", err)
		return
	}
	h.s.RedirectWithFlash(c, fmt.Sprintf("/roles/%d", r.ID), "flash.role_saved")
}

// handleRoleEditForm handles GET /roles/:id/edit.
func (h *Handlers) handleRoleEditForm(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	r, err := h.Roles.FindRoleByID(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.renderRoleForm(c, r, fmt.Sprintf("/roles/%d", id), nil)
}

// handleRoleUpdate handles POST /roles/:id.
func (h *Handlers) handleRoleUpdate(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	r, err := h.Roles.FindRoleByID(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	action := fmt.Sprintf("/roles/%d", id)
	if err := roleFromForm(c, r); err != nil {
		h.renderRoleForm(c, r, action, err)
		return
	}
	if err := h.Roles.SaveRole(c.Request.Context(), r); err != nil {
		h.renderRoleForm(c, r, action, err)
		return
	}
	h.s.RedirectWithFlash(c, action, "flash.role_saved")
}

// handleRoleDelete handles POST /roles/:id/delete.
func (h *Handlers) handleRoleDelete(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if err := h.Roles.DeleteRole(c.Request.Context(), id); err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, "/roles", "flash.role_deleted")
}
