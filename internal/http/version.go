package http

import (
	"context"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Versioned records on the API. A GET of a versioned record (candidate,
// company, role, case, introduction, workshop) answers an ETag naming its
// version ("7"); a PUT, PATCH or POST that changes it may send that ETag
// back in If-Match (or the version read in the body's "version" field),
// and then saves only if nobody saved the record meanwhile: otherwise 409
// with the error shape (tsunagu.Stale). A change without either is
// accepted as it always was (the last save wins).

// SetETag answers the ETag of a record at version (strong: one version
// has one representation).
func SetETag(c *gin.Context, version int64) {
	if version > 0 {
		c.Header("ETag", `"`+strconv.FormatInt(version, 10)+`"`)
	}
}

// IfMatch returns the version the request's If-Match header names, and 0
// when it has none or "*". A header that names no version (a list, a weak
// tag, anything not an ETag this server gave) is EINVALID on "If-Match".
func IfMatch(c *gin.Context) (int64, error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	if s, ok := strings.CutPrefix(h, `"`); ok {
		if s, ok := strings.CutSuffix(s, `"`); ok {
			if v, err := strconv.ParseInt(s, 10, 64); err == nil && v > 0 {
				return v, nil
			}
		}
	}
	var v tsunagu.Validation
	v.Add("If-Match", tsunagu.MsgBadIfMatch, nil)
	return 0, v.Err()
}

// Version returns the version a change of a record is made from: the one
// If-Match names, else body (the "version" field of the body, 0 when it
// has none). Returns EINVALID for an If-Match that names no version.
func Version(c *gin.Context, body int64) (int64, error) {
	v, err := IfMatch(c)
	if err != nil || v != 0 {
		return v, err
	}
	return max(body, 0), nil
}

// VersionedByID is ByID for a versioned record: the answer carries the
// record's version (version(record)) as its ETag.
func VersionedByID[T any](find func(ctx context.Context, id int64) (T, error), version func(T) int64) HandlerFunc {
	return func(c *gin.Context) (any, error) {
		v, err := FindByID(c, find)
		if err != nil {
			return nil, err
		}
		SetETag(c, version(v))
		return v, nil
	}
}
