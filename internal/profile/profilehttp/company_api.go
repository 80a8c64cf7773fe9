package profilehttp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func init() {
	type memberIn struct {
		UserID int64 `json:"user_id" validate:"required"`
	}
	type verifyIn struct {
		VerificationNote string `json:"verification_note" validate:"required"`
	}
	co := tsunagu.Company{}
	thttp.DocumentAPI(
		thttp.APIOp{Method: "GET", Path: "/companies", ID: "listCompanies", Summary: "Companies (staff); status is pending or verified", Tag: "companies",
			Query: []string{"q", "status", "offset:integer", "limit:integer"}, Response: thttp.List[*tsunagu.Company]{}},
		thttp.APIOp{Method: "POST", Path: "/companies", ID: "createCompany", Summary: "Create a company (staff)", Tag: "companies", Request: co, Response: co, Status: 201, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/companies/:id", ID: "getCompany", Summary: "A company (contact details for staff and members)", Tag: "companies", Response: co},
		thttp.APIOp{Method: "PUT", Path: "/companies/:id", ID: "updateCompany", Summary: "Update a company (staff or members)", Tag: "companies", Request: co, Response: co, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/companies/:id/members", ID: "listCompanyMembers", Summary: "A company's members (staff or members)", Tag: "companies", Response: thttp.Items[*tsunagu.User]{}},
		thttp.APIOp{Method: "POST", Path: "/companies/:id/members", ID: "addCompanyMember", Summary: "Add a company user as member (staff)", Tag: "companies",
			Request: memberIn{}, Status: 204, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/me/companies", ID: "listMyCompanies", Summary: "The companies the signed-in user belongs to", Tag: "companies", Response: thttp.Items[*tsunagu.Company]{}},
		thttp.APIOp{Method: "POST", Path: "/companies/:id/verify", ID: "verifyCompany", Summary: "Verify a pending company (staff), with a note of what was checked", Tag: "companies",
			Request: verifyIn{}, Response: co, Errors: []int{http.StatusConflict}},
	)
}

// registerCompanyAPI adds the company API under /api/v1.
func (h *Handlers) registerCompanyAPI(api *gin.RouterGroup) {
	api.GET("/companies", h.s.JSON(http.StatusOK, h.apiListCompanies))
	api.POST("/companies", h.s.JSON(http.StatusCreated, h.apiSaveCompany))
	api.GET("/companies/:id", h.s.JSON(http.StatusOK, thttp.VersionedByID(h.Companies.FindCompanyByID, func(co *tsunagu.Company) int64 { return co.Version })))
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
	return saveJSON(c, func(co *tsunagu.Company) (*int64, *int64) { return &co.ID, &co.Version }, h.Companies.SaveCompany)
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
