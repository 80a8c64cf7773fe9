package cases_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
)

// mustNotifyMailTask suggests a role to f's candidate, which notifies them
// and plans one notify:mail task, mailed through the real auth service
// (stored in the mail outbox); it returns the task's outbox row.
func mustNotifyMailTask(t *testing.T, f *fixture) postgres.OutboxRow {
	t.Helper()
	a := auth.NewService(f.db, nil, "http://tsunagu.test", time.Hour)
	a.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	f.svc.Mail = a
	f.svc.Translate = func(lang, id string, data map[string]any) string { return lang + ":" + id }
	caseID := mustOpen(t, f, f.candID)
	if _, err := f.svc.Suggest(as(f.coord), caseID, f.roleA, ""); err != nil {
		t.Fatal(err)
	}
	rows, err := f.db.DueOutbox(context.Background(), time.Now(), false, 10)
	if err != nil || len(rows) != 1 || rows[0].TaskType != cases.TaskNotifyMail {
		t.Fatalf("outbox: %+v, %v", rows, err)
	}
	return rows[0]
}

// TestNotificationMailedOnce: a notification's mail task that runs again
// (its transaction failed after the mail went, as in a crash, or two
// deliveries at once) stores and sends one message.
func TestNotificationMailedOnce(t *testing.T) {
	ctx := context.Background()
	t.Run("RetriedAfterTheMailWent", func(t *testing.T) {
		f := newFixture(t)
		row := mustNotifyMailTask(t, f)
		failed := false
		f.svc.Hook = func(_ context.Context, task string) error {
			if task == cases.TaskNotifyMail && !failed {
				failed = true
				return errors.New("worker killed before marking the task done")
			}
			return nil
		}
		if err := f.svc.HandleNotifyMail(ctx, row.ID, row.IDs()["notification_id"]); err == nil {
			t.Fatal("first run: want the hook's error")
		}
		if err := f.svc.HandleNotifyMail(ctx, row.ID, row.IDs()["notification_id"]); err != nil {
			t.Fatal(err)
		}
		if got := count(t, f.db, `SELECT count(*) FROM mail_outbox WHERE to_addr = $1`, f.cand.Email); got != 1 {
			t.Errorf("messages to the candidate = %d, want 1", got)
		}
	})
	t.Run("DeliveredTwiceAtOnce", func(t *testing.T) {
		f := newFixture(t)
		row := mustNotifyMailTask(t, f)
		// Each delivery holds its transaction a moment, as a busy worker.
		f.svc.Hook = func(context.Context, string) error { time.Sleep(100 * time.Millisecond); return nil }
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = f.svc.HandleNotifyMail(ctx, row.ID, row.IDs()["notification_id"])
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if got := count(t, f.db, `SELECT count(*) FROM mail_outbox WHERE to_addr = $1`, f.cand.Email); got != 1 {
			t.Errorf("messages to the candidate after 4 deliveries at once = %d, want 1", got)
		}
	})
}
