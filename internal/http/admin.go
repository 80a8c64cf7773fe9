package http

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (s *Server) registerAdmin(r *gin.Engine, api *gin.RouterGroup) {
	g := r.Group("/admin", s.require(tsunagu.ActAdminArea))
	g.GET("/outbox", s.handleOutbox)
	g.GET("/users", s.handleUsers)
	g.GET("/audit", s.handleAudit)
	g.POST("/users/invite", s.handleInviteStaff)
	g.POST("/users/:id/disable", s.handleSetDisabled(true))
	g.POST("/users/:id/enable", s.handleSetDisabled(false))
}

// handleSetDisabled handles POST /admin/users/:id/disable and
// /admin/users/:id/enable. Disabling ends the account's sessions and
// personal access tokens at once.
func (s *Server) handleSetDisabled(disabled bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := IDParam(c, "id")
		if err == nil {
			err = s.Auth.SetUserDisabled(c.Request.Context(), currentUser(c), id, disabled)
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		msg := "flash.user_enabled"
		if disabled {
			msg = "flash.user_disabled"
		}
		s.redirectWithFlash(c, "/admin/users", msg)
	}
}

// handleOutbox handles GET /admin/outbox (audited: auth.AuditMailList):
// mail the platform sent or, without SMTP, would have sent (password
// resets among them).
func (s *Server) handleOutbox(c *gin.Context) {
	ms, err := s.Auth.ListMail(c.Request.Context(), currentUser(c), 100)
	if err != nil {
		s.fail(c, err)
		return
	}
	// Stored copies hold no reset link; in development without SMTP the
	// page shows the real text kept in memory, so a developer can follow it.
	if s.Auth.DevOutbox != nil && s.Config.Dev {
		s.Auth.DevOutbox.Reveal(ms)
	}
	s.render(c, http.StatusOK, "admin/outbox", gin.H{"Mail": ms})
}

// handleUsers handles GET /admin/users (audited: auth.AuditUserList): the
// accounts, and the form that invites a coordinator or an admin.
func (s *Server) handleUsers(c *gin.Context) {
	us, err := s.Auth.ListUsers(c.Request.Context(), currentUser(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	pg := s.page(c, gin.H{"Users": us, "StaffRoles": staffRoles})
	pg.Form["locale"] = s.printer(c).Lang
	pg.Form["role"] = string(tsunagu.RoleCoordinator)
	s.renderPage(c, http.StatusOK, "admin/users", pg)
}

var staffRoles = []tsunagu.Role{tsunagu.RoleCoordinator, tsunagu.RoleAdmin}

// handleInviteStaff handles POST /admin/users/invite {email, role,
// locale}: mails a link to open a coordinator's or an admin's account.
func (s *Server) handleInviteStaff(c *gin.Context) {
	locale := c.PostForm("locale")
	if !slices.Contains(i18n.Candidate, locale) {
		locale = s.printer(c).Lang
	}
	_, err := s.Auth.InviteStaff(c.Request.Context(), currentUser(c), c.PostForm("email"), tsunagu.Role(c.PostForm("role")), locale, s.mailText("staff_invite"))
	if tsunagu.ErrorCode(err) == tsunagu.EINVALID {
		us, lerr := s.Auth.ListUsers(c.Request.Context(), currentUser(c))
		if lerr != nil {
			s.fail(c, lerr)
			return
		}
		s.renderForm(c, "admin/users", gin.H{"Users": us, "StaffRoles": staffRoles}, err)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.redirectWithFlash(c, "/admin/users", "flash.staff_invited")
}

// handleAudit handles GET /admin/audit?person=&actor=&from=&to=: who
// read or changed what, filtered by the candidate it names (person), who
// did it (actor) and when (from, to: dates). A value that is no id or date
// answers 422 with the field's error and no rows.
func (s *Server) handleAudit(c *gin.Context) {
	q, err := auditQuery(c)
	if err != nil {
		s.renderForm(c, "admin/audit", gin.H{"Entries": nil}, err)
		return
	}
	es, err := s.DB.SearchAudit(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin/audit", gin.H{"Entries": es})
}
