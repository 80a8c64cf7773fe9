// Package web holds what the browser sees: html/template files, static
// assets (vendored, never loaded from a CDN) and translation catalogues, all
// embedded in the binary.
package web

import "embed"

// Templates holds templates/**.html: layout.html, partials/*.html, and one
// folder of pages per resource.
//
//go:embed templates
var Templates embed.FS

// Static holds static/** served under /static/.
//
//go:embed static
var Static embed.FS

// Locales holds the message catalogues, one file per area and language:
// locales/<area>.<lang>.json.
//
//go:embed locales
var Locales embed.FS
