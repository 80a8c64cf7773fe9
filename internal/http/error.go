package http

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// codes maps each error code to its one HTTP status.
var codes = map[string]int{
	tsunagu.EINVALID:      http.StatusUnprocessableEntity,
	tsunagu.ENOTFOUND:     http.StatusNotFound,
	tsunagu.ECONFLICT:     http.StatusConflict,
	tsunagu.EFORBIDDEN:    http.StatusForbidden,
	tsunagu.EUNAUTHORIZED: http.StatusUnauthorized,
	tsunagu.ETOOMANY:      http.StatusTooManyRequests,
	tsunagu.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	tsunagu.EUNAVAILABLE:  http.StatusServiceUnavailable,
	tsunagu.EINTERNAL:     http.StatusInternalServerError,
}

// retryAfter is the Retry-After (seconds) of a 503: a part is starting up
// or down for moments (a database restart, an index being prepared).
const retryAfter = "5"

// StatusOf returns the HTTP status for an error code.
func StatusOf(code string) int {
	if s, ok := codes[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// BindJSONStrict reads the body through BindJSONStrict; when it cannot,
// it answers the error (422 naming the field) and returns false.
func (s *Server) BindJSONStrict(c *gin.Context, v any) bool {
	if err := BindJSONStrict(c, v); err != nil {
		s.fail(c, err)
		return false
	}
	return true
}

// BindJSON reads the body through BindJSON; when it cannot, it answers
// the error (422) and returns false.
func (s *Server) BindJSON(c *gin.Context, v any) bool {
	if err := BindJSON(c, v); err != nil {
		s.fail(c, err)
		return false
	}
	return true
}

var (
	errNotFound    = tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
	errForbidden   = tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.forbidden")
	errBadCSRF     = tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.csrf")
	errSignInFirst = tsunagu.Errorf(tsunagu.EUNAUTHORIZED, "error.sign_in_required")
)

// isAPI reports whether the request is for the JSON API.
func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// apiError is the JSON error shape of STYLE.md rule 5.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Fail answers err: JSON for the API, an error page otherwise. Unknown
// errors become 500 "Internal error" with the detail logged, never shown.
func (s *Server) Fail(c *gin.Context, err error) { s.fail(c, err) }

func (s *Server) fail(c *gin.Context, err error) {
	code := tsunagu.ErrorCode(err)
	msgID := tsunagu.ErrorMessage(err)
	if code == tsunagu.EINTERNAL && postgres.IsUnavailable(err) {
		// The database is out of reach (an error not mapped by a store).
		code, msgID = tsunagu.EUNAVAILABLE, "error.unavailable"
	}
	status := StatusOf(code)
	p := s.printer(c)
	switch code {
	case tsunagu.EINTERNAL:
		s.Log.Error("internal error", "request_id", c.GetString(ctxRequestID), "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		msgID = "error.internal"
	case tsunagu.EUNAVAILABLE:
		s.Log.Warn("unavailable", "request_id", c.GetString(ctxRequestID), "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		c.Header("Retry-After", retryAfter)
	}
	var data map[string]any
	if e := tsunagu.AsError(err); e != nil {
		data = e.Data
	}
	msg := p.T(msgID, data)
	if isAPI(c) {
		body := apiErrorBody{Code: code, Message: msg}
		if e := tsunagu.AsError(err); e != nil && len(e.Fields) > 0 {
			body.Fields = make(map[string]string, len(e.Fields))
			for k, f := range e.Fields {
				body.Fields[k] = p.T(f.ID, f.Data)
			}
		}
		c.AbortWithStatusJSON(status, apiError{Error: body})
		return
	}
	if code == tsunagu.EUNAUTHORIZED && c.Request.Method == http.MethodGet && !errors.Is(err, errBadCSRF) {
		c.Redirect(http.StatusSeeOther, "/signin?next="+urlQueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
		return
	}
	s.render(c, status, "error", map[string]any{"Status": status, "Message": msg, "Code": code})
	c.Abort()
}
