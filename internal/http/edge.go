package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Body limits. Every request body is read through http.MaxBytesReader
// before anything parses it; a larger body is refused with 413.
const (
	// DefaultBodyLimit bounds the body of every route but the uploads.
	DefaultBodyLimit = 1 << 20
	// UploadBodyLimit bounds the upload routes (a 5 MB spreadsheet, its
	// multipart framing and the form's other fields).
	UploadBodyLimit = 6 << 20
)

// uploadRoutes are the route patterns that take a file, with their
// larger limit.
var uploadRoutes = map[string]int64{
	"POST /coordinator/import": UploadBodyLimit,
	"POST /api/v1/imports":     UploadBodyLimit,
}

// ErrBodyTooLarge answers a body over the route's limit.
var ErrBodyTooLarge = tsunagu.Errorf(tsunagu.ETOOLARGE, "error.body_too_large")

// limitBody refuses a body whose declared length is over the route's limit
// before reading a byte of it, and caps the reading of any other body at
// that limit, so no parser (form, multipart, JSON) reads more.
func (s *Server) limitBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		limit := int64(DefaultBodyLimit)
		if n, ok := uploadRoutes[c.Request.Method+" "+c.FullPath()]; ok {
			limit = n
		}
		if c.Request.ContentLength > limit {
			s.failTooLarge(c, limit)
			return
		}
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}

func (s *Server) failTooLarge(c *gin.Context, limit int64) {
	// The rest of the body is not read: the connection closes after the
	// answer rather than draining what the client still sends.
	c.Header("Connection", "close")
	s.fail(c, &tsunagu.Error{Code: tsunagu.ETOOLARGE, Message: "error.body_too_large", Data: map[string]any{"Max": byteSize(limit)}})
}

func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt((n+1023)>>10, 10) + " KiB"
}

// checkInput refuses text that no handler should see: invalid UTF-8 and
// control characters (NUL, escape, DEL, C1; tab, newline and carriage
// return are text) in the path parameters, the query, a form (urlencoded
// or multipart, values and file names) and every string of a JSON body. It
// answers 422 with an error on the first field found, in the user's
// language. It parses the body itself, under limitBody's cap, so a body
// over the limit is answered 413 here, whichever parser a handler uses.
func (s *Server) checkInput() gin.HandlerFunc {
	return func(c *gin.Context) {
		field, err := s.badInput(c)
		switch {
		case err != nil:
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				s.failTooLarge(c, mbe.Limit)
				return
			}
			// A body that does not parse is left to the handler, which
			// answers it with its own error (bad JSON, a required field).
		case field != "":
			s.fail(c, badTextError(field))
			return
		}
		c.Next()
	}
}

// badTextError is the 422 of a field holding text that is not allowed.
func badTextError(field string) error {
	return &tsunagu.Error{Code: tsunagu.EINVALID, Message: "error.bad_text_in", Data: map[string]any{"Field": field},
		Fields: map[string]tsunagu.FieldError{field: {ID: "error.bad_text"}}}
}

// badInput returns the name of the first field with text that is not
// allowed, or an error reading the body.
func (s *Server) badInput(c *gin.Context) (string, error) {
	for _, p := range c.Params {
		if !goodText(p.Value) {
			return fieldName(p.Key), nil
		}
	}
	if !goodText(c.Request.URL.Path) {
		return "path", nil
	}
	if f := badValues(c.Request.URL.Query()); f != "" {
		return f, nil
	}
	if c.Request.Body == nil || c.Request.Body == http.NoBody {
		return "", nil
	}
	ct, _, _ := mime.ParseMediaType(c.ContentType())
	switch ct {
	case "application/x-www-form-urlencoded":
		if err := c.Request.ParseForm(); err != nil {
			return "", err
		}
		return badValues(c.Request.PostForm), nil
	case "multipart/form-data":
		if err := c.Request.ParseMultipartForm(s.engine.MaxMultipartMemory); err != nil {
			return "", err
		}
		if f := badValues(c.Request.MultipartForm.Value); f != "" {
			return f, nil
		}
		for k, fhs := range c.Request.MultipartForm.File {
			for _, fh := range fhs {
				if !goodText(k) || !goodText(fh.Filename) {
					return fieldName(k), nil
				}
			}
		}
		return "", nil
	}
	// Anything else is read as the JSON the API takes; it is put back for
	// the handler.
	body, err := io.ReadAll(c.Request.Body)
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	return badJSON(body), nil
}

// badValues returns the first key whose name or values are not good text.
func badValues(vs map[string][]string) string {
	for k, v := range vs {
		if !goodText(k) {
			return fieldName(k)
		}
		for _, s := range v {
			if !goodText(s) {
				return k
			}
		}
	}
	return ""
}

// fieldName makes a field name that is itself bad text printable.
func fieldName(k string) string {
	k = strings.Map(func(r rune) rune {
		if badRune(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, strings.ToValidUTF8(k, ""))
	if k == "" {
		return "input"
	}
	return k
}

// goodText reports whether s is valid UTF-8 without control characters
// other than tab, newline and carriage return.
func goodText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if badRune(r) {
			return false
		}
	}
	return true
}

func badRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	}
	return false
}

// badJSON walks the tokens of a JSON body and returns the top-level field
// of the first string (key or value) that is not good text, its raw bytes
// checked for UTF-8 (encoding/json would quietly replace them) and its
// decoded value for control characters. A body that is not JSON gives "".
func badJSON(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type frame struct {
		object  bool
		wantKey bool
		key     string
	}
	var stack []frame
	top := func() string {
		if len(stack) > 0 && stack[0].object {
			return stack[0].key
		}
		return ""
	}
	prev := int64(0)
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		off := dec.InputOffset()
		raw := body[prev:off]
		prev = off
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{object: true, wantKey: true})
				continue
			case '[':
				stack = append(stack, frame{})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			isKey := len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].wantKey
			if isKey {
				stack[len(stack)-1].key = t
			}
			if !utf8.Valid(raw) || !goodText(t) {
				if isKey && len(stack) == 1 {
					return fieldName(t)
				}
				if f := top(); f != "" {
					return fieldName(f)
				}
				return "body"
			}
			if isKey {
				stack[len(stack)-1].wantKey = false
				continue
			}
		}
		// A value ended: the enclosing object wants its next key.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].wantKey = true
		}
	}
}
