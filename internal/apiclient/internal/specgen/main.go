// Command specgen writes the OpenAPI document the server serves at
// /api/v1/openapi.json to the file named by its argument: the input of the
// generated client (see internal/apiclient/doc.go).
package main

import (
	"fmt"
	"os"

	_ "github.com/tsunagu-org/tsunagu/internal/app" // every feature's DocumentAPI
	thttp "github.com/tsunagu-org/tsunagu/internal/http"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: specgen FILE")
		os.Exit(2)
	}
	doc, err := thttp.OpenAPIJSON()
	if err == nil {
		err = os.WriteFile(os.Args[1], append(doc, '\n'), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "specgen:", err)
		os.Exit(1)
	}
}
