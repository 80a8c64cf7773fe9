package http

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (s *Server) registerPages(r *gin.Engine, api *gin.RouterGroup) {
	r.GET("/", s.handleIndex)
	r.GET("/about", s.handleAbout)
	r.POST("/lang", s.handleSetLanguage)
	r.GET("/me", s.require(tsunagu.ActCandidateArea), s.handleHome("home/candidate"))
	r.GET("/company", s.require(tsunagu.ActCompanyArea), s.handleHome("home/company"))
	r.GET("/coordinator", s.require(tsunagu.ActCoordinatorArea), s.handleHome("home/coordinator"))
	r.GET("/admin", s.require(tsunagu.ActAdminArea), s.handleHome("home/admin"))
	api.GET("/me", s.signedIn(), s.handleAPIMe)
}

// HomePath returns the home page of a role.
func HomePath(r tsunagu.Role) string {
	switch r {
	case tsunagu.RoleCandidate:
		return "/me"
	case tsunagu.RoleCompany:
		return "/company"
	case tsunagu.RoleCoordinator:
		return "/coordinator"
	case tsunagu.RoleAdmin:
		return "/admin"
	}
	return "/"
}

// handleIndex handles GET /: the landing page, or the user's home.
func (s *Server) handleIndex(c *gin.Context) {
	if u := currentUser(c); u != nil {
		c.Redirect(http.StatusSeeOther, HomePath(u.Role))
		return
	}
	s.render(c, http.StatusOK, "index", nil)
}

// handleAbout handles GET /about, with the ESCO and O*NET attribution.
func (s *Server) handleAbout(c *gin.Context) {
	s.render(c, http.StatusOK, "about", nil)
}

// HomeWidget lets a feature add to a role's home page (Router.HomeWidget):
// it returns the name the home template reads its data under, and the data
// (nil for nothing to show). An error fails the page.
type HomeWidget func(c *gin.Context) (name string, data any, err error)

// handleHome renders a role's home page with its widgets' data.
func (s *Server) handleHome(name string) gin.HandlerFunc {
	return func(c *gin.Context) {
		data := map[string]any{}
		if u := currentUser(c); u != nil {
			for _, w := range s.widgets[u.Role] {
				k, v, err := w(c)
				if err != nil {
					s.fail(c, err)
					return
				}
				if v != nil {
					data[k] = v
				}
			}
		}
		s.render(c, http.StatusOK, name, data)
	}
}

// handleSetLanguage handles POST /lang: switches the interface language,
// remembered on the account for users and in a cookie for visitors.
func (s *Server) handleSetLanguage(c *gin.Context) {
	lang := c.PostForm("lang")
	if !i18n.Supported(lang) {
		s.fail(c, &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.invalid_input",
			Fields: map[string]tsunagu.FieldError{"lang": {ID: "error.choice"}}})
		return
	}
	if u := currentUser(c); u != nil {
		if u.Role != tsunagu.RoleCandidate && lang != "ja" && lang != "en" {
			lang = "en"
		}
		if err := s.Auth.SetLocale(c.Request.Context(), u, lang); err != nil {
			s.fail(c, err)
			return
		}
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode})
	c.Redirect(http.StatusSeeOther, safeNext(c.PostForm("next"), "/"))
}

// handleAPIMe handles GET /api/v1/me: the signed-in user.
func (s *Server) handleAPIMe(c *gin.Context) {
	c.JSON(http.StatusOK, currentUser(c))
}
