package http

import (
	"context"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// OutcomeSource adds another area's figures to the outcomes page, to its
// CSV exports and to GET /api/v1/outcomes. Training and workshops provide
// one; internal/app passes it to casehttp (Handlers.Outcomes),
// which serves the page, so no feature imports another's HTTP package.
type OutcomeSource interface {
	// OutcomeSection returns the figures as of now for the user signed in
	// on ctx, narrowed by f, with labels translated by p.
	OutcomeSection(ctx context.Context, p *i18n.Printer, f tsunagu.OutcomeFilter) (*OutcomeSection, error)
}

// OutcomeSection is one area's part of the outcomes page.
type OutcomeSection struct {
	ID     string         // anchor on the page and key in the JSON of /api/v1/outcomes
	Title  string         // translated heading
	Tables []OutcomeTable // each shown on the page and exported as CSV
	JSON   any            // the figures for /api/v1/outcomes
}

// OutcomeTable is a table of an OutcomeSection: the page shows Columns and
// Cells (translated, formatted); /coordinator/outcomes/csv/<Name> and
// /coordinator/outcomes/xlsx/<Name> export Header and Rows (machine names
// and plain numbers).
type OutcomeTable struct {
	Name    string
	Title   string
	Columns []string
	Cells   [][]string
	Header  []string
	Rows    [][]string
}
