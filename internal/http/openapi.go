package http

import (
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// APIOp documents one JSON API route for the OpenAPI document. Every route
// under /api/v1 must have one (TestOpenAPIMatchesRoutes enforces it).
type APIOp struct {
	Method  string // GET, POST, ...
	Path    string // Gin form, under /api/v1: "/candidates/:id"
	Summary string
	Tag     string
	// Request and Response are JSON Schemas (nil: none / any object).
	Request  map[string]any
	Response map[string]any
	Status   int // success status; 200 when zero
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
		APIOp{Method: "GET", Path: "/me", Summary: "The signed-in user", Tag: "accounts"},
		APIOp{Method: "POST", Path: "/tokens", Summary: "Create a personal access token (shown once)", Tag: "accounts", Status: 201,
			Request:  obj(map[string]any{"name": str()}, "name"),
			Response: obj(map[string]any{"token": str()}, "token")},
		APIOp{Method: "GET", Path: "/openapi.json", Summary: "This document", Tag: "meta"},
	)
}

func str() map[string]any { return map[string]any{"type": "string"} }

func obj(props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// Obj and Str build JSON Schemas for feature files' APIOps.
func Obj(props map[string]any, required ...string) map[string]any { return obj(props, required...) }
func Str() map[string]any                                         { return str() }

var ginParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// OpenAPIPath turns a Gin path into an OpenAPI one ("/a/:id" → "/a/{id}").
func OpenAPIPath(p string) string { return ginParam.ReplaceAllString(p, "{$1}") }

// OpenAPIDocument builds the OpenAPI 3 document of the JSON API.
func OpenAPIDocument() map[string]any {
	apiOpsMu.Lock()
	ops := append([]APIOp(nil), apiOps...)
	apiOpsMu.Unlock()
	sort.Slice(ops, func(i, j int) bool { return ops[i].Path+ops[i].Method < ops[j].Path+ops[j].Method })
	errSchema := obj(map[string]any{"error": obj(map[string]any{
		"code": str(), "message": str(),
		"fields": map[string]any{"type": "object", "additionalProperties": str()},
	}, "code", "message")}, "error")
	paths := map[string]any{}
	for _, op := range ops {
		p := OpenAPIPath(op.Path)
		item, _ := paths[p].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[p] = item
		}
		status := op.Status
		if status == 0 {
			status = http.StatusOK
		}
		resp := op.Response
		if resp == nil {
			resp = map[string]any{"type": "object"}
		}
		o := map[string]any{
			"summary": op.Summary,
			"tags":    []string{op.Tag},
			"responses": map[string]any{
				itoa(status): map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{"schema": resp}}},
				"default":    map[string]any{"description": "Error", "content": map[string]any{"application/json": map[string]any{"schema": errSchema}}},
			},
		}
		var params []any
		for _, m := range ginParam.FindAllStringSubmatch(op.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": str()})
		}
		if params != nil {
			o["parameters"] = params
		}
		if op.Request != nil {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": op.Request}}}
		}
		item[strings.ToLower(op.Method)] = o
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "Tsunagu API",
			"version":     "1",
			"description": "JSON API of Tsunagu. Authenticate with the session cookie or `Authorization: Bearer tsu_...` (a personal access token). Errors: {\"error\": {\"code\", \"message\", \"fields\"}}. This service uses the ESCO classification of the European Commission. This product includes information from the O*NET 29.3 Database by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA.",
		},
		"servers": []any{map[string]any{"url": "/api/v1"}},
		"components": map[string]any{"securitySchemes": map[string]any{
			"token":   map[string]any{"type": "http", "scheme": "bearer"},
			"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
		}},
		"security": []any{map[string]any{"token": []any{}}, map[string]any{"session": []any{}}},
		"paths":    paths,
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func (s *Server) registerOpenAPI(r *gin.Engine, api *gin.RouterGroup) {
	api.GET("/openapi.json", func(c *gin.Context) { c.JSON(http.StatusOK, OpenAPIDocument()) })
}
