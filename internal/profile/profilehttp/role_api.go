package profilehttp

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func init() {
	role := map[string]any{"type": "object", "description": "A role (see tsunagu.JobRole)"}
	thttp.DocumentAPI(
		thttp.APIOp{Method: "GET", Path: "/roles", Summary: "Roles the caller may see; ?company_id=&status=&q=&offset=&limit=", Tag: "roles"},
		thttp.APIOp{Method: "POST", Path: "/roles", Summary: "Create a role (staff or the company's members)", Tag: "roles", Request: role, Response: role, Status: 201},
		thttp.APIOp{Method: "GET", Path: "/roles/:id", Summary: "A role", Tag: "roles", Response: role},
		thttp.APIOp{Method: "PUT", Path: "/roles/:id", Summary: "Update a role", Tag: "roles", Request: role, Response: role},
		thttp.APIOp{Method: "DELETE", Path: "/roles/:id", Summary: "Delete a role", Tag: "roles", Status: 204},
	)
}

// apiListRoles handles GET /api/v1/roles.
func (h *Handlers) apiListRoles(c *gin.Context) {
	q, offset, limit := thttp.ListParams(c)
	companyID, _ := strconv.ParseInt(c.Query("company_id"), 10, 64)
	list, total, err := h.Roles.ListRoles(c.Request.Context(), tsunagu.RoleFilter{CompanyID: companyID, Status: c.Query("status"), Query: q, Offset: offset, Limit: limit})
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": list, "total": total})
}

// apiCreateRole handles POST /api/v1/roles.
func (h *Handlers) apiCreateRole(c *gin.Context) {
	var in tsunagu.JobRole
	if !h.s.BindJSON(c, &in) {
		return
	}
	in.ID = 0
	if err := h.Roles.SaveRole(c.Request.Context(), &in); err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, in)
}

// apiRole handles GET /api/v1/roles/:id.
func (h *Handlers) apiRole(c *gin.Context) {
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
	c.JSON(http.StatusOK, r)
}

// apiUpdateRole handles PUT /api/v1/roles/:id.
func (h *Handlers) apiUpdateRole(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	var in tsunagu.JobRole
	if !h.s.BindJSON(c, &in) {
		return
	}
	in.ID = id
	if err := h.Roles.SaveRole(c.Request.Context(), &in); err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, in)
}

// apiDeleteRole handles DELETE /api/v1/roles/:id.
func (h *Handlers) apiDeleteRole(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if err := h.Roles.DeleteRole(c.Request.Context(), id); err != nil {
		h.s.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
