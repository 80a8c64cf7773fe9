package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// APIOp documents one JSON API route for the OpenAPI document. Every route
// under /api/v1 must have one (TestOpenAPIMatchesRoutes enforces it), and
// every one names its operationId and the Go types its handler binds and
// returns (TestOpenAPIDocument enforces it); the schemas are generated from
// those types (json tags, validate tags), so they cannot drift from the
// handlers, and every API answer in the test suite is checked against them
// (internal/apptest).
type APIOp struct {
	Method  string // GET, POST, ...
	Path    string // Gin form, under /api/v1: "/candidates/:id"
	ID      string // operationId: stable, camelCase, unique ("listRoleMatches")
	Summary string
	Tag     string
	// Request is a value of the type the handler binds from the JSON body
	// (nil: no body); Response one of the type it answers (nil: no body).
	Request  any
	Response any
	Status   int // success status; 200 when zero
	// Query lists the query parameters: "q", "limit:integer", "near:boolean".
	Query []string
	// Public marks a route that needs no sign-in.
	Public bool
	// Errors adds statuses the route answers beyond those every route of
	// its kind may (401, 403, 404, 413, 422): 409 for a conflict, 429.
	Errors []int
	// Upload names the multipart file field of an upload route (its body
	// is multipart/form-data, not JSON).
	Upload string
	// Download marks an answer sent as a file (Content-Disposition).
	Download bool
}

var (
	apiOpsMu sync.Mutex
	apiOps   []APIOp
)

// DocumentAPI adds operations to the OpenAPI document; call it from init()
// in the file that registers the routes.
func DocumentAPI(ops ...APIOp) {
	apiOpsMu.Lock()
	defer apiOpsMu.Unlock()
	apiOps = append(apiOps, ops...)
}

func init() {
	DocumentAPI(
		APIOp{Method: "GET", Path: "/me", ID: "getMe", Summary: "The signed-in user", Tag: "accounts", Response: &tsunagu.User{}},
		APIOp{Method: "GET", Path: "/openapi.json", ID: "getOpenAPI", Summary: "This document", Tag: "meta", Public: true, Response: map[string]any{}},
	)
}

var ginParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// OpenAPIPath turns a Gin path into an OpenAPI one ("/a/:id" → "/a/{id}").
func OpenAPIPath(p string) string { return ginParam.ReplaceAllString(p, "{$1}") }

var (
	docOnce sync.Once
	docJSON []byte
	docErr  error
)

// OpenAPI returns the OpenAPI 3 document of the JSON API, built from the
// APIOps and the Go types they name.
func OpenAPI() (*openapi3.T, error) {
	apiOpsMu.Lock()
	ops := append([]APIOp(nil), apiOps...)
	apiOpsMu.Unlock()
	return buildDocument(ops)
}

// OpenAPIJSON is the document as served (built once).
func OpenAPIJSON() ([]byte, error) {
	docOnce.Do(func() {
		doc, err := OpenAPI()
		if err != nil {
			docErr = err
			return
		}
		docJSON, docErr = json.MarshalIndent(doc, "", "  ")
	})
	return docJSON, docErr
}

// errorResponses are the shared error answers, each with the one error
// body the kit writes (apiError).
var errorResponses = []struct {
	status int
	name   string
	desc   string
}{
	{http.StatusUnauthorized, "Unauthorized", "Not signed in: no session cookie or bearer token, or a bad one (code unauthorized)"},
	{http.StatusForbidden, "Forbidden", "Signed in but not allowed, or a missing CSRF token with a session cookie (code forbidden)"},
	{http.StatusNotFound, "NotFound", "No such record, or one the caller may not see (code not_found)"},
	{http.StatusConflict, "Conflict", "The record changed meanwhile or already exists (code conflict)"},
	{http.StatusRequestEntityTooLarge, "TooLarge", "The body is over the limit (code too_large)"},
	{http.StatusUnprocessableEntity, "Invalid", "Bad input: fields names each field at fault with its message (code invalid)"},
	{http.StatusTooManyRequests, "TooMany", "Too many attempts; try again later (code too_many_requests)"},
}

