package http

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

const (
	ctxRequestID = "request_id"
	ctxUser      = "user"
	ctxSession   = "session"
	ctxSessTok   = "session_token"
	ctxPrinter   = "printer"
	ctxCSRF      = "csrf"
	ctxViaToken  = "via_token"

	sessionCookie = "tsunagu_session"
	langCookie    = "tsunagu_lang"
	csrfCookie    = "tsunagu_csrf"
	csrfField     = "csrf_token"
	csrfHeader    = "X-CSRF-Token"
)

func (s *Server) requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-ID")
		if id == "" || len(id) > 64 {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Set(ctxRequestID, id)
		c.Header("X-Request-ID", id)
		c.Next()
	}
}

func (s *Server) logRequests() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		if c.Request.URL.Path == "/healthz" || strings.HasPrefix(c.Request.URL.Path, "/static/") {
			return
		}
		level, lv := s.Log.Debug, slog.LevelDebug
		if c.Writer.Status() >= 500 {
			level, lv = s.Log.Error, slog.LevelError
		}
		if !s.Log.Enabled(c.Request.Context(), lv) {
			return // spare building the attributes of a line nobody writes
		}
		path := c.Request.URL.Path
		if c.Param("token") != "" {
			// A reset or invitation link: log the route, never the secret.
			path = c.FullPath()
		}
		level("request", "request_id", c.GetString(ctxRequestID), "method", c.Request.Method,
			"path", path, "status", c.Writer.Status(), "duration", time.Since(start))
	}
}

func (s *Server) recoverPanics() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				s.fail(c, fmt.Errorf("panic: %v", r))
			}
		}()
		c.Next()
	}
}

func (s *Server) securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'")
		if !s.Config.Dev {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		// Pages and API answers may carry personal data (and every page a
		// CSRF token): no cache, shared or private, keeps them. Only the
		// static assets are cacheable.
		if !strings.HasPrefix(c.Request.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		c.Next()
	}
}

// MetricsAuth guards /metrics: with TSUNAGU_METRICS_TOKEN set, only a
// request bearing that token reads it; without one, only in development.
// Anyone else gets 404, as if there were no such page.
func (s *Server) MetricsAuth() gin.HandlerFunc {
	return func(c *gin.Context) {
		want := s.Config.MetricsToken
		if want == "" {
			if !s.Config.Dev {
				s.fail(c, errNotFound)
				return
			}
			c.Next()
			return
		}
		got, _ := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			s.fail(c, errNotFound)
			return
		}
		c.Next()
	}
}

// loadSession finds the signed-in user from the session cookie.
func (s *Server) loadSession() gin.HandlerFunc {
	return func(c *gin.Context) {
		if p := c.Request.URL.Path; strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz" {
			c.Next() // no session needed (nor a database to read it from)
			return
		}
		if tok, err := c.Cookie(sessionCookie); err == nil && tok != "" {
			u, sess, err := s.Auth.Authenticate(c.Request.Context(), tok)
			switch {
			case err == nil:
				s.setUser(c, u)
				c.Set(ctxSession, sess)
				c.Set(ctxSessTok, tok)
			case tsunagu.ErrorCode(err) == tsunagu.EUNAUTHORIZED:
				s.clearSessionCookie(c)
			default:
				s.fail(c, err)
				return
			}
		}
		c.Next()
	}
}

func (s *Server) setUser(c *gin.Context, u *tsunagu.User) {
	c.Set(ctxUser, u)
	c.Request = c.Request.WithContext(tsunagu.NewContextWithUser(c.Request.Context(), u))
}

// viaToken returns the personal access token the request came with, or nil
// (a browser session).
func viaToken(c *gin.Context) *tsunagu.APIToken {
	t, _ := c.Get(ctxViaToken)
	tok, _ := t.(*tsunagu.APIToken)
	return tok
}

// currentUser returns the signed-in user or nil.
func currentUser(c *gin.Context) *tsunagu.User {
	u, _ := c.Get(ctxUser)
	user, _ := u.(*tsunagu.User)
	return user
}

// CurrentUser is currentUser for feature packages.
func CurrentUser(c *gin.Context) *tsunagu.User { return currentUser(c) }

func (s *Server) setSessionCookie(c *gin.Context, token string) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode,
		MaxAge: int(s.Config.SessionTTL.Seconds()),
	})
}

func (s *Server) clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode})
}

func (s *Server) secureCookies() bool {
	return !s.Config.Dev || strings.HasPrefix(s.Config.BaseURL, "https://")
}

