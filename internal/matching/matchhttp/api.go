package matchhttp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/matching"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func init() {
	type introductionIn struct {
		CandidateID int64  `json:"candidate_id" validate:"required"`
		Note        string `json:"note"`
	}
	thttp.DocumentAPI(
		thttp.APIOp{Method: "GET", Path: "/roles/:id/matches", ID: "listRoleMatches", Summary: "A role's matched candidates as anonymised cards with the reasons " +
			"(staff and the role's company; 404 otherwise)", Tag: "matching",
			Query: factParams("near:boolean", "japanese", "prefecture", "sort", "limit:integer"), Response: matching.RoleMatches{}},
		thttp.APIOp{Method: "POST", Path: "/roles/:id/introductions", ID: "requestIntroduction", Summary: "A company asks to be introduced to a matched candidate for its role; the candidate is asked to consent", Tag: "matching", Status: 201,
			Request: introductionIn{}, Response: thttp.Created{}, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/me/roles", ID: "listMyRoles", Summary: "The open roles that fit the signed-in candidate with what each misses, and the skills (with training) that would open the most", Tag: "matching",
			Query: []string{"near:boolean"}, Response: matching.CandidateRoles{}},
		thttp.APIOp{Method: "GET", Path: "/candidates/search", ID: "searchCandidates", Summary: "Search the pool (staff)", Tag: "matching",
			Query: factParams("q", "japanese", "prefecture", "workplace", "limit:integer"), Response: thttp.Items[matching.PoolHit]{}},
		thttp.APIOp{Method: "GET", Path: "/saved-searches", ID: "listSavedSearches", Summary: "The caller's saved searches (staff)", Tag: "matching", Response: thttp.Items[*tsunagu.SavedSearch]{}},
		thttp.APIOp{Method: "POST", Path: "/saved-searches", ID: "saveSearch", Summary: "Save a search; candidates it finds later are notified in the app", Tag: "matching", Status: 201,
			Request: tsunagu.SavedSearch{}, Response: tsunagu.SavedSearch{}},
		thttp.APIOp{Method: "GET", Path: "/saved-searches/:id", ID: "getSavedSearch", Summary: "One of the caller's saved searches", Tag: "matching", Response: tsunagu.SavedSearch{}},
		thttp.APIOp{Method: "DELETE", Path: "/saved-searches/:id", ID: "deleteSavedSearch", Summary: "Delete one of the caller's saved searches", Tag: "matching", Status: 204},
	)
}

func (h *Handlers) registerAPI(r *thttp.Router) {
	api, s := r.API, h.s
	api.GET("/roles/:id/matches", s.JSON(http.StatusOK, h.apiRoleMatches))
	api.POST("/roles/:id/introductions", s.JSON(http.StatusCreated, h.apiRequestIntroduction))
	api.GET("/me/roles", s.JSON(http.StatusOK, h.apiMyRoles))
	api.GET("/candidates/search", s.JSON(http.StatusOK, h.apiSearch))
	api.GET("/saved-searches", s.JSON(http.StatusOK, h.apiSavedSearches))
	api.POST("/saved-searches", s.JSON(http.StatusCreated, h.apiSaveSearch))
	api.GET("/saved-searches/:id", s.JSON(http.StatusOK, thttp.ByID(h.Matching.FindSavedSearch)))
	api.DELETE("/saved-searches/:id", s.Done(http.StatusNoContent, thttp.ActOnID(h.Matching.DeleteSavedSearch)))
}

// apiRoleMatches handles GET /api/v1/roles/:id/matches.
func (h *Handlers) apiRoleMatches(c *gin.Context) (any, error) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	return h.Matching.CandidatesForRole(c.Request.Context(), id, matchQuery(c), h.lang(c))
}

// apiRequestIntroduction handles POST /api/v1/roles/:id/introductions.
func (h *Handlers) apiRequestIntroduction(c *gin.Context) (any, error) {
	var in struct {
		CandidateID int64  `json:"candidate_id"`
		Note        string `json:"note"`
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	iid, err := h.Matching.RequestIntroduction(c.Request.Context(), id, in.CandidateID, in.Note)
	return gin.H{"id": iid}, err
}

// apiMyRoles handles GET /api/v1/me/roles.
func (h *Handlers) apiMyRoles(c *gin.Context) (any, error) {
	return h.Matching.RolesForMe(c.Request.Context(), nearParam(c), 20, h.lang(c))
}

// apiSearch handles GET /api/v1/candidates/search.
func (h *Handlers) apiSearch(c *gin.Context) (any, error) {
	hits, err := h.Matching.SearchPool(c.Request.Context(), poolQuery(c), h.lang(c))
	return gin.H{"items": hits}, err
}

// apiSavedSearches handles GET /api/v1/saved-searches.
func (h *Handlers) apiSavedSearches(c *gin.Context) (any, error) {
	list, err := h.Matching.SavedSearches(c.Request.Context())
	return gin.H{"items": list}, err
}

// apiSaveSearch handles POST /api/v1/saved-searches.
func (h *Handlers) apiSaveSearch(c *gin.Context) (any, error) {
	var ss tsunagu.SavedSearch
	if err := thttp.BindJSON(c, &ss); err != nil {
		return nil, err
	}
	return &ss, h.Matching.SaveSearch(c.Request.Context(), &ss)
}
