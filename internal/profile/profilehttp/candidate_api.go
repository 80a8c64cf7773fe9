package profilehttp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func init() {
	cand := map[string]any{"type": "object", "description": "A candidate profile (see tsunagu.Candidate)"}
	card := map[string]any{"type": "object", "description": "An anonymised candidate card (see tsunagu.CandidateCard)"}
	list := func(item map[string]any) map[string]any {
		return thttp.Obj(map[string]any{"items": map[string]any{"type": "array", "items": item}, "total": map[string]any{"type": "integer"}}, "items", "total")
	}
	thttp.DocumentAPI(
		thttp.APIOp{Method: "GET", Path: "/me/candidate", Summary: "The signed-in candidate's own profile, with its completeness", Tag: "candidates", Response: cand},
		thttp.APIOp{Method: "PUT", Path: "/me/candidate", Summary: "Create or update the signed-in candidate's own profile", Tag: "candidates", Request: cand, Response: cand},
		thttp.APIOp{Method: "GET", Path: "/candidates", Summary: "Full profiles (staff); ?q=&visibility=&offset=&limit=", Tag: "candidates", Response: list(cand)},
		thttp.APIOp{Method: "POST", Path: "/candidates", Summary: "Create a profile (staff)", Tag: "candidates", Request: cand, Response: cand, Status: 201},
		thttp.APIOp{Method: "GET", Path: "/candidates/:id", Summary: "A full profile (staff, the candidate, a consented company); audited", Tag: "candidates", Response: cand},
		thttp.APIOp{Method: "PUT", Path: "/candidates/:id", Summary: "Update a profile (staff or the candidate)", Tag: "candidates", Request: cand, Response: cand},
		thttp.APIOp{Method: "DELETE", Path: "/candidates/:id", Summary: "Erase a profile (staff or the candidate)", Tag: "candidates", Status: 204},
		thttp.APIOp{Method: "GET", Path: "/candidates/:id/card", Summary: "The anonymised card of a candidate", Tag: "candidates", Response: card},
		thttp.APIOp{Method: "GET", Path: "/candidate-cards", Summary: "Anonymised cards the caller may see; ?q=&offset=&limit=", Tag: "candidates", Response: list(card)},
		thttp.APIOp{Method: "GET", Path: "/vocabularies", Summary: "Allowed values: prefectures, levels, workplaces, employment types, visibilities, residence statuses", Tag: "meta"},
	)
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
func (h *Handlers) apiOwnCandidate(c *gin.Context) {
	cand, err := h.Candidates.FindOwnCandidate(c.Request.Context())
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, withCompleteness(cand))
}

// apiSaveOwnCandidate handles PUT /api/v1/me/candidate.
func (h *Handlers) apiSaveOwnCandidate(c *gin.Context) {
	ctx := c.Request.Context()
	var in tsunagu.Candidate
	if !h.s.BindJSON(c, &in) {
		return
	}
	in.ID = 0
	if own, err := h.Candidates.FindOwnCandidate(ctx); err == nil {
		in.ID = own.ID
	} else if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		h.s.Fail(c, err)
		return
	}
	if err := h.Candidates.SaveCandidate(ctx, &in); err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, withCompleteness(&in))
}

// apiListCandidates handles GET /api/v1/candidates (staff).
func (h *Handlers) apiListCandidates(c *gin.Context) {
	q, offset, limit := thttp.ListParams(c)
	list, total, err := h.Candidates.ListCandidates(c.Request.Context(), tsunagu.CandidateFilter{Query: q, Visibility: c.Query("visibility"), Offset: offset, Limit: limit})
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": list, "total": total})
}

// apiCreateCandidate handles POST /api/v1/candidates.
func (h *Handlers) apiCreateCandidate(c *gin.Context) {
	var in tsunagu.Candidate
	if !h.s.BindJSON(c, &in) {
		return
	}
	in.ID = 0
	if err := h.Candidates.SaveCandidate(c.Request.Context(), &in); err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, withCompleteness(&in))
}

// apiCandidate handles GET /api/v1/candidates/:id (audited full view).
func (h *Handlers) apiCandidate(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	cand, err := h.Candidates.FindCandidateByID(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, withCompleteness(cand))
}

// apiUpdateCandidate handles PUT /api/v1/candidates/:id.
func (h *Handlers) apiUpdateCandidate(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	var in tsunagu.Candidate
	if !h.s.BindJSON(c, &in) {
		return
	}
	in.ID = id
	if err := h.Candidates.SaveCandidate(c.Request.Context(), &in); err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, withCompleteness(&in))
}

// apiDeleteCandidate handles DELETE /api/v1/candidates/:id.
func (h *Handlers) apiDeleteCandidate(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if err := h.Candidates.DeleteCandidate(c.Request.Context(), id); err != nil {
		h.s.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// apiCandidateCard handles GET /api/v1/candidates/:id/card.
func (h *Handlers) apiCandidateCard(c *gin.Context) {
	id, err := thttp.IDParam(c, "id")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	card, err := h.Candidates.FindCandidateCard(c.Request.Context(), id)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, card)
}

// apiCandidateCards handles GET /api/v1/candidate-cards.
func (h *Handlers) apiCandidateCards(c *gin.Context) {
	q, offset, limit := thttp.ListParams(c)
	cards, total, err := h.Candidates.ListCandidateCards(c.Request.Context(), tsunagu.CandidateFilter{Query: q, Offset: offset, Limit: limit})
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": cards, "total": total})
}

// apiVocabularies handles GET /api/v1/vocabularies.
func (h *Handlers) apiVocabularies(c *gin.Context) {
	c.JSON(http.StatusOK, vocab())
}
