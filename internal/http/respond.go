package http

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// HandlerFunc is a handler that returns what it answers: the value to
// write as JSON, or the error to answer through the one error responder.
type HandlerFunc func(c *gin.Context) (any, error)

// JSON adapts h into a Gin handler: a nil error writes the value as JSON
// with status (204 writes no body), an error goes through Fail. A handler
// is then the call it makes:
//
//	api.GET("/roles/:id", s.JSON(http.StatusOK, func(c *gin.Context) (any, error) {
//		id, err := thttp.IDParam(c, "id")
//		if err != nil {
//			return nil, err
//		}
//		return roles.FindRoleByID(c.Request.Context(), id)
//	}))
func (s *Server) JSON(status int, h HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := h(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		if status == http.StatusNoContent {
			c.Status(status)
			return
		}
		c.JSON(status, v)
	}
}

// Done adapts a handler that only acts (a delete, a membership): nil
// answers status with no body, an error goes through Fail.
func (s *Server) Done(status int, h func(c *gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.fail(c, err)
			return
		}
		c.Status(status)
	}
}

// HTML adapts h into a page handler: a nil error renders the template name
// with the value as its data (status 200), an error goes through Fail.
func (s *Server) HTML(name string, h HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := h(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		s.render(c, http.StatusOK, name, v)
	}
}

// ListOf is the JSON shape of a page of a list: {"items": [...], "total": n}.
func ListOf(items any, total int) gin.H { return gin.H{"items": items, "total": total} }
