// Package metrics exposes the platform's Prometheus metrics at /metrics:
// HTTP requests, background jobs, the search index, the outbox and Asynq
// queues, and the database pool. It keeps its own registry, so tests and
// several apps in one process do not collide.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tsunagu-org/tsunagu/internal/jobs"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
)

// Metrics holds the registry and the instruments.
type Metrics struct {
	Registry *prometheus.Registry
	// IndexApplied, when set (by the search wiring), reports the last
	// change-log sequence the local search index applied; read at scrape.
	IndexApplied func() int64
	// IndexLag, when set (by the search wiring), reports how far the local
	// search index is behind the change log; read at scrape.
	IndexLag func(ctx context.Context) (IndexLag, error)

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	jobRuns      *prometheus.CounterVec
	jobDuration  *prometheus.HistogramVec
}

// IndexLag is how far a search index is behind the change log: sequence
// numbers past the highest applied, how long since it last had read every
// committed row (while behind), and the holes it waits for.
type IndexLag struct {
	Changes int64
	Age     time.Duration
	Holes   int
}

// Options name what the scrape-time collectors read.
type Options struct {
	DB    *postgres.DB
	Redis asynq.RedisConnOpt
	// IndexApplied is Metrics.IndexApplied's initial value.
	IndexApplied func() int64
}

// New builds the registry with every collector.
func New(o Options) *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry(), IndexApplied: o.IndexApplied}
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tsunagu_http_requests_total", Help: "HTTP requests by method, route and status.",
	}, []string{"method", "route", "status"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "tsunagu_http_request_duration_seconds", Help: "HTTP request duration by method and route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"method", "route"})
	m.jobRuns = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tsunagu_jobs_processed_total", Help: "Background tasks processed by type and result (ok, error, skip_retry).",
	}, []string{"type", "result"})
	m.jobDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "tsunagu_job_duration_seconds", Help: "Background task duration by type.",
		Buckets: prometheus.DefBuckets,
	}, []string{"type"})
	m.Registry.MustRegister(m.httpRequests, m.httpDuration, m.jobRuns, m.jobDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if o.DB != nil {
		m.Registry.MustRegister(collectors.NewDBStatsCollector(o.DB.DB.DB, "tsunagu"))
		m.Registry.MustRegister(&stateCollector{db: o.DB, redis: o.Redis, m: m})
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// Middleware counts and times every request by its route pattern (never
// the raw path, which would carry ids).
func (m *Metrics) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.httpRequests.WithLabelValues(c.Request.Method, route, strconv.Itoa(c.Writer.Status())).Inc()
		m.httpDuration.WithLabelValues(c.Request.Method, route).Observe(time.Since(start).Seconds())
	}
}

// WrapJobs counts and times each handler's runs.
func (m *Metrics) WrapJobs(hs []jobs.Handler) []jobs.Handler {
	out := make([]jobs.Handler, len(hs))
	for i, h := range hs {
		f := h.Func
		typ := h.Type
		out[i] = jobs.Handler{Type: typ, Func: func(ctx context.Context, t *asynq.Task) error {
			start := time.Now()
			err := f(ctx, t)
			m.jobDuration.WithLabelValues(typ).Observe(time.Since(start).Seconds())
			result := "ok"
			switch {
			case err == nil:
			case isSkipRetry(err):
				result = "skip_retry"
			default:
				result = "error"
			}
			m.jobRuns.WithLabelValues(typ, result).Inc()
			return err
		}}
	}
	return out
}

