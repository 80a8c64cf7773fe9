// Package http is the web kit: the Gin server, its middleware (request id,
// logging, edge limits, sessions, locale, CSRF), the one error responder,
// rendering, the bounded JSON binder, id and paging parameters, the
// (value, error) adapters, health, the OpenAPI document, sign-in and admin.
// It knows no feature: each feature's <feature>http package registers its
// pages and API through a Router (Deps.Routes, built in internal/app), adds
// to role home pages with Router.HomeWidget, and to the outcomes page with an
// OutcomeSource.
//
// Conventions (every feature's HTTP package follows them):
//   - One file per resource, named after it (candidate_page.go,
//     candidate_api.go, candidate_form.go).
//   - Handlers read the same way: parse → validate → call the service →
//     return (value, error); Server.JSON, Server.HTML and Server.Done turn
//     that into the response, every error through the one responder, which
//     answers HTML or JSON (paths under /api/) with the status of the error
//     code (see error.go). Never write c.JSON(500, ...) by hand. JSON bodies
//     are read through BindJSON (at most 1 MiB); ids through IDParam,
//     FindByID, ByID or ActOnID.
//   - Pages: Server.Render(c, http.StatusOK, "candidate/edit", data) renders
//     web/templates/candidate/edit.html inside layout.html. Templates get a
//     *Page as dot: {{$.T "message.id"}} translates; .Data is yours; .Form
//     keeps what the user typed; {{template "field_error" ($.FieldError "email")}}
//     shows a field's error. Forms include {{template "csrf" $}}.
//   - Access: wrap routes in Server.Require(tsunagu.ActXxx) for an area;
//     check a record in the service layer (tsunagu.Can). Answer ENOTFOUND,
//     not EFORBIDDEN, when revealing existence would leak.
//   - JSON API under /api/v1 (Router.API); errors are
//     {"error": {"code", "message", "fields": {"name": "message"}}}; every
//     route appears in the OpenAPI document (a test compares them).
//   - Strings come from web/locales/<area>.<lang>.json; none in templates.
package http

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/config"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
	"github.com/tsunagu-org/tsunagu/web"
)

// Checker reports whether a dependency is reachable, for /readyz.
type Checker func(ctx context.Context) error

// Deps are the services the web layer calls. Later features add fields.
type Deps struct {
	Config config.Config
	DB     *postgres.DB
	Auth   *auth.Service
	// Ready names the checks behind /readyz ("postgres", "redis", "index").
	Ready map[string]Checker
	// Routes lets features outside this package register routes.
	Routes []func(r *Router)
	// Middleware runs on every request after the built-in middleware and
	// before any route (metrics, for one).
	Middleware []gin.HandlerFunc
	Log        *slog.Logger
}

// Server is the web server.
type Server struct {
	Deps
	i18n      *i18n.Bundle
	printers  map[string]*i18n.Printer // by language, built once
	messages  map[string]*messages     // by language, built once
	templates map[string]*template.Template
	engine    *gin.Engine
	http      *http.Server
	ln        net.Listener
	// widgets add data to a role's home page (Router.HomeWidget).
	widgets map[tsunagu.Role][]HomeWidget
}

// New builds the server and its routes.
func New(d Deps) (*Server, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	b, err := i18n.Load(web.Locales)
	if err != nil {
		return nil, err
	}
	s := &Server{Deps: d, i18n: b, printers: map[string]*i18n.Printer{}, messages: map[string]*messages{}}
	for _, l := range i18n.Candidate {
		s.printers[l] = b.Printer(l)
		s.messages[l] = newMessages(b, s.printers[l])
	}
	if err := s.loadTemplates(); err != nil {
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = false
	r.ContextWithFallback = true
	// X-Forwarded-For is believed only from the configured proxies (none by
	// default): c.ClientIP() is then the address sessions, sign-in
	// attempts and limits record.
	if err := r.SetTrustedProxies(d.Config.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	r.Use(s.requestID(), s.logRequests(), s.recoverPanics(), s.securityHeaders(), s.limitBody(), s.loadSession(), s.locale(), s.checkInput(), s.csrf())
	r.Use(d.Middleware...)
	api := r.Group("/api/v1", s.apiAuth())
	s.routes(r, api)
	for _, f := range d.Routes {
		f(&Router{Engine: r, API: api, Server: s})
	}
	r.NoRoute(func(c *gin.Context) { s.fail(c, errNotFound) })
	s.engine = r
	return s, nil
}

// Router is what a feature outside this package gets to register routes:
// the Gin engine for pages, the /api/v1 group, and the server's helpers
// (Fail, Render, RenderForm, Require, CurrentUser, Printer).
type Router struct {
	Engine *gin.Engine
	API    *gin.RouterGroup
	Server *Server
}

// HomeWidget adds w to the home page of role: the data it returns is shown
// by the home template under the name it returns (nothing when data is nil).
func (r *Router) HomeWidget(role tsunagu.Role, w HomeWidget) {
	if r.Server.widgets == nil {
		r.Server.widgets = map[tsunagu.Role][]HomeWidget{}
	}
	r.Server.widgets[role] = append(r.Server.widgets[role], w)
}

// routes registers every resource: one line per resource file.
func (s *Server) routes(r *gin.Engine, api *gin.RouterGroup) {
	s.registerStatic(r)
	s.registerHealth(r)
	s.registerPages(r, api)
	s.registerAuth(r, api)
	s.registerAdmin(r, api)
	s.registerOpenAPI(r, api)
}

// Handler returns the root handler (for tests with httptest).
func (s *Server) Handler() http.Handler { return s.engine }

// Engine returns the Gin engine, for route listings.
func (s *Server) Engine() *gin.Engine { return s.engine }

// Listen binds the configured address; Addr then reports the real one.
func (s *Server) Listen() error {
	ln, err := net.Listen("tcp", s.Config.Addr)
	if err != nil {
		return err
	}
	s.ln = ln
	return nil
}

// Addr returns the bound address.
func (s *Server) Addr() string {
	if s.ln == nil {
		return s.Config.Addr
	}
	return s.ln.Addr().String()
}

// Serve serves until Shutdown.
func (s *Server) Serve() error {
	if s.ln == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	s.http = &http.Server{
		Handler:           s.engine,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
	}
	err := s.http.Serve(s.ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting requests and waits for those in flight.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.http == nil {
		return nil
	}
	return s.http.Shutdown(ctx)
}
