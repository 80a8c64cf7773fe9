package casehttp

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// outcomeFilter reads the outcome figures' filter from the query (period
// and programme) and lists the programmes to choose from. A filter that
// does not parse, or names no programme, is a per-field error.
func (h *Handlers) outcomeFilter(c *gin.Context) (tsunagu.OutcomeFilter, []*tsunagu.Programme, error) {
	progs, err := h.DB.ListProgrammes(c.Request.Context(), true)
	if err != nil {
		return tsunagu.OutcomeFilter{}, nil, err
	}
	f, err := thttp.OutcomeFilterQuery(c)
	if f.ProgrammeID != 0 && !slices.ContainsFunc(progs, func(p *tsunagu.Programme) bool { return p.ID == f.ProgrammeID }) {
		var v tsunagu.Validation
		v.Merge(err)
		v.Add("programme", tsunagu.MsgInvalidChoice, map[string]any{"Value": c.Query("programme")})
		err = v.Err()
	}
	return f, progs, err
}

// outcomes computes the figures of f: the cases' and the other areas'
// sections.
func (h *Handlers) outcomes(c *gin.Context, f tsunagu.OutcomeFilter) (*postgres.Outcomes, []*thttp.OutcomeSection, error) {
	o, err := h.Cases.Outcomes(c.Request.Context(), f)
	if err != nil {
		return nil, nil, err
	}
	secs, err := h.sections(c, f)
	if err != nil {
		return nil, nil, err
	}
	return o, secs, nil
}

// sections returns the other areas' outcome sections.
func (h *Handlers) sections(c *gin.Context, f tsunagu.OutcomeFilter) ([]*thttp.OutcomeSection, error) {
	var out []*thttp.OutcomeSection
	for _, src := range h.Outcomes {
		sec, err := src.OutcomeSection(c.Request.Context(), h.s.Printer(c), f)
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
	g.GET("/outcomes/:format/:table", h.handleOutcomesSheet)
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
	// The filter as typed, the programmes to choose from, and the query
	// that carries the filter to the exports ("?from=…", or "").
	From, To, Programme string
	Programmes          []*tsunagu.Programme
	Query               string
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

// handleOutcomes handles GET /coordinator/outcomes?from=&to=&programme=:
// headline figures, the funnel, median time in stage and retention, as
// SVG charts with CSV and XLSX exports; then the other areas' sections
// (training and workshops). A filter that does not parse shows its errors
// beside the figures of everything.
func (h *Handlers) handleOutcomes(c *gin.Context) {
	f, progs, ferr := h.outcomeFilter(c)
	if tsunagu.ErrorCode(ferr) != "" && tsunagu.ErrorCode(ferr) != tsunagu.EINVALID {
		h.s.Fail(c, ferr)
		return
	}
	if ferr != nil {
		f = tsunagu.OutcomeFilter{}
	}
	o, secs, err := h.outcomes(c, f)
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
	d := outcomesPage{O: o, Sections: secs, LabelW: chartLabelW, BarMax: chartBarMax, Programmes: progs,
		From: c.Query("from"), To: c.Query("to"), Programme: c.Query("programme"),
		Charts: []chart{
			barChart(p.T("cases.outcomes.funnel"), "funnel", fl, fv, func(v float64) string { return strconv.Itoa(int(v)) }),
			barChart(p.T("cases.outcomes.median"), "median", ml, mv, func(v float64) string {
				return p.T("cases.outcomes.days", map[string]any{"Days": fmt.Sprintf("%.0f", v)})
			}),
			barChart(p.T("cases.outcomes.retention"), "retention", rl, rv, func(v float64) string { return fmt.Sprintf("%.0f%%", v) }),
		}}
	if ferr == nil {
		q := url.Values{}
		for _, k := range []string{"from", "to", "programme"} {
			if v := strings.TrimSpace(c.Query(k)); v != "" {
				q.Set(k, v)
			}
		}
		if len(q) > 0 {
			d.Query = "?" + q.Encode()
		}
		h.s.Render(c, http.StatusOK, "cases/outcomes", d)
		return
	}
	h.s.RenderForm(c, "cases/outcomes", d, ferr)
}

// handleOutcomesSheet handles GET /coordinator/outcomes/:format/:table
// (csv or xlsx; headline, funnel, median, retention, and the tables of
// the other areas' sections) with the page's filter: the table as a file
// named for the table and the filter.
func (h *Handlers) handleOutcomesSheet(c *gin.Context) {
	f, _, err := h.outcomeFilter(c)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	o, secs, err := h.outcomes(c, f)
	if err != nil {
		h.s.Fail(c, err)
		return
	}
	tables := outcomeTables(h.s.Printer(c), o)
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
	sheet := thttp.Sheet{Name: "tsunagu-" + c.Param("table") + f.Suffix(i18n.Zone), Header: t.Header, Rows: t.Rows}
	if err := thttp.WriteSheet(c, c.Param("format"), sheet); err != nil && !c.Writer.Written() {
		h.s.Fail(c, err)
	}
}
