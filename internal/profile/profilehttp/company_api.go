package profilehttp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func init() {
	co := map[string]any{"type": "object", "description": "A company (see tsunagu.Company)"}
	thttp.DocumentAPI(
		thttp.APIOp{Method: "GET", Path: "/companies", Summary: "Companies (staff); ?q=&offset=&limit=", Tag: "companies"},
		thttp.APIOp{Method: "POST", Path: "/companies", Summary: "Create a company (staff)", Tag: "companies", Request: co, Response: co, Status: 201},
		thttp.APIOp{Method: "GET", Path: "/companies/:id", Summary: "A company (contact details for staff and members)", Tag: "companies", Response: co},
		thttp.APIOp{Method: "PUT", Path: "/companies/:id", Summary: "Update a company (staff or members)", Tag: "companies", Request: co, Response: co},
		thttp.APIOp{Method: "GET", Path: "/companies/:id/members", Summary: "A company's members (staff or members)", Tag: "companies"},
		thttp.APIOp{Method: "POST", Path: "/companies/:id/members", Summary: "Add a company user as member (staff)", Tag: "companies",
			Request: thttp.Obj(map[string]any{"user_id": map[string]any{"type": "integer"}}, "user_id"), Status: 204},
		thttp.APIOp{Method: "GET", Path: "/me/companies", Summary: "The companies the signed-in user belongs to", Tag: "companies"},
	)
}

// apiListCompanies handles GET /api/v1/companies.
func (h *Handlers) apiListCompanies(c *gin.Context) {
	q, offset, limit := thttp.ListParams(c)
	list, total, err := h.Companies.ListCompanies(c.Request.Context(), tsunagu.CompanyFilter{Query: q, Offset: offset, Limit: limit})
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": list, "total": total})
}

// apiCreateCompany handles POST /api/v1/companies.
func (h *Handlers) apiCreateCompany(c *gin.Context) {
	var in tsunagu.Company
	if !h.s.BindJSON(c, &in) {
		return
	}
	in.ID = 0
	if err := h.Companies.SaveCompany(c.Request.Context(), &in); err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, in)
}

// apiCompany handles GET /api/v1/companies/:id.
func (h *Handlers) apiCompany(c *gin.Context) {
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
	c.JSON(http.StatusOK, co)
}

// apiUpdateCompany handles PUT /api/v1/companies/:id.
func (h *Handlers) apiUpdateCompany(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	var in tsunagu.Company
	if !h.s.BindJSON(c, &in) {
		return
	}
	in.ID = id
	if err := h.Companies.SaveCompany(c.Request.Context(), &in); err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, in)
}

// apiCompanyMembers handles GET /api/v1/companies/:id/members.
func (h *Handlers) apiCompanyMembers(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	ms, err := h.Companies.CompanyMembers(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": ms})
}

// apiAddCompanyMember handles POST /api/v1/companies/:id/members {"user_id"}.
func (h *Handlers) apiAddCompanyMember(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	var in struct {
		UserID int64 `json:"user_id"`
	}
	if !h.s.BindJSON(c, &in) {
		return
	}
	if err := h.Companies.AddCompanyMember(c.Request.Context(), id, in.UserID); err != nil {
		h.s.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// apiOwnCompanies handles GET /api/v1/me/companies.
func (h *Handlers) apiOwnCompanies(c *gin.Context) {
	list, err := h.Companies.OwnCompanies(c.Request.Context())
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": list})
}
