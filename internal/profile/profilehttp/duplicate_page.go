package profilehttp

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Duplicates finds likely duplicate candidates, lists the pairs for review,
// merges and dismisses them (profile.Service).
type Duplicates interface {
	FindDuplicates(ctx context.Context, c *tsunagu.Candidate) ([]profile.Duplicate, error)
	DuplicateChecker(ctx context.Context) (func(c *tsunagu.Candidate) []int64, error)
	DuplicatePairs(ctx context.Context) ([]postgres.DuplicatePair, error)
	DismissDuplicate(ctx context.Context, a, b int64) error
	MergeCandidates(ctx context.Context, keep, drop int64) error
}

func init() {
	thttp.DocumentAPI(thttp.APIOp{Method: "GET", Path: "/duplicates", ID: "listDuplicatePairs", Summary: "Likely duplicate candidates awaiting review (staff)", Tag: "candidates",
		Response: []postgres.DuplicatePair{}})
}

func (h *Handlers) registerDuplicates(r *gin.Engine, api *gin.RouterGroup) {
	if h.Duplicates == nil {
		return
	}
	co := r.Group("/coordinator/duplicates", h.s.Require(tsunagu.ActCoordinatorArea))
	co.GET("", h.s.HTML("candidate/duplicates", h.listDuplicates))
	co.GET("/merge", h.s.HTML("candidate/merge", h.showMerge))
	co.POST("/merge", h.handleMerge)
	co.POST("/dismiss", h.handleDismiss)
	api.GET("/duplicates", h.s.JSON(http.StatusOK, h.apiDuplicates))
}

// apiDuplicates handles GET /api/v1/duplicates: the pairs to review (an
// array, empty when there are none).
func (h *Handlers) apiDuplicates(c *gin.Context) (any, error) {
	pairs, err := h.Duplicates.DuplicatePairs(c.Request.Context())
	if pairs == nil {
		pairs = []postgres.DuplicatePair{}
	}
	return pairs, err
}

// duplicateError is the error that asks to confirm a new profile that is
// likely someone already stored: per field (confirm_duplicate), naming them.
func duplicateError(dups []profile.Duplicate, code string) error {
	ids := make([]string, len(dups))
	for i, d := range dups {
		ids[i] = "#" + strconv.FormatInt(d.ID, 10)
	}
	var v tsunagu.Validation
	v.Add("confirm_duplicate", "duplicate.found", map[string]any{"IDs": strings.Join(ids, ", "), "Count": len(dups)})
	err := tsunagu.AsError(v.Err())
	err.Code = code
	return err
}

// listDuplicates handles GET /coordinator/duplicates: the pairs to review.
func (h *Handlers) listDuplicates(c *gin.Context) (any, error) {
	pairs, err := h.Duplicates.DuplicatePairs(c.Request.Context())
	return gin.H{"Pairs": pairs}, err
}

// mergeView is the data of candidate/merge.
type mergeView struct {
	Keep, Drop *tsunagu.Candidate
}

// mergePair reads keep and drop from the query or form and loads both (an
// audited full view: staff see what they merge).
func (h *Handlers) mergePair(c *gin.Context) (*mergeView, error) {
	var v tsunagu.Validation
	ids := map[string]int64{}
	for _, f := range []string{"keep", "drop"} {
		n, err := strconv.ParseInt(c.Request.FormValue(f), 10, 64)
		if err != nil || n <= 0 {
			v.Add(f, "error.invalid_number", nil)
		}
		ids[f] = n
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if ids["keep"] == ids["drop"] {
		v.Add("drop", "error.merge_same", nil)
		return nil, v.Err()
	}
	ctx := c.Request.Context()
	keep, err := h.Candidates.FindCandidateByID(ctx, ids["keep"])
	if err != nil {
		return nil, err
	}
	drop, err := h.Candidates.FindCandidateByID(ctx, ids["drop"])
	if err != nil {
		return nil, err
	}
	return &mergeView{Keep: keep, Drop: drop}, nil
}

// showMerge handles GET /coordinator/duplicates/merge?keep=&drop=: both
// profiles side by side and the form that confirms the merge.
func (h *Handlers) showMerge(c *gin.Context) (any, error) { return h.mergePair(c) }

// handleMerge handles POST /coordinator/duplicates/merge (keep, drop,
// confirm=yes).
func (h *Handlers) handleMerge(c *gin.Context) {
	view, err := h.mergePair(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if c.PostForm("confirm") != "yes" {
		var v tsunagu.Validation
		v.Add("confirm", "mydata.confirm_required", nil)
		h.s.RenderForm(c, "candidate/merge", view, v.Err())
		return
	}
	if err := h.Duplicates.MergeCandidates(c.Request.Context(), view.Keep.ID, view.Drop.ID); err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, candidatePath(view.Keep.ID), "duplicate.merged")
}

// handleDismiss handles POST /coordinator/duplicates/dismiss (a, b): the
// two are different people.
func (h *Handlers) handleDismiss(c *gin.Context) {
	var v tsunagu.Validation
	ids := [2]int64{}
	for i, f := range []string{"a", "b"} {
		n, err := strconv.ParseInt(c.PostForm(f), 10, 64)
		if err != nil || n <= 0 {
			v.Add(f, "error.invalid_number", nil)
		}
		ids[i] = n
	}
	err := v.Err()
	if err == nil {
		err = h.Duplicates.DismissDuplicate(c.Request.Context(), ids[0], ids[1])
	}
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.RedirectWithFlash(c, "/coordinator/duplicates", "duplicate.dismissed")
}