func buildDocument(ops []APIOp) (*openapi3.T, error) {
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	g := newSchemaGen()
	errRef, err := g.ref(apiError{})
	if err != nil {
		return nil, err
	}
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{
			Title:   "Tsunagu API",
			Version: "1",
			Description: "JSON API of Tsunagu. Authenticate with `Authorization: Bearer tsu_...` (a personal access token, " +
				"POST /tokens) or the session cookie (then send the X-CSRF-Token header on every POST, PUT, PATCH and DELETE). " +
				"Errors: {\"error\": {\"code\", \"message\", \"fields\"}}, the message in the language of Accept-Language. " +
				"This service uses the ESCO classification of the European Commission. This product includes information from the O*NET 29.3 Database by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA.",
		},
		Servers: openapi3.Servers{{URL: "/api/v1"}},
		Components: &openapi3.Components{
			Schemas:   g.schemas,
			Responses: openapi3.ResponseBodies{},
			SecuritySchemes: openapi3.SecuritySchemes{
				"token": {Value: &openapi3.SecurityScheme{Type: "http", Scheme: "bearer",
					Description: "A personal access token (tsu_...), created with POST /tokens or on the account page"}},
				"session": {Value: &openapi3.SecurityScheme{Type: "apiKey", In: "cookie", Name: sessionCookie,
					Description: "The session cookie of a signed-in browser; state-changing requests also send X-CSRF-Token"}},
			},
		},
		Security: openapi3.SecurityRequirements{{"token": {}}, {"session": {}}},
		Paths:    openapi3.NewPaths(),
	}
	for _, e := range errorResponses {
		doc.Components.Responses[e.name] = &openapi3.ResponseRef{Value: openapi3.NewResponse().
			WithDescription(e.desc).WithJSONSchemaRef(errRef)}
	}
	doc.Components.Responses["Error"] = &openapi3.ResponseRef{Value: openapi3.NewResponse().
		WithDescription("Any other error (503 while a part starts up, with Retry-After; 500)").WithJSONSchemaRef(errRef)}

	seen := map[string]bool{}
	for _, op := range ops {
		o, err := g.operation(op)
		if err != nil {
			return nil, fmt.Errorf("openapi: %s %s: %w", op.Method, op.Path, err)
		}
		key := op.Method + " " + op.Path
		if seen[key] {
			return nil, fmt.Errorf("openapi: %s documented twice", key)
		}
		seen[key] = true
		p := OpenAPIPath(op.Path)
		item := doc.Paths.Value(p)
		if item == nil {
			item = &openapi3.PathItem{}
			doc.Paths.Set(p, item)
		}
		item.SetOperation(strings.ToUpper(op.Method), o)
	}
	if err := g.finish(); err != nil {
		return nil, err
	}
	// The kit always writes error.code and error.message (fail).
	g.schemas["Error"].Value.Required = []string{"error"}
	g.schemas["ErrorBody"].Value.Required = []string{"code", "message"}
	return doc, nil
}

// operation builds the OpenAPI operation of op.
func (g *schemaGen) operation(op APIOp) (*openapi3.Operation, error) {
	o := openapi3.NewOperation()
	o.OperationID = op.ID
	o.Summary = op.Summary
	if op.Tag != "" {
		o.Tags = []string{op.Tag}
	}
	if op.Public {
		o.Security = &openapi3.SecurityRequirements{}
	}
	for _, m := range ginParam.FindAllStringSubmatch(op.Path, -1) {
		s := openapi3.NewInt64Schema().WithMin(1)
		o.AddParameter(openapi3.NewPathParameter(m[1]).WithSchema(s))
	}
	for _, q := range op.Query {
		name, typ, _ := strings.Cut(q, ":")
		s := openapi3.NewStringSchema()
		switch typ {
		case "integer":
			s = openapi3.NewIntegerSchema()
		case "boolean":
			s = openapi3.NewBoolSchema()
		case "", "string":
		default:
			return nil, fmt.Errorf("query %q: unknown type %q", q, typ)
		}
		o.AddParameter(openapi3.NewQueryParameter(name).WithSchema(s))
	}
	hasBody := op.Request != nil || op.Upload != ""
	switch {
	case op.Upload != "":
		s := openapi3.NewObjectSchema().
			WithProperty(op.Upload, openapi3.NewStringSchema().WithFormat("binary"))
		s.Required = []string{op.Upload}
		o.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
			WithContent(openapi3.NewContentWithFormDataSchema(s))}
	case op.Request != nil:
		ref, err := g.ref(op.Request)
		if err != nil {
			return nil, fmt.Errorf("request: %w", err)
		}
		o.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
			WithContent(openapi3.NewContentWithJSONSchemaRef(ref))}
	}
	status := op.Status
	if status == 0 {
		status = http.StatusOK
	}
	ok := openapi3.NewResponse().WithDescription(http.StatusText(status))
	if op.Response != nil {
		ref, err := g.ref(op.Response)
		if err != nil {
			return nil, fmt.Errorf("response: %w", err)
		}
		ok.WithJSONSchemaRef(ref)
		if op.Download {
			ok.Headers = openapi3.Headers{"Content-Disposition": &openapi3.HeaderRef{Value: &openapi3.Header{
				Parameter: openapi3.Parameter{Description: "attachment; filename=...", Schema: openapi3.NewStringSchema().NewRef()}}}}
		}
	}
	o.AddResponse(status, ok)
	errs := map[int]bool{http.StatusUnprocessableEntity: true} // the edge refuses a bad query on every route
	if !op.Public {
		errs[http.StatusUnauthorized], errs[http.StatusForbidden] = true, true
	}
	if strings.Contains(op.Path, ":") {
		errs[http.StatusNotFound] = true
	}
	if hasBody {
		errs[http.StatusRequestEntityTooLarge] = true
	}
	for _, s := range op.Errors {
		errs[s] = true
	}
	for _, e := range errorResponses {
		if errs[e.status] {
			o.Responses.Set(strconv.Itoa(e.status), &openapi3.ResponseRef{Ref: "#/components/responses/" + e.name})
			delete(errs, e.status)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("errors: no shared response for %v", errs)
	}
	o.Responses.Set("default", &openapi3.ResponseRef{Ref: "#/components/responses/Error"})
	return o, nil
}

func (s *Server) registerOpenAPI(r *gin.Engine, api *gin.RouterGroup) {
	api.GET("/openapi.json", func(c *gin.Context) {
		b, err := OpenAPIJSON()
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Data(http.StatusOK, "application/json; charset=utf-8", b)
	})
}
