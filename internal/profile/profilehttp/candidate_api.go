package profilehttp

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func init() {
	cand, full := tsunagu.Candidate{}, candidateJSON{}
	list := []string{"q", "offset:integer", "limit:integer"}
	thttp.DocumentAPI(
		thttp.APIOp{Method: "GET", Path: "/me/candidate", ID: "getMyCandidate", Summary: "The signed-in candidate's own profile, with its completeness", Tag: "candidates", Response: full},
		thttp.APIOp{Method: "PUT", Path: "/me/candidate", ID: "saveMyCandidate", Summary: "Create or update the signed-in candidate's own profile", Tag: "candidates", Request: cand, Response: full, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/candidates", ID: "listCandidates", Summary: "Full profiles (staff)", Tag: "candidates",
			Query: append([]string{"visibility"}, list...), Response: thttp.List[*tsunagu.Candidate]{}},
		thttp.APIOp{Method: "POST", Path: "/candidates", ID: "createCandidate", Summary: "Create a profile (staff); 409 naming likely duplicates unless confirm_duplicate=true", Tag: "candidates", Request: cand, Query: []string{"confirm_duplicate"}, Response: full, Status: 201, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "GET", Path: "/candidates/:id", ID: "getCandidate", Summary: "A full profile (staff, the candidate, a consented company); audited", Tag: "candidates", Response: full},
		thttp.APIOp{Method: "PUT", Path: "/candidates/:id", ID: "updateCandidate", Summary: "Update a profile (staff or the candidate)", Tag: "candidates", Request: cand, Response: full, Errors: []int{http.StatusConflict}},
		thttp.APIOp{Method: "DELETE", Path: "/candidates/:id", ID: "deleteCandidate", Summary: "Erase a profile (staff or the candidate)", Tag: "candidates", Status: 204},
		thttp.APIOp{Method: "GET", Path: "/candidates/:id/card", ID: "getCandidateCard", Summary: "The anonymised card of a candidate", Tag: "candidates", Response: tsunagu.CandidateCard{}},
		thttp.APIOp{Method: "GET", Path: "/candidate-cards", ID: "listCandidateCards", Summary: "Anonymised cards the caller may see", Tag: "candidates",
			Query: list, Response: thttp.List[*tsunagu.CandidateCard]{}},
		thttp.APIOp{Method: "GET", Path: "/vocabularies", ID: "getVocabularies", Summary: "Allowed values: prefectures, levels, workplaces, employment types, visibilities, residence statuses", Tag: "meta", Public: true, Response: vocabularies{}},
	)
}

// registerCandidateAPI adds the profile and card API under /api/v1.
func (h *Handlers) registerCandidateAPI(api *gin.RouterGroup) {
	api.GET("/me/candidate", h.s.JSON(http.StatusOK, h.apiOwnCandidate))
	api.PUT("/me/candidate", h.s.JSON(http.StatusOK, h.apiSaveOwnCandidate))
	api.GET("/candidates", h.s.JSON(http.StatusOK, h.apiListCandidates))
	api.POST("/candidates", h.s.JSON(http.StatusCreated, h.apiSaveCandidate))
	api.GET("/candidates/:id", h.s.JSON(http.StatusOK, h.apiCandidate))
	api.PUT("/candidates/:id", h.s.JSON(http.StatusOK, h.apiSaveCandidate))
	api.DELETE("/candidates/:id", h.s.Done(http.StatusNoContent, thttp.ActOnID(h.Candidates.DeleteCandidate)))
	api.GET("/candidates/:id/card", h.s.JSON(http.StatusOK, thttp.ByID(h.Candidates.FindCandidateCard)))
	api.GET("/candidate-cards", h.s.JSON(http.StatusOK, h.apiCandidateCards))
	api.GET("/vocabularies", h.s.JSON(http.StatusOK, func(*gin.Context) (any, error) { return vocab(), nil }))
}

// candidateJSON is a full profile with its completeness.
type candidateJSON struct {
	*tsunagu.Candidate
	Completeness tsunagu.Completeness `json:"completeness"`
}

func withCompleteness(c *tsunagu.Candidate) candidateJSON {
	return candidateJSON{Candidate: c, Completeness: c.Completeness()}
}

// apiOwnCandidate handles GET /api/v1/me/candidate.
func (h *Handlers) apiOwnCandidate(c *gin.Context) (any, error) {
	cand, err := h.Candidates.FindOwnCandidate(c.Request.Context())
	if err != nil {
		return nil, err
	}
	thttp.SetETag(c, cand.Version)
	return withCompleteness(cand), nil
}

