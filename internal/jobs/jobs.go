// Package jobs runs the work tied to time or to the outside world on Asynq:
// follow-ups, reminders, notifications, imports, exports.
//
// What must happen later is first a row in job_outbox, written in the same
// transaction as the change that causes it (Outbox.Add with the caller's
// transaction). The Relay moves due rows to Asynq with the row's unique key
// as the task ID, so a task is in the queue at most once; a periodic sweep
// re-enqueues anything due that Redis lost. A Redis that lost its data (a
// restart without persistence, a FLUSHDB, a failover) is noticed at once
// by a marker key the relay keeps there (recoverQueue): everything not done
// is enqueued again on the next relay tick, not minutes later. Handlers are idempotent: they
// finish by marking the row done in the same transaction as their effect
// (Outbox.Done), and skip a row already done. Tasks carry ids only.
//
// jobs knows no feature: each feature defines its task types, constructors
// and handlers in its own tasks.go and registers them through a Registrar
// (Tasks); the Worker serves what was registered and runs the one
// scheduler.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Task types.
const (
	TypeSweep          = "system:sweep"           // periodic: re-enqueue due outbox rows, clean up
	TypeSessionCleanup = "system:session_cleanup" // periodic: drop expired sessions
	TypeMailFlush      = "system:mail_flush"      // periodic: send queued mail when SMTP is set up
)

// Mailer sends one message (the SMTP mailer of package mail).
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// Payload is what every outbox task carries: the outbox row id and the ids
// the handler needs. Never personal data.
type Payload struct {
	OutboxID int64            `json:"outbox_id,omitempty"`
	IDs      map[string]int64 `json:"ids,omitempty"`
}

// Decode reads a task payload, wrapping asynq.SkipRetry when it cannot.
func Decode(t *asynq.Task) (Payload, error) {
	var p Payload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return p, fmt.Errorf("decode %s payload: %v: %w", t.Type(), err, asynq.SkipRetry)
	}
	return p, nil
}

// Handler is a task handler with its type (features register them through
// a Registrar).
type Handler struct {
	Type string
	Func func(ctx context.Context, t *asynq.Task) error
}

// Worker processes tasks and, when it holds the scheduler lock, enqueues
// the periodic ones.
type Worker struct {
	DB       *postgres.DB
	Redis    asynq.RedisConnOpt
	Log      *slog.Logger
	Handlers []Handler
	// Periodic tasks: type → interval.
	Periodic map[string]time.Duration
	// RelayInterval is how often due outbox rows are moved to Asynq.
	RelayInterval time.Duration
	Concurrency   int
	// Mailer sends queued mail; nil leaves it in the outbox page.
	Mailer Mailer

	srv    *asynq.Server
	client *asynq.Client
	rdb    redis.UniversalClient
	cancel context.CancelFunc
	done   chan struct{}
}

// RedisOpt parses a redis:// URL into an Asynq connection option.
func RedisOpt(url string) (asynq.RedisConnOpt, error) {
	opt, err := asynq.ParseRedisURI(url)
	if err != nil {
		return nil, fmt.Errorf("parse REDIS_URL: %w", err)
	}
	return opt, nil
}

