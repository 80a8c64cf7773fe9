package http

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Personal access tokens: a name, a scope (read: GET only; read_write),
// an expiry; listed and revoked by their owner. Tokens are managed from a
// browser session only: a token can neither mint nor revoke tokens.

// tokenIn is the body of POST /api/v1/tokens.
type tokenIn struct {
	Name          string `json:"name" validate:"required,max=100"`
	Scope         string `json:"scope" validate:"omitempty,oneof=read read_write"`
	ExpiresInDays int    `json:"expires_in_days" validate:"omitempty,oneof=7 30 90 365"`
}

// TokenCreated is the answer of POST /api/v1/tokens: the token, shown
// once, and what is stored about it.
type TokenCreated struct {
	Token string            `json:"token" validate:"required"`
	Item  *tsunagu.APIToken `json:"item" validate:"required"`
}

func init() {
	DocumentAPI(
		APIOp{Method: "GET", Path: "/tokens", ID: "listTokens", Summary: "The caller's personal access tokens (never their secrets), newest first", Tag: "accounts",
			Response: Items[tsunagu.APIToken]{}},
		APIOp{Method: "POST", Path: "/tokens", ID: "createToken", Summary: "Create a personal access token, shown once (browser session only: 403 with a token). scope read (default) answers GET only; expires_in_days 7, 30 (default), 90 or 365", Tag: "accounts", Status: 201,
			Request: tokenIn{}, Response: TokenCreated{}},
		APIOp{Method: "DELETE", Path: "/tokens/:id", ID: "revokeToken", Summary: "Revoke one of the caller's tokens at once (browser session only)", Tag: "accounts", Status: 204},
	)
}

func (s *Server) registerTokens(r *gin.Engine, api *gin.RouterGroup) {
	r.GET("/account/tokens", s.signedIn(), s.handleTokensPage)
	r.POST("/account/tokens", s.signedIn(), s.handleCreateTokenForm)
	r.POST("/account/tokens/:id/revoke", s.signedIn(), s.handleRevokeTokenForm)
	api.GET("/tokens", s.signedIn(), s.JSON(http.StatusOK, func(c *gin.Context) (any, error) {
		ts, err := s.Auth.ListAPITokens(c.Request.Context(), currentUser(c))
		if err != nil {
			return nil, err
		}
		if ts == nil {
			ts = []tsunagu.APIToken{}
		}
		return Items[tsunagu.APIToken]{Items: ts}, nil
	}))
	api.POST("/tokens", s.signedIn(), s.handleAPICreateToken)
	api.DELETE("/tokens/:id", s.signedIn(), s.Done(http.StatusNoContent, func(c *gin.Context) error {
		id, err := IDParam(c, "id")
		if err != nil {
			return err
		}
		return s.Auth.RevokeAPIToken(c.Request.Context(), currentUser(c), viaToken(c), id)
	}))
}

// tokensData is what the tokens page shows: the list, and a new secret
// once.
func (s *Server) tokensData(c *gin.Context, secret string) (gin.H, error) {
	ts, err := s.Auth.ListAPITokens(c.Request.Context(), currentUser(c))
	if err != nil {
		return nil, err
	}
	return gin.H{"Tokens": ts, "Token": secret, "Lifetimes": tsunagu.TokenLifetimes, "Now": s.Auth.Now()}, nil
}

// handleTokensPage handles GET /account/tokens: the caller's tokens and
// the form to create one.
func (s *Server) handleTokensPage(c *gin.Context) {
	d, err := s.tokensData(c, "")
	if err != nil {
		s.fail(c, err)
		return
	}
	pg := s.page(c, d)
	pg.Form["scope"] = string(tsunagu.ScopeRead)
	pg.Form["expires_in_days"] = "30"
	s.renderPage(c, http.StatusOK, "auth/tokens", pg)
}

// handleCreateTokenForm handles POST /account/tokens: shows the new token once.
func (s *Server) handleCreateTokenForm(c *gin.Context) {
	secret, _, err := s.Auth.CreateAPIToken(c.Request.Context(), currentUser(c), viaToken(c), auth.TokenRequest{
		Name: c.PostForm("name"), Scope: c.PostForm("scope"), ExpiresInDays: c.PostForm("expires_in_days"),
	})
	d, lerr := s.tokensData(c, secret)
	if lerr != nil {
		s.fail(c, lerr)
		return
	}
	if err != nil {
		s.renderForm(c, "auth/tokens", d, err)
		return
	}
	pg := s.page(c, d)
	pg.Form["scope"] = string(tsunagu.ScopeRead)
	pg.Form["expires_in_days"] = "30"
	s.renderPage(c, http.StatusCreated, "auth/tokens", pg)
}

// handleRevokeTokenForm handles POST /account/tokens/:id/revoke.
func (s *Server) handleRevokeTokenForm(c *gin.Context) {
	id, err := IDParam(c, "id")
	if err == nil {
		err = s.Auth.RevokeAPIToken(c.Request.Context(), currentUser(c), viaToken(c), id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.redirectWithFlash(c, "/account/tokens", "flash.token_revoked")
}

// handleAPICreateToken handles POST /api/v1/tokens {"name", "scope",
// "expires_in_days"}: a personal access token, shown once.
func (s *Server) handleAPICreateToken(c *gin.Context) {
	var in tokenIn
	if !s.BindJSON(c, &in) {
		return
	}
	req := auth.TokenRequest{Name: in.Name, Scope: in.Scope}
	if in.ExpiresInDays != 0 {
		req.ExpiresInDays = strconv.Itoa(in.ExpiresInDays)
	}
	secret, t, err := s.Auth.CreateAPIToken(c.Request.Context(), currentUser(c), viaToken(c), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, TokenCreated{Token: secret, Item: t})
}
