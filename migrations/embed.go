// Package migrations holds the numbered SQL migrations, embedded in the
// binary and applied by goose. Add new files at the end; never edit one that
// has landed.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
