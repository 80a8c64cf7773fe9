package http

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (s *Server) registerAuth(r *gin.Engine, api *gin.RouterGroup) {
	r.GET("/signup", s.handleSignUpForm)
	r.POST("/signup", s.handleSignUp)
	r.GET("/signin", s.handleSignInForm)
	r.POST("/signin", s.handleSignIn)
	r.POST("/signout", s.handleSignOut)
	r.GET("/password/forgot", s.handleForgotForm)
	r.POST("/password/forgot", s.handleForgot)
	r.GET("/password/reset/:token", s.handleResetForm)
	r.POST("/password/reset/:token", s.handleReset)
	s.registerTokens(r, api)
	s.registerInvitations(r)
}

// handleSignUpForm handles GET /signup.
func (s *Server) handleSignUpForm(c *gin.Context) {
	pg := s.page(c, nil)
	pg.Form["role"] = c.DefaultQuery("role", "candidate")
	s.renderPage(c, http.StatusOK, "auth/signup", pg)
}

// handleSignUp handles POST /signup: a candidate or company account, then
// signed in.
func (s *Server) handleSignUp(c *gin.Context) {
	in := auth.SignUp{
		Email:       c.PostForm("email"),
		DisplayName: c.PostForm("display_name"),
		Password:    c.PostForm("password"),
		Role:        tsunagu.Role(c.PostForm("role")),
		Locale:      s.printer(c).Lang,
		CompanyName: c.PostForm("company_name"),
		ClaimMail:   s.mailText("claim"),
	}
	if c.PostForm("password") != c.PostForm("password_confirm") {
		s.renderForm(c, "auth/signup", nil, &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input",
			Fields: map[string]tsunagu.FieldError{"password_confirm": {ID: "error.password_mismatch"}}})
		return
	}
	u, err := s.Auth.Register(c.Request.Context(), in, false)
	if errors.Is(err, auth.ErrClaimMailed) {
		// The address belongs to a profile the programme entered: the
		// mailed link proves it and claims that profile.
		s.redirectWithFlash(c, "/signin", "flash.claim_sent")
		return
	}
	if err != nil {
		s.renderForm(c, "auth/signup", nil, err)
		return
	}
	token, _, err := s.Auth.NewSession(c.Request.Context(), u.ID, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.setSessionCookie(c, token)
	s.redirectWithFlash(c, HomePath(u.Role), "flash.welcome")
}

// handleSignInForm handles GET /signin.
func (s *Server) handleSignInForm(c *gin.Context) {
	if u := currentUser(c); u != nil {
		c.Redirect(http.StatusSeeOther, HomePath(u.Role))
		return
	}
	pg := s.page(c, nil)
	pg.Form["next"] = c.Query("next")
	s.renderPage(c, http.StatusOK, "auth/signin", pg)
}

// handleSignIn handles POST /signin. The old session, if any, ends: a new
// token is issued at every sign-in.
func (s *Server) handleSignIn(c *gin.Context) {
	email, password := c.PostForm("email"), c.PostForm("password")
	var v tsunagu.Validation
	if strings.TrimSpace(email) == "" {
		v.Add("email", "error.required", nil)
	}
	if password == "" {
		v.Add("password", "error.required", nil)
	}
	if err := v.Err(); err != nil {
		s.renderForm(c, "auth/signin", nil, err)
		return
	}
	if old, ok := c.Get(ctxSessTok); ok {
		s.Auth.SignOut(c.Request.Context(), old.(string))
	}
	u, token, _, err := s.Auth.SignIn(c.Request.Context(), email, password, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		s.renderForm(c, "auth/signin", nil, err)
		return
	}
	s.setSessionCookie(c, token)
	if u.Locale != "" {
		http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: u.Locale, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode})
	}
	c.Redirect(http.StatusSeeOther, safeNext(c.PostForm("next"), HomePath(u.Role)))
}

// handleSignOut handles POST /signout.
func (s *Server) handleSignOut(c *gin.Context) {
	if tok, ok := c.Get(ctxSessTok); ok {
		if err := s.Auth.SignOut(c.Request.Context(), tok.(string)); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.clearSessionCookie(c)
	s.redirectWithFlash(c, "/", "flash.signed_out")
}

// handleForgotForm handles GET /password/forgot.
func (s *Server) handleForgotForm(c *gin.Context) {
	s.render(c, http.StatusOK, "auth/forgot", nil)
}

// handleForgot handles POST /password/forgot. The answer is the same whether
// or not the account exists.
func (s *Server) handleForgot(c *gin.Context) {
	email := strings.TrimSpace(c.PostForm("email"))
	if email == "" {
		s.renderForm(c, "auth/forgot", nil, &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input",
			Fields: map[string]tsunagu.FieldError{"email": {ID: "error.required"}}})
		return
	}
	p := s.printer(c)
	if err := s.Auth.RequestPasswordReset(c.Request.Context(), email, c.ClientIP(), p.T("mail.reset.subject"), p.T("mail.reset.body")); err != nil {
		s.renderForm(c, "auth/forgot", nil, err)
		return
	}
	s.redirectWithFlash(c, "/signin", "flash.reset_sent")
}

// handleResetForm handles GET /password/reset/:token.
func (s *Server) handleResetForm(c *gin.Context) {
	s.render(c, http.StatusOK, "auth/reset", gin.H{"Token": c.Param("token")})
}

// handleReset handles POST /password/reset/:token.
func (s *Server) handleReset(c *gin.Context) {
	token := c.Param("token")
	if c.PostForm("password") != c.PostForm("password_confirm") {
		s.renderForm(c, "auth/reset", gin.H{"Token": token}, &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input",
			Fields: map[string]tsunagu.FieldError{"password_confirm": {ID: "error.password_mismatch"}}})
		return
	}
	if err := s.Auth.ResetPassword(c.Request.Context(), token, c.PostForm("password")); err != nil {
		s.renderForm(c, "auth/reset", gin.H{"Token": token}, err)
		return
	}
	s.redirectWithFlash(c, "/signin", "flash.password_changed")
}

// SignedIn lets any signed-in user through (the service checks the rest);
// visitors get 401, or are sent to sign in on a page.
func (s *Server) SignedIn() gin.HandlerFunc { return s.signedIn() }

// ClearSessionCookie signs the browser out (after its account is erased).
func (s *Server) ClearSessionCookie(c *gin.Context) { s.clearSessionCookie(c) }
