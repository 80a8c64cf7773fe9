// Package matchhttp serves the matching pages and JSON API: a company's
// matched talent per role (/roles/:id/matches), a candidate's roles with
// the gap (/me/roles), and the coordinator's pool search with saved
// searches (/coordinator/search). It follows the conventions of
// internal/http (see server.go) and registers through thttp.Router: parse →
// validate → call the service → respond, every failure through Server.Fail
// or RenderForm, every string from web/locales/match.<lang>.json.
package matchhttp

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/matching"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Handlers holds what the pages call.
type Handlers struct {
	Matching *matching.Service

	s *thttp.Server
}

// Register adds every route (an app.Routes entry).
func (h *Handlers) Register(r *thttp.Router) {
	h.s = r.Server
	r.Engine.GET("/roles/:id/matches", h.s.SignedIn(), h.handleRoleMatches)
	r.Engine.POST("/roles/:id/matches/:cid/introduction", h.s.Require(tsunagu.ActCompanyArea), h.handleRequestIntroduction)
	r.Engine.GET("/me/roles", h.s.Require(tsunagu.ActCandidateArea), h.handleMyRoles)
	co := r.Engine.Group("/coordinator", h.s.Require(tsunagu.ActCoordinatorArea))
	co.GET("/search", h.handleSearch)
	co.POST("/searches", h.handleSaveSearch)
	co.POST("/searches/:id/delete", h.handleDeleteSearch)
	h.registerAPI(r)
}

// japaneseParam reads a Japanese level ("N3", "native" or a rank 1..6);
// anything else is "any" (0).
func japaneseParam(v string) int {
	v = strings.TrimSpace(v)
	if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 6 {
		return n
	}
	if strings.EqualFold(v, "native") {
		return 6
	}
	return tsunagu.JapaneseRank(strings.ToUpper(v))
}

// boolParam reads a checkbox or flag ("1", "true", "on").
func boolParam(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// matchQuery reads a role's match filters from the query string. Near
// matches are shown unless near=0.
func matchQuery(c *gin.Context) matching.MatchQuery {
	q := matching.MatchQuery{
		IncludeNear: nearParam(c),
		PoolFilters: poolFilters(c.Query),
		Region:      strings.TrimSpace(c.Query("region")),
		Sort:        c.Query("sort"),
	}
	q.Limit, _ = strconv.Atoi(c.Query("limit"))
	valid := false
	for _, s := range matching.Sorts {
		valid = valid || s == q.Sort
	}
	if !valid {
		q.Sort = matching.SortScore
	}
	return q
}

// nearParam reads whether near matches are shown: yes unless near=0. A
// form sends a hidden near=0 before its checkbox, so the last value wins.
func nearParam(c *gin.Context) bool {
	vs := c.QueryArray("near")
	return len(vs) == 0 || boolParam(vs[len(vs)-1])
}

// poolQuery reads a pool search from the query string.
func poolQuery(c *gin.Context) matching.PoolQuery {
	q := matching.PoolQuery{
		Text:        strings.TrimSpace(c.Query("q")),
		PoolFilters: poolFilters(c.Query),
	}
	q.Limit, _ = strconv.Atoi(c.Query("limit"))
	return q
}

// poolFilters reads the pool filters from a query string or a form (get:
// c.Query or c.PostForm), each by its name in forms
// (tsunagu.PoolFilters).
func poolFilters(get func(string) string) tsunagu.PoolFilters {
	return tsunagu.PoolFilters{
		JapaneseMin:    japaneseParam(get("japanese")),
		Prefecture:     strings.TrimSpace(get("prefecture")),
		Workplace:      strings.TrimSpace(get("workplace")),
		CandidateFacts: tsunagu.FactsFrom(func(name string) bool { return boolParam(get(name)) }),
	}
}

// factParams documents the candidate facts as boolean query parameters.
func factParams(params ...string) []string {
	for _, f := range tsunagu.FactNames() {
		params = append(params, f+":boolean")
	}
	return params
}

// lang returns the reader's language.
func (h *Handlers) lang(c *gin.Context) string { return h.s.Printer(c).Lang }
