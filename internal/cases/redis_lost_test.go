package cases_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/jobs"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
)

// TestRedisFlushedReminderDueSoon: the first check-in reminders of a hire
// are due in one minute and already queued when Redis loses its data
// (FLUSHDB on the test's Redis database, as a restart without persistence
// would). The worker notices at once and queues them again, so they fire
// within two minutes of the flush, each once, instead of waiting for the
// sweep, which re-queues only rows queued over five minutes ago.
func TestRedisFlushedReminderDueSoon(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := postgres.Open(ctx, dbtest.NewDatabaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := fixtureOn(t, db)
	redisURL := dbtest.NewRedisURL(t)
	ropt, err := jobs.RedisOpt(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	// Hired a month ago less a minute: the month-1 check-ins fall due in a
	// minute.
	hired := f.clock.Now().Add(time.Minute).AddDate(0, -1, 0)
	f.clock.Add(hired.Sub(f.clock.Now()))
	mustHire(t, f)
	f.svc.Now = func() time.Time { return time.Now().UTC() }
	due := count(t, db, `SELECT count(*) FROM followups WHERE month = 1`)
	if due == 0 {
		t.Fatal("no month-1 check-ins planned")
	}

	w := &jobs.Worker{DB: db, Redis: ropt, Log: quiet(), Handlers: caseHandlers(f.svc), RelayInterval: 100 * time.Millisecond}
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Shutdown)
	const queued = `SELECT count(*) FROM job_outbox WHERE task_type = 'case:followup_due' AND enqueued_at IS NOT NULL AND done_at IS NULL AND run_at < now() + interval '2 minutes'`
	for deadline := time.Now().Add(20 * time.Second); count(t, db, queued) < due; {
		if time.Now().After(deadline) {
			t.Fatalf("reminders never queued: %d of %d", count(t, db, queued), due)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Second) // the relay's next ticks find everything in place

	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opt)
	defer rc.Close()
	if err := rc.FlushDB(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	flushed := time.Now()
	const reminded = `SELECT count(*) FROM followups WHERE month = 1 AND reminded_at IS NOT NULL`
	for count(t, db, reminded) < due {
		if time.Since(flushed) > 2*time.Minute {
			t.Fatalf("%d of %d reminders due a minute after the flush fired within two minutes", count(t, db, reminded), due)
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Logf("%d reminders fired %s after the flush", due, time.Since(flushed).Round(time.Second))
	time.Sleep(2 * time.Second) // a duplicate delivery would show now
	if got := count(t, db, `SELECT count(*) FROM case_events WHERE kind = 'followup' AND to_state = 'due'`); got != due {
		t.Errorf("reminder events: %d, want %d (each once)", got, due)
	}
}
