package cases_test

// Reliability tests with the real PostgreSQL, Redis and Asynq worker. Each
// plans the 16 outbox tasks of one hire (8 check-ins: reminder and
// escalation each), all already due, breaks something while the worker
// runs them, and checks after recovery that every task took effect exactly
// once and no stage change was lost.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/jobs"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

type rig struct {
	*fixture
	dbURL    string
	redisURL string
	ropt     asynq.RedisConnOpt
	caseID   int64
}

// newRig hires the fixture's candidate 13 months ago, so every check-in of
// the hire (and every escalation) is due now.
func newRig(t *testing.T) *rig {
	t.Helper()
	dbURL := dbtest.NewDatabaseURL(t)
	db, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r := &rig{fixture: fixtureOn(t, db), dbURL: dbURL, redisURL: dbtest.NewRedisURL(t)}
	if r.ropt, err = jobs.RedisOpt(r.redisURL); err != nil {
		t.Fatal(err)
	}
	now := r.clock.Now()
	r.clock.Add(-13 * 30 * 24 * time.Hour)
	r.caseID, _ = mustHire(t, r.fixture)
	r.clock.Add(now.Sub(r.clock.Now()))
	if got := count(t, db, `SELECT count(*) FROM job_outbox WHERE run_at < now()`); got != 16 {
		t.Fatalf("due outbox rows: %d, want 16", got)
	}
	return r
}

