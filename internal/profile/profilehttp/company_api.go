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
		thttp.APIOp{Method: "POST", Path: "/companies/:id/verify", Summary: "Verify a pending company (staff), with a note of what was checked", Tag: "companies",
			Request: thttp.Obj(map[string]any{"verification_note": map[string]any{"type": "string"}}, "verification_note"), Response: co},
	)
}

// registerCompanyAPI adds the company API under /api/v1.
func (h *Handlers) registerCompanyAPI(api *gin.RouterGroup) {
	api.GET("/companies", h.s.JSON(http.StatusOK, h.apiListCompanies))
	api.POST("/companies", h.s.JSON(http.StatusCreated, h.apiSaveCompany))
	api.GET("/companies/:id", h.s.JSON(http.StatusOK, thttp.ByID(h.Companies.FindCompanyByID)))
	api.PUT("/companies/:id", h.s.JSON(http.StatusOK, h.apiSaveCompany))
	api.GET("/companies/:id/members", h.s.JSON(http.StatusOK, h.apiCompanyMembers))
	api.POST("/companies/:id/members", h.s.Done(http.StatusNoContent, h.apiAddCompanyMember))
	api.GET("/me/companies", h.s.JSON(http.StatusOK, h.apiOwnCompanies))
	api.POST("/companies/:id/verify", h.s.JSON(http.StatusOK, h.apiVerifyCompany))
}

// apiVerifyCompany handles POST /api/v1/companies/:id/verify {"verification_note"}.
func (h *Handlers) apiVerifyCompany(c *gin.Context) (any, error) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	var in struct {
		Note string `json:"verification_note"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	return h.Companies.VerifyCompany(c.Request.Context(), id, in.Note)
}

// apiListCompanies handles GET /api/v1/companies.
func (h *Handlers) apiListCompanies(c *gin.Context) (any, error) {
	list, total, err := h.Companies.ListCompanies(c.Request.Context(), companyFilter(c))
	return thttp.ListOf(list, total), err
}

// apiSaveCompany handles POST /api/v1/companies and PUT
// /api/v1/companies/:id.
func (h *Handlers) apiSaveCompany(c *gin.Context) (any, error) {
	return saveJSON(c, func(co *tsunagu.Company) *int64 { return &co.ID }, h.Companies.SaveCompany)
}

// apiCompanyMembers handles GET /api/v1/companies/:id/members.
func (h *Handlers) apiCompanyMembers(c *gin.Context) (any, error) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	ms, err := h.Companies.CompanyMembers(c.Request.Context(), id)
	return gin.H{"items": ms}, err
}

// apiAddCompanyMember handles POST /api/v1/companies/:id/members {"user_id"}.
func (h *Handlers) apiAddCompanyMember(c *gin.Context) error {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		UserID int64 `json:"user_id"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return err
	}
	return h.Companies.AddCompanyMember(c.Request.Context(), id, in.UserID)
}

// apiOwnCompanies handles GET /api/v1/me/companies.
func (h *Handlers) apiOwnCompanies(c *gin.Context) (any, error) {
	list, err := h.Companies.OwnCompanies(c.Request.Context())
	return gin.H{"items": list}, err
}

// companyFilter reads ?q=&offset=&limit= of a company list.
func companyFilter(c *gin.Context) tsunagu.CompanyFilter {
	q, offset, limit := thttp.ListParams(c)
	return tsunagu.CompanyFilter{Query: q, Status: companyStatusParam(c), Offset: offset, Limit: limit}
}

// companyStatusParam reads ?status=: pending or verified, anything else
// meaning every company.
func companyStatusParam(c *gin.Context) tsunagu.CompanyStatus {
	switch st := tsunagu.CompanyStatus(c.Query("status")); st {
	case tsunagu.CompanyPending, tsunagu.CompanyVerified:
		return st
	}
	return ""
}

// company finds the company of the :id path parameter.
func (h *Handlers) company(c *gin.Context) (*tsunagu.Company, error) {
	return thttp.FindByID(c, h.Companies.FindCompanyByID)
}
