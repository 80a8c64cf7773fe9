package profilehttp

import (
	"fmt"
	"strconv"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (h *Handlers) registerRole(r *gin.Engine, api *gin.RouterGroup) {
	s := h.s
	g := r.Group("/roles", s.SignedIn())
	g.GET("", s.HTML("role/list", h.listRoles))
	g.GET("/new", h.handleRoleNewForm)
	g.POST("", h.handleRoleCreate)
	g.GET("/:id", s.HTML("role/view", h.showRole))
	g.GET("/:id/edit", h.handleRoleEditForm)
	g.POST("/:id", h.handleRoleUpdate)
	g.POST("/:id/delete", h.handleRoleDelete)
	h.registerRoleAPI(api)
}

func rolePath(id int64) string { return fmt.Sprintf("/roles/%d", id) }

// listRoles handles GET /roles?company_id=&status=&q=.
func (h *Handlers) listRoles(c *gin.Context) (any, error) {
	f := roleFilter(c)
	list, total, err := h.Roles.ListRoles(c.Request.Context(), f)
	u := thttp.CurrentUser(c)
	canPost := u.Role.Staff() || u.Role == tsunagu.RoleCompany
	return gin.H{"Roles": list, "Total": total, "Query": f.Query, "CanPost": canPost}, err
}

// showRole handles GET /roles/:id.
func (h *Handlers) showRole(c *gin.Context) (any, error) {
	r, err := h.role(c)
	if err != nil {
		return nil, err
	}
	u := thttp.CurrentUser(c)
	canEdit := u.Role.Staff()
	if !canEdit && u.Role == tsunagu.RoleCompany {
		own, _ := h.Companies.OwnCompanies(c.Request.Context())
		for _, co := range own {
			canEdit = canEdit || co.ID == r.CompanyID
		}
	}
	uris := []string{r.OccupationURI}
	for _, g := range r.OccupationGuesses {
		uris = append(uris, g.URI)
	}
	return gin.H{"Role": r, "CanEdit": canEdit, "Labels": h.labels(c, uris), "Prefecture": prefectureOf(r.Location.Prefecture)}, nil
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

// saveRoleForm reads the posted form into r and saves it; on an error it
// shows the form again (to action) and returns false. A new role of a
// member of one company need not pick it.
func (h *Handlers) saveRoleForm(c *gin.Context, r *tsunagu.JobRole, action string) bool {
	err := roleFromForm(c, r)
	if err == nil {
		err = h.linkSkills(c, r)
	}
	if err == nil {
		if r.CompanyID == 0 {
			if own, _ := h.Companies.OwnCompanies(c.Request.Context()); len(own) == 1 {
				r.CompanyID = own[0].ID
			}
		}
		err = h.Roles.SaveRole(c.Request.Context(), r)
	}
	if err != nil {
		h.renderRoleForm(c, r, action, err)
		return false
	}
	return true
}

// handleRoleCreate handles POST /roles.
func (h *Handlers) handleRoleCreate(c *gin.Context) {
	r := &tsunagu.JobRole{}
	if h.saveRoleForm(c, r, "/roles") {
		h.s.RedirectWithFlash(c, rolePath(r.ID), "flash.role_saved")
	}
}

// handleRoleEditForm handles GET /roles/:id/edit.
func (h *Handlers) handleRoleEditForm(c *gin.Context) {
	r, err := h.role(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.renderRoleForm(c, r, rolePath(r.ID), nil)
}

// handleRoleUpdate handles POST /roles/:id.
func (h *Handlers) handleRoleUpdate(c *gin.Context) {
	r, err := h.role(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if action := rolePath(r.ID); h.saveRoleForm(c, r, action) {
		h.s.RedirectWithFlash(c, action, "flash.role_saved")
	}
}

// handleRoleDelete handles POST /roles/:id/delete.
func (h *Handlers) handleRoleDelete(c *gin.Context) {
	if err := thttp.ActOnID(h.Roles.DeleteRole)(c); err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, "/roles", "flash.role_deleted")
}
