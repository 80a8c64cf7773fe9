package casehttp

import (
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// sections returns the other areas' outcome sections.
func (h *Handlers) sections(c *gin.Context) ([]*thttp.OutcomeSection, error) {
	var out []*thttp.OutcomeSection
	for _, src := range h.Outcomes {
		sec, err := src.OutcomeSection(c.Request.Context(), h.s.Printer(c))
		if err != nil {
			return nil, err
		}
		out = append(out, sec)
	}
	return out, nil
}

func (h *Handlers) registerOutcomes(r *thttp.Router) {
	g := r.Engine.Group("/coordinator", r.Server.Require(tsunagu.ActCoordinatorArea))
	g.GET("/outcomes", h.handleOutcomes)
	g.GET("/outcomes/csv/:table", h.handleOutcomesCSV)
}

// bar is one bar of a server-rendered SVG chart.
type bar struct {
	Label string
	Value string
	Y     int // top of the bar's row
	W     int // bar length in pixels
}

// chart is a horizontal bar chart drawn as inline SVG.
type chart struct {
	Title  string
	Bars   []bar
	Height int
	CSV    string
}

const (
	chartLabelW = 170
	chartBarMax = 360
	chartRow    = 28
)

func barChart(title, csvName string, labels []string, values []float64, format func(float64) string) chart {
	ch := chart{Title: title, CSV: csvName, Height: len(labels)*chartRow + 8}
	max := 0.0
	for _, v := range values {
		max = math.Max(max, v)
	}
	for i, l := range labels {
		w := 0
		if max > 0 {
			w = int(math.Round(values[i] / max * chartBarMax))
		}
		ch.Bars = append(ch.Bars, bar{Label: l, Value: format(values[i]), Y: i*chartRow + 4, W: w})
	}
	return ch
}

type outcomesPage struct {
	O        *postgres.Outcomes
	Charts   []chart
	Sections []*thttp.OutcomeSection
	LabelW   int
	BarMax   int
}

// table is one exportable table of the outcomes page.
type table struct {
	Header []string
	Rows   [][]string
}

func outcomeTables(p *i18n.Printer, o *postgres.Outcomes) map[string]table {
	t := map[string]table{}
	t["headline"] = table{Header: []string{"figure", "value"}, Rows: [][]string{
		{"people_connected", strconv.Itoa(o.PeopleConnected)},
		{"hired_using_expertise", strconv.Itoa(o.HiredExpertise)},
		{"hired_total", strconv.Itoa(o.HiredTotal)},
		{"residence_status_changes", strconv.Itoa(o.ResidenceChanged)},
	}}
	funnel := table{Header: []string{"stage", "stage_name", "reached", "now"}}
	median := table{Header: []string{"stage", "stage_name", "median_days"}}
	for _, s := range tsunagu.CaseStages {
		funnel.Rows = append(funnel.Rows, []string{string(s), stageName(p, string(s)), strconv.Itoa(o.Funnel[s]), strconv.Itoa(o.Current[s])})
		if d, ok := o.MedianDays[s]; ok {
			median.Rows = append(median.Rows, []string{string(s), stageName(p, string(s)), strconv.FormatFloat(d, 'f', 1, 64)})
		}
	}
	t["funnel"], t["median"] = funnel, median
	ret := table{Header: []string{"month", "answered", "still_employed", "rate"}}
	for _, r := range o.Retention {
		ret.Rows = append(ret.Rows, []string{strconv.Itoa(r.Month), strconv.Itoa(r.Answered), strconv.Itoa(r.Employed), strconv.FormatFloat(r.Rate(), 'f', 3, 64)})
	}
	t["retention"] = ret
	return t
}

// handleOutcomes handles GET /coordinator/outcomes: headline figures, the
// funnel, median time in stage and retention, as SVG charts with CSV
// exports; then the other areas' sections (training and workshops).
func (h *Handlers) handleOutcomes(c *gin.Context) {
	o, err := h.Cases.Outcomes(c.Request.Context())
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	secs, err := h.sections(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	p := h.s.Printer(c)
	var fl, ml []string
	var fv, mv []float64
	for _, s := range tsunagu.CaseStages {
		fl = append(fl, stageName(p, string(s)))
		fv = append(fv, float64(o.Funnel[s]))
		if s != tsunagu.StageSettled && s != tsunagu.StageClosed {
			ml = append(ml, stageName(p, string(s)))
			mv = append(mv, o.MedianDays[s])
		}
	}
	var rl []string
	var rv []float64
	for _, r := range o.Retention {
		rl = append(rl, p.T("cases.outcomes.month", map[string]any{"Month": r.Month}))
		rv = append(rv, r.Rate()*100)
	}
	d := outcomesPage{O: o, Sections: secs, LabelW: chartLabelW, BarMax: chartBarMax, Charts: []chart{
		barChart(p.T("cases.outcomes.funnel"), "funnel", fl, fv, func(v float64) string { return strconv.Itoa(int(v)) }),
		barChart(p.T("cases.outcomes.median"), "median", ml, mv, func(v float64) string {
			return p.T("cases.outcomes.days", map[string]any{"Days": fmt.Sprintf("%.0f", v)})
		}),
		barChart(p.T("cases.outcomes.retention"), "retention", rl, rv, func(v float64) string { return fmt.Sprintf("%.0f%%", v) }),
	}}
	h.s.Render(c, http.StatusOK, "cases/outcomes", d)
}

// handleOutcomesCSV handles GET /coordinator/outcomes/csv/:table (headline,
// funnel, median, retention, and the tables of the other areas' sections):
// the table as CSV.
func (h *Handlers) handleOutcomesCSV(c *gin.Context) {
	o, err := h.Cases.Outcomes(c.Request.Context())
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	tables := outcomeTables(h.s.Printer(c), o)
	secs, err := h.sections(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	for _, sec := range secs {
		for _, st := range sec.Tables {
			if _, taken := tables[st.Name]; !taken {
				tables[st.Name] = table{Header: st.Header, Rows: st.Rows}
			}
		}
	}
	t, ok := tables[c.Param("table")]
	if !ok {
		h.s.Fail(c, thttp.ErrNotFound)
		return
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="tsunagu-%s.csv"`, c.Param("table")))
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	w.Write(t.Header)
	for _, row := range t.Rows {
		out := make([]string, len(row))
		for i, v := range row {
			out[i] = csvText(v)
		}
		w.Write(out)
	}
	w.Flush()
}

// csvText keeps a typed value (a programme's title) that a spreadsheet
// would run as a formula (=, +, -, @, tab or CR first, not a number) as
// text by putting ' before it.
func csvText(v string) string {
	if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return v
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v
	}
	return "'" + v
}
