package apptest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
)

// Every request to /api/v1 that a test sends through Env.HTTP (any client:
// Client, the generated apiclient, plain net/http) and its answer are
// checked against the OpenAPI document with kin-openapi's openapi3filter:
// an answer the document does not describe (an undocumented status, a body
// that does not match its schema) fails the test, and so does a request
// the document refuses that the server accepted (the document is then
// stricter than the server). A request the document refuses and the
// server refuses too (4xx) is a test of bad input: nothing to report.
//
// TSUNAGU_OPENAPI_LOG=file appends one line per checked answer to file
// ("ok"/"fail" status method route), to count them over a run.

const apiPrefix = "/api/v1"

var (
	specOnce   sync.Once
	specRouter routers.Router
	specErr    error
	logMu      sync.Mutex
)

// apiSpec loads the document as the server serves it, for checking.
func apiSpec() (routers.Router, error) {
	specOnce.Do(func() {
		b, err := thttp.OpenAPIJSON()
		if err != nil {
			specErr = err
			return
		}
		doc, err := openapi3.NewLoader().LoadFromData(b)
		if err != nil {
			specErr = fmt.Errorf("load openapi.json: %w", err)
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			specErr = fmt.Errorf("openapi.json is not valid: %w", err)
			return
		}
		doc.Servers = nil // routes are matched on the path under /api/v1
		specRouter, specErr = legacy.NewRouter(doc)
	})
	return specRouter, specErr
}

// checkAPI wraps h so that every /api/v1 exchange is checked against the
// document; a mismatch is an error of tb.
func checkAPI(tb testing.TB, h http.Handler) http.Handler {
	router, err := apiSpec()
	if err != nil {
		tb.Fatalf("openapi: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, apiPrefix+"/") || r.Method == http.MethodHead || r.Method == http.MethodOptions {
			h.ServeHTTP(w, r)
			return
		}
		// The request as the client sent it, before a handler reads it.
		in := r.Clone(r.Context())
		in.URL.Path = strings.TrimPrefix(r.URL.Path, apiPrefix)
		in.URL.RawPath = ""
		var body bytes.Buffer
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = &teeBody{ReadCloser: r.Body, buf: &body}
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		if msg := checkExchange(router, in, body.Bytes(), rec); msg != "" {
			tb.Errorf("openapi: %s %.300s answered %d, not as /api/v1/openapi.json says:\n%s\nresponse body: %.600s",
				r.Method, r.URL.RequestURI(), rec.status, msg, rec.body.String())
		}
	})
}

// checkExchange validates one request and its answer; "" when they match
// the document.
func checkExchange(router routers.Router, req *http.Request, body []byte, rec *recorder) string {
	route, params, err := router.FindRoute(req)
	if err != nil {
		// Not a documented route: the API must say it does not exist.
		if rec.status == http.StatusNotFound || rec.status == http.StatusMethodNotAllowed {
			logCheck("ok", req, "(none)", rec.status)
			return ""
		}
		logCheck("fail", req, "(none)", rec.status)
		return fmt.Sprintf("no documented operation: %v", err)
	}
	ctx := context.Background()
	req.Body = io.NopCloser(bytes.NewReader(body))
	reqIn := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{MultiError: true, SkipSettingDefaults: true, AuthenticationFunc: authenticated},
	}
	reqErr := openapi3filter.ValidateRequest(ctx, reqIn)
	respIn := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqIn,
		Status:                 rec.status,
		Header:                 rec.Header(),
		Options:                &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	}
	respIn.SetBodyBytes(rec.body.Bytes())
	var msgs []string
	if err := openapi3filter.ValidateResponse(ctx, respIn); err != nil {
		msgs = append(msgs, "response: "+errText(err))
	}
	if reqErr != nil && rec.status < 400 {
		// The server reads a query value it cannot use as absent (a
		// paging value that is not a number means the default), so only
		// a refused body or credential counts here.
		strict := *reqIn
		strict.Options = &openapi3filter.Options{MultiError: true, SkipSettingDefaults: true, AuthenticationFunc: authenticated, ExcludeRequestQueryParams: true}
		req.Body = io.NopCloser(bytes.NewReader(body))
		if err := openapi3filter.ValidateRequest(ctx, &strict); err != nil {
			msgs = append(msgs, "the document refuses the request, the server accepted it: "+errText(err))
		}
	}
	status := "ok"
	if len(msgs) > 0 {
		status = "fail"
	}
	logCheck(status, req, route.Method+" "+route.Path, rec.status)
	return strings.Join(msgs, "\n")
}

// authenticated reports whether the request carries the credential of a
// security scheme: a bearer token or the session cookie.
func authenticated(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	switch s := in.SecurityScheme; {
	case s.Type == "http" && s.Scheme == "bearer":
		if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			return nil
		}
	case s.Type == "apiKey" && s.In == "cookie":
		if _, err := r.Cookie(s.Name); err == nil {
			return nil
		}
	}
	return errors.New("no credential for " + in.SecuritySchemeName)
}

func errText(err error) string {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var lines []string
		for _, e := range me {
			lines = append(lines, "  - "+e.Error())
		}
		return "\n" + strings.Join(lines, "\n")
	}
	return err.Error()
}

func logCheck(status string, req *http.Request, route string, code int) {
	path := os.Getenv("TSUNAGU_OPENAPI_LOG")
	if path == "" {
		return
	}
	logMu.Lock()
	defer logMu.Unlock()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %d %s %s\n", status, code, req.Method, route)
}

// teeBody keeps a copy of what the handler reads of a request body (up
// to 2 MiB: past the body limit the copy is cut, and the request refused).
type teeBody struct {
	io.ReadCloser
	buf *bytes.Buffer
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	if room := 2<<20 - t.buf.Len(); room > 0 {
		t.buf.Write(p[:min(n, room)])
	}
	return n, err
}

// recorder passes an answer through and keeps its status and body.
type recorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	if r.body.Len() < 4<<20 {
		r.body.Write(b)
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
