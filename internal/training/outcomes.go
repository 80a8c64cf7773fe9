package training

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// ProgrammeOutcome is one programme's completion figures.
type ProgrammeOutcome struct {
	ID      int64  `json:"id"`
	TitleJA string `json:"title_ja"`
	TitleEN string `json:"title_en"`
	// Seated counts enrolments that ever took a place; Ended those of
	// them that finished (completed, not completed or withdrawn).
	Seated    int `json:"seated"`
	Ended     int `json:"ended"`
	Completed int `json:"completed"`
	// CompletionRate is Completed / Ended (0 when none ended).
	CompletionRate float64 `json:"completion_rate"`
}

// Title returns the title in lang, or in the other language.
func (p ProgrammeOutcome) Title(lang string) string {
	return (&tsunagu.Programme{TitleJA: p.TitleJA, TitleEN: p.TitleEN}).Title(lang)
}

// Outcomes are the figures of training and workshops for the shared
// outcomes page, its CSV exports and the API (traininghttp.OutcomeSource
// lays them out).
type Outcomes struct {
	Programmes []ProgrammeOutcome `json:"programmes"`
	// CompletionRate over every programme.
	CompletionRate float64 `json:"completion_rate"`
	// JobReadyCount candidates reached job-ready after first taking a
	// place; MedianDaysToJobReady is the median days it took.
	JobReadyCount        int     `json:"job_ready_count"`
	MedianDaysToJobReady float64 `json:"median_days_to_job_ready"`
	// CompletedCandidates completed a programme six months or more ago;
	// HiredWithin6Months of them were hired within six months of it.
	CompletedCandidates int     `json:"completed_candidates"`
	HiredWithin6Months  int     `json:"hired_within_6_months"`
	HireRate            float64 `json:"hire_rate"`
	// Workshops delivered, participants reached and lecturers who taught.
	WorkshopsDelivered int       `json:"workshops_delivered"`
	Participants       int       `json:"participants"`
	Lecturers          int       `json:"lecturers"`
	AsOf               time.Time `json:"as_of"`
}

// Outcomes computes the figures as of now (staff: tsunagu.ActOutcomesView),
// narrowed by flt to a period and a programme. Returns EUNAUTHORIZED,
// EFORBIDDEN.
func (s *Service) Outcomes(ctx context.Context, flt tsunagu.OutcomeFilter) (*Outcomes, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActTrainingManage, tsunagu.Subject{}) {
		return nil, tsunagu.Forbidden()
	}
	now := s.now()
	f, err := s.DB.TrainingOutcomeFigures(ctx, now, flt)
	if err != nil {
		return nil, err
	}
	o := &Outcomes{Programmes: []ProgrammeOutcome{}, AsOf: now,
		CompletedCandidates: f.CompletedCandidates, HiredWithin6Months: f.HiredWithin6,
		HireRate: ratio(f.HiredWithin6, f.CompletedCandidates), WorkshopsDelivered: f.Workshops,
		Participants: f.Participants, Lecturers: f.Lecturers, JobReadyCount: len(f.DaysToJobReady),
		MedianDaysToJobReady: median(f.DaysToJobReady)}
	completed, ended := 0, 0
	for _, p := range f.Programmes {
		o.Programmes = append(o.Programmes, ProgrammeOutcome{ID: p.ID, TitleJA: p.TitleJA, TitleEN: p.TitleEN,
			Seated: p.Seated, Ended: p.Ended, Completed: p.Completed, CompletionRate: ratio(p.Completed, p.Ended)})
		completed += p.Completed
		ended += p.Ended
	}
	o.CompletionRate = ratio(completed, ended)
	return o, nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// median returns the median of xs rounded to a tenth, 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return math.Round(m*10) / 10
}