// Start starts processing tasks, relaying the outbox and scheduling.
func (w *Worker) Start(ctx context.Context) error {
	if w.Log == nil {
		w.Log = slog.Default()
	}
	if w.RelayInterval == 0 {
		w.RelayInterval = time.Second
	}
	if w.Concurrency == 0 {
		w.Concurrency = 10
	}
	if w.Periodic == nil {
		w.Periodic = map[string]time.Duration{}
	}
	if _, ok := w.Periodic[TypeSweep]; !ok {
		w.Periodic[TypeSweep] = time.Minute
	}
	if _, ok := w.Periodic[TypeSessionCleanup]; !ok {
		w.Periodic[TypeSessionCleanup] = time.Hour
	}
	if _, ok := w.Periodic[TypeMailFlush]; !ok && w.Mailer != nil {
		w.Periodic[TypeMailFlush] = time.Minute
	}
	w.client = asynq.NewClient(w.Redis)
	w.rdb = w.Redis.MakeRedisClient().(redis.UniversalClient)
	mux := asynq.NewServeMux()
	mux.HandleFunc(TypeSweep, w.handleSweep)
	mux.HandleFunc(TypeSessionCleanup, w.handleSessionCleanup)
	mux.HandleFunc(TypeMailFlush, w.handleMailFlush)
	for _, h := range w.Handlers {
		mux.HandleFunc(h.Type, h.Func)
	}
	w.srv = asynq.NewServer(w.Redis, asynq.Config{
		Concurrency:     w.Concurrency,
		ShutdownTimeout: 10 * time.Second,
		Logger:          asynqLogger{w.Log},
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			w.Log.Error("task failed", "type", t.Type(), "err", err)
		}),
	})
	if err := w.srv.Start(mux); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	ctx, w.cancel = context.WithCancel(ctx)
	w.done = make(chan struct{})
	go w.loop(ctx)
	return nil
}

// Shutdown stops scheduling and relaying, then lets running tasks finish.
func (w *Worker) Shutdown() {
	if w.cancel != nil {
		w.cancel()
		<-w.done
	}
	if w.srv != nil {
		w.srv.Shutdown()
	}
	if w.client != nil {
		w.client.Close()
	}
	if w.rdb != nil {
		w.rdb.Close()
	}
}

// loop relays the outbox and, while this process holds the scheduler lock,
// enqueues periodic tasks. Periodic task ids carry their period, so even two
// schedulers could not enqueue the same period twice.
func (w *Worker) loop(ctx context.Context) {
	defer close(w.done)
	relay := time.NewTicker(w.RelayInterval)
	defer relay.Stop()
	sched := time.NewTicker(5 * time.Second)
	defer sched.Stop()
	owner := fmt.Sprintf("%d", time.Now().UnixNano())
	w.schedule(ctx, owner)
	for {
		select {
		case <-ctx.Done():
			w.rdb.Eval(context.Background(), `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`, []string{schedulerLock}, owner)
			return
		case <-relay.C:
			if err := w.recoverQueue(ctx); err != nil && ctx.Err() == nil {
				w.Log.Warn("check redis marker", "err", err)
			}
			if _, err := w.Relay(ctx, false); err != nil && ctx.Err() == nil {
				w.Log.Warn("relay outbox", "err", err)
			}
		case <-sched.C:
			w.schedule(ctx, owner)
		}
	}
}

const schedulerLock = "tsunagu:scheduler:leader"

// queueMarker is the key the relay keeps in Redis, holding the run id of
// the Redis server it was written to. When it is missing or names another
// run, Redis lost (or may have lost) the tasks queued before: it was
// flushed, restarted without its data, or replaced by a replica.
const queueMarker = "tsunagu:outbox:marker"

// recoverQueue checks the marker; when Redis lost it, it resets every
// outbox row not done so the relay enqueues it again now (task ids keep a
// task still queued from being queued twice; handlers skip a row already
// done), then writes the marker. The marker is written only after the
// reset, so a failed reset is tried again on the next tick.
func (w *Worker) recoverQueue(ctx context.Context) error {
	run := w.redisRunID(ctx)
	v, err := w.rdb.Get(ctx, queueMarker).Result()
	if err == nil && v == run {
		return nil
	}
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("read %s: %w", queueMarker, err)
	}
	n, err := w.DB.RequeueOutbox(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.Log.Warn("redis lost its queue: outbox tasks enqueued again", "count", n, "redis_run_id", run)
	}
	if err := w.rdb.Set(ctx, queueMarker, run, 0).Err(); err != nil {
		return fmt.Errorf("write %s: %w", queueMarker, err)
	}
	return nil
}

