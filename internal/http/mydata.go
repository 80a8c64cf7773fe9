package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// A candidate can export and erase their data (DESIGN.md, Principles).

func init() {
	DocumentAPI(APIOp{Method: "GET", Path: "/me/data", Tag: "candidates",
		Summary: "Everything stored about the signed-in candidate, by table (a download)"})
}

func (s *Server) registerMyData(r *gin.Engine, api *gin.RouterGroup) {
	g := r.Group("/me/data", s.require(tsunagu.ActCandidateArea))
	g.GET("", s.handleMyData)
	g.GET("/export.json", s.handleMyDataExport)
	g.POST("/erase", s.handleMyDataErase)
	api.GET("/me/data", s.require(tsunagu.ActCandidateArea), s.handleMyDataExport)
}

// handleMyData handles GET /me/data: export and erasure, explained.
func (s *Server) handleMyData(c *gin.Context) {
	s.render(c, http.StatusOK, "account/data", nil)
}

// myCandidateID returns the signed-in candidate's profile id, or 0 when
// they have no profile yet.
func (s *Server) myCandidateID(c *gin.Context) (int64, error) {
	cand, err := s.DB.CandidateByUserID(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			return 0, nil
		}
		return 0, err
	}
	return cand.ID, nil
}

// handleMyDataExport handles GET /me/data/export.json and GET /api/v1/me/data.
func (s *Server) handleMyDataExport(c *gin.Context) {
	u := currentUser(c)
	id, err := s.myCandidateID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	data := map[string]any{}
	if id != 0 {
		rows, err := s.DB.ExportCandidateData(c.Request.Context(), id)
		if err != nil {
			s.fail(c, err)
			return
		}
		for k, v := range rows {
			data[k] = v
		}
	} else {
		data["users"] = []*tsunagu.User{u}
	}
	if err := s.DB.Audit(c.Request.Context(), u.ID, "candidate.export", "candidate", fmt.Sprint(id), nil); err != nil {
		s.fail(c, err)
		return
	}
	body, err := json.MarshalIndent(map[string]any{"exported_at": time.Now().UTC(), "tables": data}, "", "  ")
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="tsunagu-my-data.json"`)
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// handleMyDataErase handles POST /me/data/erase: with the current password
// as confirmation, deletes the profile, its case and everything linked to
// it, and the account, then signs out.
func (s *Server) handleMyDataErase(c *gin.Context) {
	u := currentUser(c)
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
		s.renderForm(c, "account/data", nil, err)
		return
	}
	id, err := s.myCandidateID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if id != 0 {
		err = s.DB.EraseCandidate(c.Request.Context(), id, u.ID)
	} else {
		err = s.DB.DeleteCandidateAccount(c.Request.Context(), u.ID)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.clearSessionCookie(c)
	s.redirectWithFlash(c, "/", "mydata.erased")
}