func isSkipRetry(err error) bool {
	for e := err; e != nil; {
		if e == asynq.SkipRetry {
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

// stateCollector reads the outbox, the queues, the change log and the index
// at scrape time.
type stateCollector struct {
	db    *postgres.DB
	redis asynq.RedisConnOpt
	m     *Metrics
}

var (
	descOutboxPending = prometheus.NewDesc("tsunagu_outbox_pending", "Outbox rows not done, by whether they are due.", []string{"due"}, nil)
	descOutboxOldest  = prometheus.NewDesc("tsunagu_outbox_oldest_due_seconds", "Age of the oldest due outbox row not done.", nil, nil)
	descQueueSize     = prometheus.NewDesc("tsunagu_queue_tasks", "Asynq tasks by queue and state.", []string{"queue", "state"}, nil)
	descChangeLog     = prometheus.NewDesc("tsunagu_change_log_seq", "Highest change-log sequence in PostgreSQL.", nil, nil)
	descIndexApplied  = prometheus.NewDesc("tsunagu_index_applied_seq", "Highest change-log sequence this process's search index applied.", nil, nil)
	descIndexLag      = prometheus.NewDesc("tsunagu_index_lag_changes", "Change-log sequence numbers past the highest this process's search index applied.", nil, nil)
	descIndexLagAge   = prometheus.NewDesc("tsunagu_index_lag_seconds", "While the search index is behind the change log, seconds since it last had read every committed row (0 when current).", nil, nil)
	descIndexHoles    = prometheus.NewDesc("tsunagu_index_holes", "Change-log sequence numbers the search index waits for (a transaction still open, or rolled back and not yet given up).", nil, nil)
	descScrapeError   = prometheus.NewDesc("tsunagu_state_scrape_errors", "Parts of the state that could not be read at this scrape.", []string{"part"}, nil)
)

func (s *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descOutboxPending, descOutboxOldest, descQueueSize, descChangeLog, descIndexApplied, descIndexLag, descIndexLagAge, descIndexHoles, descScrapeError} {
		ch <- d
	}
}

func (s *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	fail := func(part string) {
		ch <- prometheus.MustNewConstMetric(descScrapeError, prometheus.GaugeValue, 1, part)
	}
	var row struct {
		Due    float64 `db:"due"`
		Later  float64 `db:"later"`
		Oldest float64 `db:"oldest"`
	}
	const q = `
		SELECT count(*) FILTER (WHERE run_at <= now()) AS due, count(*) FILTER (WHERE run_at > now()) AS later,
		       COALESCE(extract(epoch FROM now() - min(run_at) FILTER (WHERE run_at <= now())), 0) AS oldest
		FROM job_outbox WHERE done_at IS NULL`
	if err := s.db.GetContext(ctx, &row, q); err != nil {
		fail("outbox")
	} else {
		ch <- prometheus.MustNewConstMetric(descOutboxPending, prometheus.GaugeValue, row.Due, "true")
		ch <- prometheus.MustNewConstMetric(descOutboxPending, prometheus.GaugeValue, row.Later, "false")
		ch <- prometheus.MustNewConstMetric(descOutboxOldest, prometheus.GaugeValue, row.Oldest)
	}
	var seq float64
	if err := s.db.GetContext(ctx, &seq, `SELECT COALESCE(max(seq), 0) FROM change_log`); err != nil {
		fail("change_log")
	} else {
		ch <- prometheus.MustNewConstMetric(descChangeLog, prometheus.GaugeValue, seq)
	}
	if f := s.m.IndexApplied; f != nil {
		ch <- prometheus.MustNewConstMetric(descIndexApplied, prometheus.GaugeValue, float64(f()))
	}
	if f := s.m.IndexLag; f != nil {
		if l, err := f(ctx); err != nil {
			fail("index_lag")
		} else {
			ch <- prometheus.MustNewConstMetric(descIndexLag, prometheus.GaugeValue, float64(l.Changes))
			ch <- prometheus.MustNewConstMetric(descIndexLagAge, prometheus.GaugeValue, l.Age.Seconds())
			ch <- prometheus.MustNewConstMetric(descIndexHoles, prometheus.GaugeValue, float64(l.Holes))
		}
	}
	if s.redis != nil {
		insp := asynq.NewInspector(s.redis)
		defer insp.Close()
		queues, err := insp.Queues()
		if err != nil {
			fail("queues")
			return
		}
		for _, q := range queues {
			info, err := insp.GetQueueInfo(q)
			if err != nil {
				fail("queues")
				continue
			}
			for state, n := range map[string]int{"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled,
				"retry": info.Retry, "archived": info.Archived, "completed": info.Completed} {
				ch <- prometheus.MustNewConstMetric(descQueueSize, prometheus.GaugeValue, float64(n), q, state)
			}
		}
	}
}
