package http_test

import (
	"context"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
)

var operationID = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)

// TestOpenAPIDocument lints the document served at /api/v1/openapi.json:
// it is a valid OpenAPI 3 document, and every operation has a stable
// camelCase operationId of its own, a schema for every body it takes or
// returns, at least one 4xx answer with the error shape, and a security
// requirement (or an explicit none).
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{})
	r := env.Client().Get("/api/v1/openapi.json")
	if r.Status != http.StatusOK {
		t.Fatalf("openapi.json = %d", r.Status)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(r.Body))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	errSchema := doc.Components.Schemas["Error"]
	if errSchema == nil || errSchema.Value.Properties["error"] == nil {
		t.Fatal("components/schemas has no Error {error: {code, message, fields}}")
	}
	for _, s := range []string{"token", "session"} {
		if doc.Components.SecuritySchemes[s] == nil {
			t.Errorf("security scheme %s missing", s)
		}
	}
	ids := map[string]string{}
	var ops, withID, with4xx, withSchema int
	var problems []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops++
			where := method + " " + path
			switch {
			case op.OperationID == "":
				problems = append(problems, where+": no operationId")
			case !operationID.MatchString(op.OperationID):
				problems = append(problems, where+": operationId "+op.OperationID+" is not camelCase")
			case ids[op.OperationID] != "":
				problems = append(problems, where+": operationId "+op.OperationID+" also names "+ids[op.OperationID])
			default:
				withID++
				ids[op.OperationID] = where
			}
			has4xx := false
			for code, resp := range op.Responses.Map() {
				if !strings.HasPrefix(code, "4") {
					continue
				}
				has4xx = true
				if mt := resp.Value.Content.Get("application/json"); mt == nil || mt.Schema == nil || mt.Schema.Ref != "#/components/schemas/Error" {
					problems = append(problems, where+": "+code+" does not answer the Error schema")
				}
			}
			if has4xx {
				with4xx++
			} else {
				problems = append(problems, where+": no 4xx response")
			}
			bodies := true
			for code, resp := range op.Responses.Map() {
				if !strings.HasPrefix(code, "2") || code == "204" {
					continue
				}
				if mt := resp.Value.Content.Get("application/json"); mt == nil || mt.Schema == nil {
					problems = append(problems, where+": "+code+" has no response schema")
					bodies = false
				}
			}
			if rb := op.RequestBody; rb != nil {
				for _, mt := range rb.Value.Content {
					if mt.Schema == nil {
						problems = append(problems, where+": request body has no schema")
						bodies = false
					}
				}
			}
			if bodies {
				withSchema++
			}
			if op.Security == nil && len(doc.Security) == 0 {
				problems = append(problems, where+": no security requirement")
			}
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("openapi: %d operations, %d component schemas; %d with operationId, %d with a 4xx response, %d with every body's schema",
		ops, len(doc.Components.Schemas), withID, with4xx, withSchema)
}