// apiSaveOwnCandidate handles PUT /api/v1/me/candidate (If-Match or the
// body's version: saved only from the current version, else 409).
func (h *Handlers) apiSaveOwnCandidate(c *gin.Context) (any, error) {
	ctx := c.Request.Context()
	var in tsunagu.Candidate
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	version, err := thttp.Version(c, in.Version)
	if err != nil {
		return nil, err
	}
	in.ID, in.Version = 0, 0
	if own, err := h.Candidates.FindOwnCandidate(ctx); err == nil {
		in.ID, in.Version = own.ID, version
	} else if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		return nil, err
	}
	if err := h.Candidates.SaveCandidate(ctx, &in); err != nil {
		return nil, err
	}
	thttp.SetETag(c, in.Version)
	return withCompleteness(&in), nil
}

// apiListCandidates handles GET /api/v1/candidates (staff).
func (h *Handlers) apiListCandidates(c *gin.Context) (any, error) {
	list, total, err := h.Candidates.ListCandidates(c.Request.Context(), candidateFilter(c))
	return thttp.ListOf(list, total), err
}

// apiSaveCandidate handles POST /api/v1/candidates and PUT
// /api/v1/candidates/:id (If-Match or the body's version: saved only from
// the current version, else 409).
func (h *Handlers) apiSaveCandidate(c *gin.Context) (any, error) {
	save := h.Candidates.SaveCandidate
	if c.Param("id") == "" && h.Duplicates != nil && c.Query("confirm_duplicate") != "true" {
		// A new profile that is likely someone stored: 409 naming them,
		// unless ?confirm_duplicate=true.
		save = func(ctx context.Context, r *tsunagu.Candidate) error {
			dups, err := h.Duplicates.FindDuplicates(ctx, r)
			if err != nil {
				return err
			}
			if len(dups) > 0 {
				return duplicateError(dups, tsunagu.ECONFLICT)
			}
			return h.Candidates.SaveCandidate(ctx, r)
		}
	}
	in, err := saveJSON(c, func(r *tsunagu.Candidate) (*int64, *int64) { return &r.ID, &r.Version }, save)
	if err != nil {
		return nil, err
	}
	return withCompleteness(in), nil
}

// apiCandidate handles GET /api/v1/candidates/:id (audited full view).
func (h *Handlers) apiCandidate(c *gin.Context) (any, error) {
	cand, err := h.candidate(c)
	if err != nil {
		return nil, err
	}
	thttp.SetETag(c, cand.Version)
	return withCompleteness(cand), nil
}

// apiCandidateCards handles GET /api/v1/candidate-cards.
func (h *Handlers) apiCandidateCards(c *gin.Context) (any, error) {
	cards, total, err := h.Candidates.ListCandidateCards(c.Request.Context(), cardFilter(c))
	return thttp.ListOf(cards, total), err
}

// candidateFilter reads ?q=&visibility=&offset=&limit= of a profile list.
func candidateFilter(c *gin.Context) tsunagu.CandidateFilter {
	q, offset, limit := thttp.ListParams(c)
	return tsunagu.CandidateFilter{Query: q, Visibility: c.Query("visibility"), Offset: offset, Limit: limit}
}

// cardFilter reads ?q=&offset=&limit= of a card list.
func cardFilter(c *gin.Context) tsunagu.CandidateFilter {
	f := candidateFilter(c)
	f.Visibility = ""
	return f
}

// candidate finds the full profile of the :id path parameter (audited).
func (h *Handlers) candidate(c *gin.Context) (*tsunagu.Candidate, error) {
	return thttp.FindByID(c, h.Candidates.FindCandidateByID)
}

// saveJSON reads a record from the JSON body and saves it: a new one when
// the route has no :id, else the record :id (whatever id the body gives)
// from the version If-Match or the body names (none: whatever the
// version). fields points at the record's ID and Version fields. The
// answer carries the saved version's ETag.
func saveJSON[T any](c *gin.Context, fields func(*T) (id, version *int64), save func(context.Context, *T) error) (*T, error) {
	var in T
	var n int64
	if c.Param("id") != "" {
		var err error
		if n, err = thttp.IDParam(c, "id"); err != nil {
			return nil, err
		}
	}
	if err := thttp.BindJSON(c, &in); err != nil {
		return nil, err
	}
	id, version := fields(&in)
	v, err := thttp.Version(c, *version)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		v = 0
	}
	*id, *version = n, v
	if err := save(c.Request.Context(), &in); err != nil {
		return nil, err
	}
	thttp.SetETag(c, *version)
	return &in, nil
}
