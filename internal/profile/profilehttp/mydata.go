package profilehttp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/auth"
	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// A candidate can export and erase their data (DESIGN.md, Principles).

func init() {
	type myData struct {
		ExportedAt time.Time      `json:"exported_at" validate:"required"`
		Tables     map[string]any `json:"tables" validate:"required"` // rows by table
	}
	thttp.DocumentAPI(thttp.APIOp{Method: "GET", Path: "/me/data", ID: "exportMyData", Tag: "candidates", Response: myData{}, Download: true,
		Summary: "Everything stored about the signed-in candidate, by table (a download)"})
}

func (h *Handlers) registerMyData(r *gin.Engine, api *gin.RouterGroup) {
	g := r.Group("/me/data", h.s.Require(tsunagu.ActCandidateArea))
	g.GET("", h.handleMyData)
	g.GET("/export.json", h.handleMyDataExport)
	g.POST("/erase", h.handleMyDataErase)
	api.GET("/me/data", h.s.Require(tsunagu.ActCandidateArea), h.handleMyDataExport)
}

// handleMyData handles GET /me/data: export and erasure, explained.
func (h *Handlers) handleMyData(c *gin.Context) {
	h.s.Render(c, http.StatusOK, "account/data", nil)
}

// myCandidateID returns the signed-in candidate's profile id, or 0 when
// they have no profile yet.
func (h *Handlers) myCandidateID(c *gin.Context) (int64, error) {
	cand, err := h.DB.CandidateByUserID(c.Request.Context(), thttp.CurrentUser(c).ID)
	if err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			return 0, nil
		}
		return 0, err
	}
	return cand.ID, nil
}

// handleMyDataExport handles GET /me/data/export.json and GET /api/v1/me/data.
func (h *Handlers) handleMyDataExport(c *gin.Context) {
	u := thttp.CurrentUser(c)
	id, err := h.myCandidateID(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	data := map[string]any{}
	if id != 0 {
		rows, err := h.DB.ExportCandidateData(c.Request.Context(), id)
		if err != nil {
			h.s.Fail(c, err)
			return
		}
		keepOwn(rows)
		for k, v := range rows {
			data[k] = v
		}
	} else {
		data["users"] = []*tsunagu.User{u}
	}
	if err := h.DB.Audit(c.Request.Context(), u.ID, "candidate.export", "candidate", fmt.Sprint(id), nil); err != nil {
		h.s.Fail(c, err)
		return
	}
	body, err := json.MarshalIndent(map[string]any{"exported_at": time.Now().UTC(), "tables": data}, "", "  ")
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="tsunagu-my-data.json"`)
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// handleMyDataErase handles POST /me/data/erase: with the current password
// as confirmation, deletes the profile, its case and everything linked to
// it, and the account, then signs out.
func (h *Handlers) handleMyDataErase(c *gin.Context) {
	u := thttp.CurrentUser(c)
	var v tsunagu.Validation
	if c.PostForm("password") == "" {
		v.Add("password", "error.required", nil)
	} else if !auth.CheckPassword(u.PasswordHash, c.PostForm("password")) {
		v.Add("password", "error.bad_password", nil)
	}
	if c.PostForm("confirm") != "yes" {
		v.Add("confirm", "mydata.confirm_required", nil)
	}
	if err := v.Err(); err != nil {
		h.s.RenderForm(c, "account/data", nil, err)
		return
	}
	id, err := h.myCandidateID(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	if id != 0 {
		err = h.Candidates.DeleteCandidate(c.Request.Context(), id)
	} else {
		err = h.DB.EraseAccount(c.Request.Context(), u.ID, u.ID)
	}
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	h.s.ClearSessionCookie(c)
	h.s.RedirectWithFlash(c, "/", "mydata.erased")
}