// caseHandlers returns the case task handlers as the app registers them.
func caseHandlers(s *cases.Service) []jobs.Handler {
	var ts jobs.Tasks
	cases.RegisterTasks(&ts, s)
	return ts.Handlers
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startWorker starts a worker over svc; it stops when the test ends.
func (r *rig) startWorker(t *testing.T, svc *cases.Service) *jobs.Worker {
	t.Helper()
	w := &jobs.Worker{DB: svc.DB, Redis: r.ropt, Log: quiet(), Handlers: caseHandlers(svc), RelayInterval: 100 * time.Millisecond}
	if err := w.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() { once.Do(w.Shutdown) }
	t.Cleanup(stop)
	return w
}

// drain waits until every outbox row is done. Asynq backs off retries by
// 15 s and more; drain fast-forwards that by running retry tasks at once
// (Inspector.RunTask), which changes when a retry runs, never whether.
func (r *rig) drain(t *testing.T, timeout time.Duration) {
	t.Helper()
	insp := asynq.NewInspector(r.ropt)
	defer insp.Close()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		// After a connection drop the pool may hand out a dead connection
		// once; such a read fails and is tried again.
		var open int
		if err := r.db.GetContext(context.Background(), &open, `SELECT count(*) FROM job_outbox WHERE done_at IS NULL`); err == nil && open == 0 {
			return
		}
		if ts, err := insp.ListRetryTasks("default"); err == nil {
			for _, ti := range ts {
				insp.RunTask("default", ti.ID)
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("outbox not drained after %s: %d rows open", timeout, count(t, r.db, `SELECT count(*) FROM job_outbox WHERE done_at IS NULL`))
}

// checkExactlyOnce checks the effects of the hire's 16 tasks: each
// check-in reminded once, each escalated once, one notification each, and
// the case moved into retention once.
func (r *rig) checkExactlyOnce(t *testing.T) {
	t.Helper()
	db := r.db
	for _, c := range []struct {
		what string
		q    string
		want int
	}{
		{"due reminders", `SELECT count(*) FROM notifications WHERE kind = 'followup_due'`, 8},
		{"escalations", `SELECT count(*) FROM notifications WHERE kind = 'followup_overdue'`, 8},
		{"reminder events", `SELECT count(*) FROM case_events WHERE kind = 'followup' AND to_state = 'due'`, 8},
		{"escalation events", `SELECT count(*) FROM case_events WHERE kind = 'alert' AND to_state = 'overdue'`, 8},
		{"retention moves", `SELECT count(*) FROM case_events WHERE kind = 'stage' AND to_state = 'retention'`, 1},
		{"hire moves", `SELECT count(*) FROM case_events WHERE kind = 'stage' AND to_state = 'hired'`, 1},
		{"reminded check-ins", `SELECT count(*) FROM followups WHERE reminded_at IS NOT NULL AND escalated_at IS NOT NULL`, 8},
		{"done tasks", `SELECT count(*) FROM job_outbox WHERE done_at IS NOT NULL`, 16},
	} {
		if got := count(t, db, c.q); got != c.want {
			t.Errorf("%s: got %d, want %d", c.what, got, c.want)
		}
	}
	cs, err := db.CaseByID(context.Background(), r.caseID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cs.Stage, tsunagu.StageRetention; got != want {
		t.Errorf("case stage: got %s, want %s", got, want)
	}
}

// TestWorkerRunsDueFollowupsOnce is the baseline: nothing breaks.
func TestWorkerRunsDueFollowupsOnce(t *testing.T) {
	r := newRig(t)
	r.startWorker(t, r.svc)
	r.drain(t, 30*time.Second)
	r.checkExactlyOnce(t)
}

// TestSameTaskDeliveredTwice delivers every task twice at once, and once
// more after it ran (as a second relay or a Redis replay would): the
// outbox claim lets one delivery act.
func TestSameTaskDeliveredTwice(t *testing.T) {
	r := newRig(t)
	rows, err := r.db.DueOutbox(context.Background(), time.Now(), false, 100)
	if err != nil {
		t.Fatal(err)
	}
	hs := map[string]jobs.Handler{}
	for _, h := range caseHandlers(r.svc) {
		hs[h.Type] = h
	}
	run := func(row postgres.OutboxRow) error {
		payload := fmt.Sprintf(`{"outbox_id": %d, "ids": {"followup_id": %d}}`, row.ID, row.IDs()["followup_id"])
		return hs[row.TaskType].Func(context.Background(), asynq.NewTask(row.TaskType, []byte(payload)))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3*len(rows))
	for _, row := range rows {
		for range 2 {
			wg.Add(1)
			go func() { defer wg.Done(); errs <- run(row) }()
		}
	}
	wg.Wait()
	for _, row := range rows {
		errs <- run(row)
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("delivery: %v", err)
		}
	}
	r.checkExactlyOnce(t)

	t.Run("BadPayloadSkipsRetry", func(t *testing.T) {
		for _, p := range []string{`not json`, `{"ids": {"followup_id": 1}}`, `{"outbox_id": 1}`} {
			err := hs[cases.TaskFollowupDue].Func(context.Background(), asynq.NewTask(cases.TaskFollowupDue, []byte(p)))
			if !errors.Is(err, asynq.SkipRetry) {
				t.Errorf("payload %s: got %v, want SkipRetry", p, err)
			}
		}
	})
	t.Run("CancelledContext", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := r.svc.HandleFollowupDue(ctx, rows[0].ID, 1); !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	})
}

// TestRedisFlushed loses every queued task (FLUSHDB, as a Redis restart
// without persistence would) while the tasks are failing and waiting to
// retry; the sweep re-enqueues what PostgreSQL says is not done.
func TestRedisFlushed(t *testing.T) {
	r := newRig(t)
	var failing atomic.Bool
	failing.Store(true)
	var attempts atomic.Int32
	r.svc.Hook = func(ctx context.Context, task string) error {
		attempts.Add(1)
		if failing.Load() {
			return errors.New("simulated failure before commit")
		}
		return nil
	}
	w := r.startWorker(t, r.svc)
	deadline := time.Now().Add(20 * time.Second)
	for attempts.Load() < 16 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if attempts.Load() < 16 {
		t.Fatalf("only %d attempts before the flush", attempts.Load())
	}
	if got := count(t, r.db, `SELECT count(*) FROM notifications WHERE kind IN ('followup_due', 'followup_overdue')`); got != 0 {
		t.Fatalf("failed attempts left %d notifications", got)
	}
	opt, _ := redis.ParseURL(r.redisURL)
	rc := redis.NewClient(opt)
	if err := rc.FlushDB(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	rc.Close()
	insp := asynq.NewInspector(r.ropt)
	if qs, _ := insp.Queues(); len(qs) != 0 {
		t.Fatalf("queues after flush: %v", qs)
	}
	insp.Close()
	failing.Store(false)
	// The sweep re-enqueues rows enqueued over five minutes ago; pretend
	// those minutes passed.
	if _, err := r.db.ExecContext(context.Background(), `UPDATE job_outbox SET enqueued_at = now() - interval '10 minutes'`); err != nil {
		t.Fatal(err)
	}
	n, err := w.Relay(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if n != 16 {
		t.Errorf("sweep re-enqueued %d, want 16", n)
	}
	r.drain(t, 30*time.Second)
	r.checkExactlyOnce(t)
}

// TestPostgresConnectionsDropped terminates every connection of the
// worker's database in the middle of its first task (as a PostgreSQL
// restart does): the tasks in flight roll back and retry, the pool
// reconnects, and a stage change made at that moment either commits or
// fails visibly, never half.
func TestPostgresConnectionsDropped(t *testing.T) {
	r := newRig(t)
	admin, err := sql.Open("postgres", dbtest.DatabaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var dbName string
	if err := r.db.GetContext(context.Background(), &dbName, `SELECT current_database()`); err != nil {
		t.Fatal(err)
	}
	other := mustOpen(t, r.fixture, r.otherID)
	var dropped atomic.Bool
	drops := make(chan struct{})
	r.svc.Hook = func(ctx context.Context, task string) error {
		if dropped.CompareAndSwap(false, true) {
			if _, err := admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, dbName); err != nil {
				return err
			}
			close(drops)
		}
		return nil
	}
	r.startWorker(t, r.svc)
	select {
	case <-drops:
	case <-time.After(20 * time.Second):
		t.Fatal("no task started")
	}
	// A stage change right after the drop: committed once, or an error.
	var moveErr error
	for range 30 {
		if moveErr = r.svc.MoveCase(as(r.coord), other, tsunagu.CaseMove{Stage: tsunagu.StageTraining, Note: "after drop"}); moveErr == nil {
			break
		}
		if tsunagu.ErrorCode(moveErr) == tsunagu.EINVALID {
			break // an earlier attempt committed after all
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.drain(t, 60*time.Second)
	// Drop idle connections that may still be dead, so the checks below
	// read the database rather than a broken socket.
	r.db.SetMaxIdleConns(0)
	r.db.SetMaxIdleConns(25)
	r.checkExactlyOnce(t)
	if got := count(t, r.db, `SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'stage' AND to_state = 'training'`, other); got != 1 {
		t.Errorf("stage change after the drop recorded %d times (last error %v)", got, moveErr)
	}
}

// TestWorkerKilledMidTask runs the worker in a child process, kills it
// (SIGKILL) while a check-in reminder is inside its transaction, and lets
// a new worker recover: the half-done task left nothing, and runs once.
func TestWorkerKilledMidTask(t *testing.T) {
	r := newRig(t)
	marker := filepath.Join(t.TempDir(), "in-task")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWorkerProcess$", "-test.v")
	cmd.Env = append(os.Environ(), "TSUNAGU_HELPER_WORKER=1", "HELPER_DATABASE_URL="+r.dbURL, "HELPER_REDIS_URL="+r.redisURL, "HELPER_MARKER="+marker)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the child worker never reached the middle of a task")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	// The killed transaction left nothing: no reminder was recorded.
	time.Sleep(200 * time.Millisecond)
	if got := count(t, r.db, `SELECT count(*) FROM notifications WHERE kind = 'followup_due'`); got != 0 {
		t.Fatalf("reminders after the kill: %d, want 0", got)
	}
	// Asynq gives a crashed worker's tasks back once their lease has been
	// expired for 30 s; pretend that time passed.
	opt, _ := redis.ParseURL(r.redisURL)
	rc := redis.NewClient(opt)
	leased := redisZ(rc)
	if len(leased) == 0 {
		t.Fatal("no task was active in the killed worker")
	}
	if got := count(t, r.db, `SELECT count(*) FROM job_outbox WHERE task_type = $1 AND done_at IS NULL`, cases.TaskFollowupDue); got == 0 {
		t.Fatal("the killed reminder is marked done")
	}
	if err := rc.ZAdd(context.Background(), "asynq:{default}:lease", leased...).Err(); err != nil {
		t.Fatal(err)
	}
	rc.Close()
	r.startWorker(t, r.svc)
	r.drain(t, 90*time.Second)
	r.checkExactlyOnce(t)
}

// redisZ returns every leased task with an expiry long past.
func redisZ(rc *redis.Client) []redis.Z {
	ids, _ := rc.ZRange(context.Background(), "asynq:{default}:lease", 0, -1).Result()
	out := make([]redis.Z, 0, len(ids))
	for _, id := range ids {
		out = append(out, redis.Z{Score: 1, Member: id})
	}
	return out
}

// TestHelperWorkerProcess is the child of TestWorkerKilledMidTask: a worker
// whose check-in reminders stop inside their transaction until killed.
func TestHelperWorkerProcess(t *testing.T) {
	if os.Getenv("TSUNAGU_HELPER_WORKER") != "1" {
		t.Skip("helper process for TestWorkerKilledMidTask")
	}
	ctx := context.Background()
	db, err := postgres.Open(ctx, os.Getenv("HELPER_DATABASE_URL"))
	if err != nil {
		t.Fatal(err)
	}
	ropt, err := jobs.RedisOpt(os.Getenv("HELPER_REDIS_URL"))
	if err != nil {
		t.Fatal(err)
	}
	svc := cases.New(db)
	svc.Log = quiet()
	svc.Hook = func(ctx context.Context, task string) error {
		if task == cases.TaskFollowupDue {
			os.WriteFile(os.Getenv("HELPER_MARKER"), []byte("1"), 0o600)
			select {} // until killed
		}
		return nil
	}
	w := &jobs.Worker{DB: db, Redis: ropt, Log: quiet(), Handlers: caseHandlers(svc), RelayInterval: 100 * time.Millisecond}
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	select {}
}

// TestOneSchedulerForTwoWorkers runs two workers with the case scan every
// second: each period's scan runs once, not once per worker.
func TestOneSchedulerForTwoWorkers(t *testing.T) {
	r := newRig(t)
	var mu sync.Mutex
	runs := map[string]int{}
	counting := func(ctx context.Context, t *asynq.Task) error {
		id, _ := asynq.GetTaskID(ctx)
		mu.Lock()
		runs[id]++
		mu.Unlock()
		return nil
	}
	for range 2 {
		w := &jobs.Worker{DB: r.db, Redis: r.ropt, Log: quiet(), RelayInterval: time.Hour,
			Handlers: []jobs.Handler{{Type: cases.TaskScan, Func: counting}},
			Periodic: map[string]time.Duration{cases.TaskScan: time.Second}}
		if err := w.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(w.Shutdown)
	}
	time.Sleep(7 * time.Second)
	mu.Lock()
	defer mu.Unlock()
	if len(runs) == 0 {
		t.Fatal("the scan never ran")
	}
	for id, n := range runs {
		if n != 1 {
			t.Errorf("scan %s ran %d times", id, n)
		}
	}
}
