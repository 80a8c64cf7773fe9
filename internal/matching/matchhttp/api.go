package matchhttp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func init() {
	integer := map[string]any{"type": "integer"}
	arr := func(item map[string]any) map[string]any { return map[string]any{"type": "array", "items": item} }
	card := map[string]any{"type": "object", "description": "An anonymised matched candidate with the reasons: candidate_id, score, " +
		"occupation, matched_skills [{label, uri, required, via, candidate_label, credit}], missing_skills, missing_preferred, " +
		"unmet [{code, detail}], breakdown {same_occupation, same_isco_group, required, preferred, text, demotion}, " +
		"japanese_level, region, willing_to_relocate, workplace_preference, available_from (see matching.Card)"}
	fit := map[string]any{"type": "object", "description": "A role for the candidate: role, match (the reasons) and missing [{uri, label}] (see matching.RoleFit)"}
	opening := map[string]any{"type": "object", "description": "A skill that would open roles: uri, label, roles, completes, programmes [{id, title_ja, title_en}]"}
	hit := map[string]any{"type": "object", "description": "A candidate found: candidate_id, headline, score, skills, occupation, japanese_level, prefecture (see matching.PoolHit)"}
	saved := thttp.Obj(map[string]any{"id": integer, "name": thttp.Str(), "query": thttp.Str(), "japanese_min": integer,
		"prefecture": thttp.Str(), "workplace": thttp.Str(), "created_at": thttp.Str(), "last_run_at": thttp.Str()}, "id", "name")
	savedIn := thttp.Obj(map[string]any{"name": thttp.Str(), "query": thttp.Str(), "japanese_min": integer,
		"prefecture": thttp.Str(), "workplace": thttp.Str()}, "name")
	thttp.DocumentAPI(
		thttp.APIOp{Method: "GET", Path: "/roles/:id/matches", Summary: "A role's matched candidates as anonymised cards with the reasons " +
			"(staff and the role's company; 404 otherwise); ?near=0|1&japanese=N2&prefecture=Tokyo&sort=score|required|japanese|available&limit=", Tag: "matching",
			Response: thttp.Obj(map[string]any{"role": map[string]any{"type": "object"}, "matches": arr(card), "pending": map[string]any{"type": "boolean"}}, "role", "matches")},
		thttp.APIOp{Method: "POST", Path: "/roles/:id/introductions", Summary: "A company asks to be introduced to a matched candidate for its role; the candidate is asked to consent", Tag: "matching", Status: 201,
			Request: thttp.Obj(map[string]any{"candidate_id": integer, "note": thttp.Str()}, "candidate_id"), Response: thttp.Obj(map[string]any{"id": integer}, "id")},
		thttp.APIOp{Method: "GET", Path: "/me/roles", Summary: "The open roles that fit the signed-in candidate with what each misses, and the skills (with training) that would open the most; ?near=0|1", Tag: "matching",
			Response: thttp.Obj(map[string]any{"roles": arr(fit), "openings": arr(opening)}, "roles", "openings")},
		thttp.APIOp{Method: "GET", Path: "/candidates/search", Summary: "Search the pool (staff); ?q=&japanese=N3&prefecture=&workplace=&limit=", Tag: "matching",
			Response: thttp.Obj(map[string]any{"items": arr(hit)}, "items")},
		thttp.APIOp{Method: "GET", Path: "/saved-searches", Summary: "The caller's saved searches (staff)", Tag: "matching", Response: thttp.Obj(map[string]any{"items": arr(saved)}, "items")},
		thttp.APIOp{Method: "POST", Path: "/saved-searches", Summary: "Save a search; candidates it finds later are notified in the app", Tag: "matching", Status: 201, Request: savedIn, Response: saved},
		thttp.APIOp{Method: "GET", Path: "/saved-searches/:id", Summary: "One of the caller's saved searches", Tag: "matching", Response: saved},
		thttp.APIOp{Method: "DELETE", Path: "/saved-searches/:id", Summary: "Delete one of the caller's saved searches", Tag: "matching", Status: 204},
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
