package traininghttp

import (
	"context"
	"fmt"
	"strconv"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/training"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// OutcomeSource puts the training and workshop figures on the shared
// outcomes page (thttp.OutcomeSource): per-programme completion, time
// from enrolment to job-ready, hires within six months of completing, and
// workshops delivered with the participants they reached. Each table is
// also CSV at /coordinator/outcomes/csv/<name>: training_programmes,
// training, workshops.
type OutcomeSource struct {
	Training *training.Service
}

// OutcomeSection returns the section as of now. Returns EUNAUTHORIZED,
// EFORBIDDEN.
func (s OutcomeSource) OutcomeSection(ctx context.Context, p *i18n.Printer, f tsunagu.OutcomeFilter) (*thttp.OutcomeSection, error) {
	o, err := s.Training.Outcomes(ctx, f)
	if err != nil {
		return nil, err
	}
	return outcomeSection(o, p), nil
}

func rate(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
func pct(x float64) string  { return fmt.Sprintf("%.0f%%", x*100) }

// figure is one row of a figure/value table.
type figure struct {
	name, label, csv, page string
}

func figureTable(name, title string, p *i18n.Printer, fs []figure) thttp.OutcomeTable {
	t := thttp.OutcomeTable{Name: name, Title: title, Header: []string{"figure", "value"},
		Columns: []string{p.T("training.outcomes.figure"), p.T("training.outcomes.value")}}
	for _, f := range fs {
		t.Rows = append(t.Rows, []string{f.name, f.csv})
		t.Cells = append(t.Cells, []string{f.label, f.page})
	}
	return t
}

func outcomeSection(o *training.Outcomes, p *i18n.Printer) *thttp.OutcomeSection {
	progs := thttp.OutcomeTable{Name: "training_programmes", Title: p.T("training.outcomes.programmes"),
		Header: []string{"programme_id", "programme", "seated", "ended", "completed", "completion_rate"},
		Columns: []string{p.T("training.field.title"), p.T("training.outcomes.seated"), p.T("training.outcomes.ended"),
			p.T("training.outcomes.completed"), p.T("training.outcomes.rate")}}
	for _, x := range o.Programmes {
		t := x.Title(p.Lang)
		progs.Rows = append(progs.Rows, []string{strconv.FormatInt(x.ID, 10), t, strconv.Itoa(x.Seated),
			strconv.Itoa(x.Ended), strconv.Itoa(x.Completed), rate(x.CompletionRate)})
		progs.Cells = append(progs.Cells, []string{t, strconv.Itoa(x.Seated), strconv.Itoa(x.Ended),
			strconv.Itoa(x.Completed), pct(x.CompletionRate)})
	}
	days := strconv.FormatFloat(o.MedianDaysToJobReady, 'f', 1, 64)
	train := figureTable("training", p.T("training.outcomes.training"), p, []figure{
		{"completion_rate", p.T("training.outcomes.rate_all"), rate(o.CompletionRate), pct(o.CompletionRate)},
		{"job_ready_after_training", p.T("training.outcomes.job_ready"), strconv.Itoa(o.JobReadyCount), strconv.Itoa(o.JobReadyCount)},
		{"median_days_enrolment_to_job_ready", p.T("training.outcomes.median_days"), days, p.T("training.outcomes.days_value", map[string]any{"Days": days})},
		{"completed_candidates_6_months_ago", p.T("training.outcomes.completed_base"), strconv.Itoa(o.CompletedCandidates), strconv.Itoa(o.CompletedCandidates)},
		{"hired_within_6_months_of_completion", p.T("training.outcomes.hired_within"), strconv.Itoa(o.HiredWithin6Months), strconv.Itoa(o.HiredWithin6Months)},
		{"hire_rate_within_6_months", p.T("training.outcomes.hire_rate"), rate(o.HireRate), pct(o.HireRate)},
	})
	ws := figureTable("workshops", p.T("training.outcomes.workshops_title"), p, []figure{
		{"workshops_delivered", p.T("training.outcomes.delivered"), strconv.Itoa(o.WorkshopsDelivered), strconv.Itoa(o.WorkshopsDelivered)},
		{"workshop_participants", p.T("training.outcomes.participants"), strconv.Itoa(o.Participants), strconv.Itoa(o.Participants)},
		{"workshop_lecturers", p.T("training.outcomes.lecturers"), strconv.Itoa(o.Lecturers), strconv.Itoa(o.Lecturers)},
	})
	return &thttp.OutcomeSection{ID: "training", Title: p.T("training.outcomes.title"),
		Tables: []thttp.OutcomeTable{progs, train, ws}, JSON: o}
}
