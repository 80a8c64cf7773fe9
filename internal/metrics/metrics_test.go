package metrics_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/jobs"
	"github.com/tsunagu-org/tsunagu/internal/metrics"
)

func TestWrapJobsCountsResults(t *testing.T) {
	m := metrics.New(metrics.Options{})
	results := []error{nil, errors.New("boom"), fmt.Errorf("bad payload: %w", asynq.SkipRetry)}
	n := 0
	hs := m.WrapJobs([]jobs.Handler{{Type: "t:x", Func: func(context.Context, *asynq.Task) error { err := results[n]; n++; return err }}})
	for range results {
		hs[0].Func(context.Background(), asynq.NewTask("t:x", nil))
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`tsunagu_jobs_processed_total{result="ok",type="t:x"} 1`,
		`tsunagu_jobs_processed_total{result="error",type="t:x"} 1`,
		`tsunagu_jobs_processed_total{result="skip_retry",type="t:x"} 1`,
		`tsunagu_job_duration_seconds_count{type="t:x"} 3`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("missing %s", want)
		}
	}
}
