package http

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Invitations: a coordinator invites the person behind a profile without
// an account (by e-mail, or a link to hand over), a company admin invites
// a colleague; following the link once sets a password and claims the
// profile or joins the company. Links are single-use, expire after
// tsunagu.InvitationTTL, and are stored, mailed copies included, only as
// hashes; the log names the route, never the link.

func (s *Server) registerInvitations(r *gin.Engine) {
	r.GET("/invitations/:token", s.handleInvitationForm)
	r.POST("/invitations/:token", s.handleInvitationAccept)
	co := r.Group("/coordinator/candidates/:id/invite", s.require(tsunagu.ActCoordinatorArea))
	co.GET("", s.handleInviteCandidateForm)
	co.POST("", s.handleInviteCandidate)
	r.GET("/companies/:id/invitations/new", s.signedIn(), s.handleInviteMemberForm)
	r.POST("/companies/:id/invitations", s.signedIn(), s.handleInviteMember)
}

// mailText returns the message id's subject and body in a language.
func (s *Server) mailText(id string) auth.MailText {
	return func(lang string) (string, string) {
		p := s.printerFor(lang)
		return p.T("mail." + id + ".subject"), p.T("mail." + id + ".body")
	}
}

// handleInvitationForm handles GET /invitations/:token: the form that sets
// a password, or why the link no longer works.
func (s *Server) handleInvitationForm(c *gin.Context) {
	inv, err := s.Auth.Invitation(c.Request.Context(), c.Param("token"))
	if err != nil && tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		s.fail(c, err)
		return
	}
	s.inviteeLanguage(c, inv)
	pg := s.page(c, s.invitationData(c, inv))
	status := http.StatusOK
	if inv == nil {
		status = http.StatusNotFound
		pg.Errors["token"] = pg.T("error.invitation_invalid")
	}
	s.renderPage(c, status, "auth/invitation", pg)
}

// inviteeLanguage shows an invitation's page in the language it was sent
// in (the person's, as the one who invited them set it), not the browser's,
// unless the visitor is signed in or chose a language with the switch. The
// account it opens keeps the page's language.
func (s *Server) inviteeLanguage(c *gin.Context, inv *tsunagu.Invitation) {
	if inv == nil || currentUser(c) != nil || !slices.Contains(i18n.Candidate, inv.Locale) {
		return
	}
	if _, err := c.Cookie(langCookie); err == nil {
		return
	}
	c.Set(ctxPrinter, s.printerFor(inv.Locale))
}

// invitationData is what the invitation page shows: the token (in the
// form's action), the address the account gets, and for a candidate the
// name on the profile being claimed.
func (s *Server) invitationData(c *gin.Context, inv *tsunagu.Invitation) gin.H {
	d := gin.H{"Token": c.Param("token"), "Invitation": inv}
	if inv != nil && inv.CandidateID != nil {
		if cand, err := s.DB.CandidateByID(c.Request.Context(), *inv.CandidateID); err == nil {
			d["Name"] = cand.Name
		}
	}
	if inv != nil && inv.CompanyID != nil {
		if co, err := s.DB.CompanyByID(c.Request.Context(), *inv.CompanyID); err == nil {
			d["Company"] = co.Name
		}
	}
	return d
}

// handleInvitationAccept handles POST /invitations/:token: creates the
// account, signs it in and goes home (a candidate to their profile).
func (s *Server) handleInvitationAccept(c *gin.Context) {
	ctx := c.Request.Context()
	token := c.Param("token")
	inv, _ := s.Auth.Invitation(ctx, token)
	s.inviteeLanguage(c, inv)
	data := s.invitationData(c, inv)
	if c.PostForm("password") != c.PostForm("password_confirm") {
		s.renderForm(c, "auth/invitation", data, &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input",
			Fields: map[string]tsunagu.FieldError{"password_confirm": {ID: "error.password_mismatch"}}})
		return
	}
	u, err := s.Auth.AcceptInvitation(ctx, token, auth.Accept{
		DisplayName: c.PostForm("display_name"), Email: c.PostForm("email"),
		Password: c.PostForm("password"), Locale: s.printer(c).Lang,
	})
	if err != nil {
		s.renderForm(c, "auth/invitation", data, err)
		return
	}
	if old, ok := c.Get(ctxSessTok); ok {
		s.Auth.SignOut(ctx, old.(string))
	}
	tok, _, err := s.Auth.NewSession(ctx, u.ID, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.setSessionCookie(c, tok)
	s.redirectWithFlash(c, HomePath(u.Role), "flash.invitation_accepted")
}