// locale picks the interface language: ?lang= (remembered), the user's
// setting, the language cookie, then Accept-Language.
func (s *Server) locale() gin.HandlerFunc {
	return func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/static/") {
			c.Next()
			return
		}
		u := currentUser(c)
		allowed := i18n.Candidate
		if u != nil && u.Role != tsunagu.RoleCandidate {
			allowed = i18n.Primary
		}
		ok := func(l string) bool {
			for _, a := range allowed {
				if a == l {
					return true
				}
			}
			return false
		}
		lang := ""
		if u != nil && ok(u.Locale) {
			lang = u.Locale
		} else if l, err := c.Cookie(langCookie); err == nil && ok(l) {
			lang = l
		} else {
			lang = i18n.Negotiate(c.GetHeader("Accept-Language"), allowed)
		}
		c.Set(ctxPrinter, s.printerFor(lang))
		c.Next()
	}
}

// printerFor returns the Printer of lang, built once at start.
func (s *Server) printerFor(lang string) *i18n.Printer {
	if p, ok := s.printers[lang]; ok {
		return p
	}
	return s.i18n.Printer(lang)
}

func (s *Server) printer(c *gin.Context) *i18n.Printer {
	if p, ok := c.Get(ctxPrinter); ok {
		return p.(*i18n.Printer)
	}
	return s.printerFor(i18n.Negotiate(c.GetHeader("Accept-Language"), i18n.Primary))
}

// Printer returns the request's translator, for feature packages.
func (s *Server) Printer(c *gin.Context) *i18n.Printer { return s.printer(c) }

// PrinterIn returns a Printer for lang, one of the supported languages
// (a file offered in a language other than the page's).
func (s *Server) PrinterIn(lang string) *i18n.Printer { return s.i18n.Printer(lang) }

// csrf issues a token to every page and checks it on every state-changing
// request that a browser session makes. Signed-in users carry the token of
// their session; visitors a random token in a cookie, signed with the
// secret (double submit). API calls with a bearer token need none.
func (s *Server) csrf() gin.HandlerFunc {
	return func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/static/") {
			c.Next()
			return
		}
		var want string
		if sess, ok := c.Get(ctxSession); ok {
			want = sess.(*tsunagu.Session).CSRFToken
		} else {
			raw, err := c.Cookie(csrfCookie)
			if err != nil || !s.validVisitorToken(raw) {
				raw = s.newVisitorToken()
				http.SetCookie(c.Writer, &http.Cookie{Name: csrfCookie, Value: raw, Path: "/", HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode})
			}
			want = raw
		}
		c.Set(ctxCSRF, want)
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			c.Next()
			return
		}
		if strings.HasPrefix(c.Request.URL.Path, "/api/") && strings.HasPrefix(c.GetHeader("Authorization"), "Bearer ") {
			c.Next()
			return
		}
		got := c.GetHeader(csrfHeader)
		if got == "" {
			got = c.PostForm(csrfField)
		}
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			s.fail(c, errBadCSRF)
			return
		}
		c.Next()
	}
}

func (s *Server) newVisitorToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	n := hex.EncodeToString(b)
	return n + "." + s.sign(n)
}

func (s *Server) validVisitorToken(t string) bool {
	n, sig, ok := strings.Cut(t, ".")
	return ok && hmac.Equal([]byte(sig), []byte(s.sign(n)))
}

func (s *Server) sign(v string) string {
	m := hmac.New(sha256.New, []byte(s.Config.Secret))
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

func csrfToken(c *gin.Context) string { return c.GetString(ctxCSRF) }

// require lets the request through only when the user may use the area;
// visitors are sent to sign in, others get 403 for an area of another role.
func (s *Server) require(act tsunagu.Action) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil {
			s.fail(c, errSignInFirst)
			return
		}
		if !tsunagu.Can(u, act, tsunagu.Subject{}) {
			s.fail(c, errForbidden)
			return
		}
		c.Next()
	}
}

// Require is require for feature packages.
func (s *Server) Require(act tsunagu.Action) gin.HandlerFunc { return s.require(act) }

// signedIn lets any signed-in user through.
func (s *Server) signedIn() gin.HandlerFunc {
	return func(c *gin.Context) {
		if currentUser(c) == nil {
			s.fail(c, errSignInFirst)
			return
		}
		c.Next()
	}
}

// apiAuth accepts a personal access token (Authorization: Bearer tsu_...)
// in place of the session cookie.
func (s *Server) apiAuth() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.GetHeader("Authorization")
		if h == "" {
			c.Next()
			return
		}
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || !strings.HasPrefix(tok, "tsu_") {
			s.fail(c, tsunagu.Errorf(tsunagu.EUNAUTHORIZED, "error.bad_token"))
			return
		}
		u, t, err := s.Auth.AuthenticateToken(c.Request.Context(), strings.TrimPrefix(tok, "tsu_"))
		if err != nil {
			s.fail(c, err)
			return
		}
		// A read-only token answers reads only, whatever its owner may do.
		if t.Scope != tsunagu.ScopeReadWrite {
			switch c.Request.Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
			default:
				s.fail(c, tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.token_read_only"))
				return
			}
		}
		s.setUser(c, u)
		c.Set(ctxViaToken, t)
		c.Next()
	}
}
