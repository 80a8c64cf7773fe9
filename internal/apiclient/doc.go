// Package apiclient is a typed client of the JSON API, generated with
// oapi-codegen from openapi.json, the document the server serves at
// /api/v1/openapi.json (built from the handlers' Go types in
// internal/http/openapi.go and the features' DocumentAPI blocks).
//
// Regenerate both after an API change with `make generate` (or `go generate
// ./internal/apiclient`); TestSpecUpToDate and TestClientUpToDate fail
// while the committed files lag behind the document.
package apiclient

//go:generate go run ./internal/specgen openapi.json
//go:generate go tool oapi-codegen -config oapi-codegen.yaml openapi.json
