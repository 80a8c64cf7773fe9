package profilehttp

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func init() {
	role := tsunagu.JobRole{}
	thttp.DocumentAPI(
		thttp.APIOp{Method: "GET", Path: "/roles", ID: "listRoles", Summary: "Roles the caller may see", Tag: "roles",
			Query: []string{"company_id:integer", "status", "q", "offset:integer", "limit:integer"}, Response: thttp.List[*tsunagu.JobRole]{}},
		thttp.APIOp{Method: "POST", Path: "/roles", ID: "createRole", Summary: "Create a role (staff or the company's members)", Tag: "roles", Request: role, Response: role, Status: 201, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/roles/:id", ID: "getRole", Summary: "A role", Tag: "roles", Response: role},
		thttp.APIOp{Method: "PUT", Path: "/roles/:id", ID: "updateRole", Summary: "Update a role", Tag: "roles", Request: role, Response: role, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "DELETE", Path: "/roles/:id", ID: "deleteRole", Summary: "Delete a role", Tag: "roles", Status: 204},
	)
}

// registerRoleAPI adds the role API under /api/v1.
func (h *Handlers) registerRoleAPI(api *gin.RouterGroup) {
	api.GET("/roles", h.s.JSON(http.StatusOK, h.apiListRoles))
	api.POST("/roles", h.s.JSON(http.StatusCreated, h.apiSaveRole))
	api.GET("/roles/:id", h.s.JSON(http.StatusOK, thttp.VersionedByID(h.Roles.FindRoleByID, func(r *tsunagu.JobRole) int64 { return r.Version })))
	api.PUT("/roles/:id", h.s.JSON(http.StatusOK, h.apiSaveRole))
	api.DELETE("/roles/:id", h.s.Done(http.StatusNoContent, thttp.ActOnID(h.Roles.DeleteRole)))
}

// apiListRoles handles GET /api/v1/roles.
func (h *Handlers) apiListRoles(c *gin.Context) (any, error) {
	list, total, err := h.Roles.ListRoles(c.Request.Context(), roleFilter(c))
	return thttp.ListOf(list, total), err
}

// apiSaveRole handles POST /api/v1/roles and PUT /api/v1/roles/:id.
func (h *Handlers) apiSaveRole(c *gin.Context) (any, error) {
	return saveJSON(c, func(r *tsunagu.JobRole) (*int64, *int64) { return &r.ID, &r.Version }, h.Roles.SaveRole)
}

// roleFilter reads ?company_id=&status=&q=&offset=&limit= of a role list.
func roleFilter(c *gin.Context) tsunagu.RoleFilter {
	q, offset, limit := thttp.ListParams(c)
	companyID, _ := strconv.ParseInt(c.Query("company_id"), 10, 64)
	return tsunagu.RoleFilter{CompanyID: companyID, Status: c.Query("status"), Query: q, Offset: offset, Limit: limit}
}

// role finds the role of the :id path parameter.
func (h *Handlers) role(c *gin.Context) (*tsunagu.JobRole, error) {
	return thttp.FindByID(c, h.Roles.FindRoleByID)
}