// redisRunID returns the run id of the Redis server (it changes at every
// restart), or "unknown" where INFO is not allowed: then only a missing
// marker is noticed.
func (w *Worker) redisRunID(ctx context.Context) string {
	info, err := w.rdb.Info(ctx, "server").Result()
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(info, "\n") {
		if id, ok := strings.CutPrefix(strings.TrimSpace(line), "run_id:"); ok {
			return id
		}
	}
	return "unknown"
}

// IsLeader reports whether this process holds the scheduler lock (taking or
// renewing it).
func (w *Worker) isLeader(ctx context.Context, owner string) bool {
	ok, err := w.rdb.SetNX(ctx, schedulerLock, owner, 15*time.Second).Result()
	if err != nil {
		return false
	}
	if ok {
		return true
	}
	n, err := w.rdb.Eval(ctx, `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], 15000) end return 0`, []string{schedulerLock}, owner).Int()
	return err == nil && n == 1
}

func (w *Worker) schedule(ctx context.Context, owner string) {
	if !w.isLeader(ctx, owner) {
		return
	}
	now := time.Now().UTC()
	for typ, every := range w.Periodic {
		period := now.Truncate(every)
		id := fmt.Sprintf("%s:%d", typ, period.Unix())
		_, err := w.client.EnqueueContext(ctx, asynq.NewTask(typ, nil), asynq.TaskID(id), asynq.Retention(every), asynq.MaxRetry(1))
		if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) && ctx.Err() == nil {
			w.Log.Warn("schedule periodic task", "type", typ, "err", err)
		}
	}
}

// Relay enqueues outbox rows that are due within the next minute and not
// yet enqueued; with sweep, also rows enqueued long ago but still not done
// (Redis may have lost them). It returns how many it enqueued.
func (w *Worker) Relay(ctx context.Context, sweep bool) (int, error) {
	rows, err := w.DB.DueOutbox(ctx, time.Now().Add(time.Minute), sweep, 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rows {
		task, err := NewOutboxTask(r.TaskType, r.ID, r.IDs())
		if err != nil {
			return n, err
		}
		opts := []asynq.Option{asynq.TaskID(r.UniqueKey), asynq.ProcessAt(r.RunAt), asynq.MaxRetry(10), asynq.Timeout(5 * time.Minute)}
		_, err = w.client.EnqueueContext(ctx, task, opts...)
		if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
			return n, fmt.Errorf("enqueue %s: %w", r.UniqueKey, err)
		}
		if err := w.DB.MarkOutboxEnqueued(ctx, r.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (w *Worker) handleSweep(ctx context.Context, t *asynq.Task) error {
	n, err := w.Relay(ctx, true)
	if n > 0 {
		w.Log.Info("sweep re-enqueued outbox tasks", "count", n)
	}
	return err
}

func (w *Worker) handleSessionCleanup(ctx context.Context, t *asynq.Task) error {
	n, err := w.DB.DeleteExpiredSessions(ctx, time.Now())
	if err == nil && n > 0 {
		w.Log.Info("expired sessions removed", "count", n)
	}
	return err
}

func (w *Worker) handleMailFlush(ctx context.Context, t *asynq.Task) error {
	if w.Mailer == nil {
		return nil
	}
	n, err := w.DB.FlushMail(ctx, 50, func(ctx context.Context, m tsunagu.Mail) error {
		return w.Mailer.Send(ctx, m.To, m.Subject, m.Body)
	})
	if n > 0 {
		w.Log.Info("queued mail sent", "count", n)
	}
	return err
}

// Ping checks Redis, for /readyz.
func Ping(ctx context.Context, opt asynq.RedisConnOpt) error {
	c := opt.MakeRedisClient().(redis.UniversalClient)
	defer c.Close()
	return c.Ping(ctx).Err()
}

type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a asynqLogger) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a asynqLogger) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }
func (a asynqLogger) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...)) }
