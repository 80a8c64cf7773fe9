package http

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
)

// ErrNotFound and ErrForbidden are the kit's answers for a record that is
// not there (or must not be revealed) and an area the user may not use.
var (
	ErrNotFound  = errNotFound
	ErrForbidden = errForbidden
)

// IDParam reads a positive id from the path parameter name; anything else
// (a word, zero, a negative or overflowing number) is ENOTFOUND, as such an
// id names no record.
func IDParam(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// FindByID calls find, a service call that takes a record's id, with the
// :id path parameter (a malformed id is ENOTFOUND, find is not called).
func FindByID[T any](c *gin.Context, find func(ctx context.Context, id int64) (T, error)) (T, error) {
	id, err := IDParam(c, "id")
	if err != nil {
		var zero T
		return zero, err
	}
	return find(c.Request.Context(), id)
}

// ByID is FindByID as a handler for the JSON and HTML adapters:
//
//	api.GET("/cases/:id", s.JSON(http.StatusOK, thttp.ByID(h.Cases.FindCase)))
func ByID[T any](find func(ctx context.Context, id int64) (T, error)) HandlerFunc {
	return func(c *gin.Context) (any, error) { return FindByID(c, find) }
}

// WithID calls h with the :id path parameter, for a handler that needs
// the request too (a page that reads the query or the signed-in user):
//
//	g.GET("/cases/:id", s.HTML("cases/case", thttp.WithID(h.handleCase)))
func WithID(h func(c *gin.Context, id int64) (any, error)) HandlerFunc {
	return func(c *gin.Context) (any, error) {
		id, err := IDParam(c, "id")
		if err != nil {
			return nil, err
		}
		return h(c, id)
	}
}

// ActOnID calls act (a delete, an archive) with the :id path parameter,
// for the Done adapter.
func ActOnID(act func(ctx context.Context, id int64) error) func(c *gin.Context) error {
	return func(c *gin.Context) error {
		id, err := IDParam(c, "id")
		if err != nil {
			return err
		}
		return act(c.Request.Context(), id)
	}
}

// Paging limits of a list: DefaultLimit when ?limit= is absent, not a
// number or outside 1..MaxLimit.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Paging reads ?offset=&limit= of a list: offset at least 0, limit
// 1..MaxLimit (DefaultLimit otherwise).
func Paging(c *gin.Context) (offset, limit int) {
	offset, _ = strconv.Atoi(c.Query("offset"))
	limit, _ = strconv.Atoi(c.Query("limit"))
	if limit <= 0 || limit > MaxLimit {
		limit = DefaultLimit
	}
	return max(offset, 0), limit
}

// ListParams reads ?q=&offset=&limit= of a searchable list (q trimmed).
func ListParams(c *gin.Context) (q string, offset, limit int) {
	offset, limit = Paging(c)
	return strings.TrimSpace(c.Query("q")), offset, limit
}

// ParseLocalTime reads a form's "YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM"
// (datetime-local) in Japan time, the one zone forms read and pages show
// times in, and returns it in UTC; the zero time and true when s is blank,
// false when it is malformed.
func ParseLocalTime(s string) (time.Time, bool) {
	s = strings.Replace(strings.TrimSpace(s), "T", " ", 1)
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", s, i18n.Zone)
	return t.UTC(), err == nil
}