// inviteCandidateData is what the coordinator's invitation page shows.
func (s *Server) inviteCandidateData(c *gin.Context) (gin.H, error) {
	id, err := IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	cand, err := s.DB.CandidateByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	return gin.H{"Candidate": cand}, nil
}

// handleInviteCandidateForm handles GET /coordinator/candidates/:id/invite.
func (s *Server) handleInviteCandidateForm(c *gin.Context) {
	d, err := s.inviteCandidateData(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "auth/invite_candidate", d)
}

// handleInviteCandidate handles POST /coordinator/candidates/:id/invite
// (how=email mails the link in the candidate's language; how=link shows
// it once, to hand over or send by a messaging app).
func (s *Server) handleInviteCandidate(c *gin.Context) {
	d, err := s.inviteCandidateData(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	cand := d["Candidate"].(*tsunagu.Candidate)
	var text auth.MailText
	switch c.PostForm("how") {
	case "email":
		text = s.mailText("invite")
	case "link":
	default:
		s.renderForm(c, "auth/invite_candidate", d, &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input",
			Fields: map[string]tsunagu.FieldError{"how": {ID: "error.choice"}}})
		return
	}
	link, _, err := s.Auth.InviteCandidate(c.Request.Context(), currentUser(c), cand.ID, text)
	if err != nil {
		s.renderForm(c, "auth/invite_candidate", d, err)
		return
	}
	if text != nil {
		s.redirectWithFlash(c, c.Request.URL.Path, "flash.invitation_sent")
		return
	}
	d["Link"] = link
	s.render(c, http.StatusCreated, "auth/invite_candidate", d)
}

// memberInviteData is what the member invitation page shows.
func (s *Server) memberInviteData(c *gin.Context) (gin.H, error) {
	id, err := IDParam(c, "id")
	if err != nil {
		return nil, err
	}
	co, err := s.DB.CompanyByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	return gin.H{"Company": co}, nil
}

// handleInviteMemberForm handles GET /companies/:id/invitations/new
// (staff and the company's admins).
func (s *Server) handleInviteMemberForm(c *gin.Context) {
	d, err := s.memberInviteData(c)
	if err == nil {
		err = s.Auth.CanManageMembers(c.Request.Context(), currentUser(c), d["Company"].(*tsunagu.Company).ID)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	pg := s.page(c, d)
	pg.Form["locale"] = s.printer(c).Lang
	s.renderPage(c, http.StatusOK, "auth/invite_member", pg)
}

// handleInviteMember handles POST /companies/:id/invitations {email,
// locale}: mails the colleague a link to join.
func (s *Server) handleInviteMember(c *gin.Context) {
	d, err := s.memberInviteData(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	co := d["Company"].(*tsunagu.Company)
	locale := c.PostForm("locale")
	if !slices.Contains(i18n.Candidate, locale) {
		locale = s.printer(c).Lang
	}
	_, err = s.Auth.InviteMember(c.Request.Context(), currentUser(c), co.ID, c.PostForm("email"), locale, s.mailText("member_invite"))
	if err != nil {
		if e := tsunagu.AsError(err); e != nil && e.Code == tsunagu.EFORBIDDEN {
			s.fail(c, err)
			return
		}
		s.renderForm(c, "auth/invite_member", d, err)
		return
	}
	s.redirectWithFlash(c, "/companies/"+c.Param("id"), "flash.member_invited")
}
