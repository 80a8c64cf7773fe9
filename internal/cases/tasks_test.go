package cases_test

import (
	"context"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// runDue runs, through the service's handlers, every outbox row of type
// due by now, as the worker would.
func runDue(t *testing.T, f *fixture, typ string) int {
	t.Helper()
	rows, err := f.db.DueOutbox(context.Background(), f.clock.Now(), false, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if r.TaskType != typ {
			continue
		}
		ids := r.IDs()
		switch typ {
		case cases.TaskResidenceReminder:
			err = f.svc.HandleResidenceReminder(context.Background(), r.ID, ids["case_id"], ids["days"], ids["expiry"])
		case cases.TaskStaleAlert:
			err = f.svc.HandleStaleAlert(context.Background(), r.ID, ids["case_id"], ids["since"])
		}
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		f.db.MarkOutboxEnqueued(context.Background(), r.ID)
		n++
	}
	return n
}

func TestResidenceReminders(t *testing.T) {
	f := newFixture(t)
	expiry := time.Date(f.clock.Now().Year(), f.clock.Now().Month(), f.clock.Now().Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 60)
	cand := mustCandidate(t, f.db, "Lina S.", nil, &expiry)
	mustOpen(t, f, cand)
	ctx := context.Background()
	for range 2 { // a second scan plans nothing new
		if err := f.svc.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := count(t, f.db, `SELECT count(*) FROM job_outbox WHERE task_type = $1`, cases.TaskResidenceReminder), 2; got != want {
		t.Fatalf("planned reminders: got %d, want %d (90 and 30 days)", got, want)
	}
	if got := runDue(t, f, cases.TaskResidenceReminder); got != 1 {
		t.Fatalf("due now: %d, want the 90-day one", got)
	}
	if got := count(t, f.db, `SELECT count(*) FROM notifications WHERE kind = 'residence_expiry' AND user_id = $1`, f.coord.ID); got != 1 {
		t.Errorf("coordinator reminders: %d", got)
	}
	// 30 days later the second falls due; the card was renewed meanwhile,
	// so it does nothing.
	if _, err := f.db.ExecContext(ctx, `UPDATE candidates SET residence_expiry = residence_expiry + 365 WHERE id = $1`, cand); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(31 * 24 * time.Hour)
	if got := runDue(t, f, cases.TaskResidenceReminder); got != 1 {
		t.Fatalf("due after 31 days: %d", got)
	}
	if got := count(t, f.db, `SELECT count(*) FROM notifications WHERE kind = 'residence_expiry'`); got != 1 {
		t.Errorf("reminders after renewal: %d, want still 1", got)
	}
}

func TestStaleAlert(t *testing.T) {
	f := newFixture(t)
	id := mustOpen(t, f, f.candID)
	ctx := context.Background()
	f.clock.Add(31 * 24 * time.Hour)
	if err := f.svc.Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if got := runDue(t, f, cases.TaskStaleAlert); got != 1 {
		t.Fatalf("stale alerts planned: %d", got)
	}
	if got := count(t, f.db, `SELECT count(*) FROM notifications WHERE kind = 'stale_case' AND user_id = $1`, f.coord.ID); got != 1 {
		t.Errorf("stale notifications: %d", got)
	}
	// The alert is not activity: a scan the next hour plans nothing new.
	f.clock.Add(time.Hour)
	f.svc.Scan(ctx)
	if got := count(t, f.db, `SELECT count(*) FROM job_outbox WHERE task_type = $1`, cases.TaskStaleAlert); got != 1 {
		t.Errorf("stale rows after a second scan: %d", got)
	}
	// An alert planned before new activity does nothing.
	f.clock.Add(31 * 24 * time.Hour)
	f.svc.Scan(ctx)
	mustMove(t, f, id, tsunagu.StageTraining)
	runDue(t, f, cases.TaskStaleAlert)
	if got := count(t, f.db, `SELECT count(*) FROM notifications WHERE kind = 'stale_case'`); got != 1 {
		t.Errorf("alert despite new activity: %d notifications", got)
	}
}

func TestMailForNotifications(t *testing.T) {
	f := newFixture(t)
	m := &fakeMail{}
	f.svc.Mail = m
	f.svc.Translate = func(lang, id string, data map[string]any) string { return lang + ":" + id }
	caseID := mustOpen(t, f, f.candID)
	if _, err := f.svc.Suggest(as(f.coord), caseID, f.roleA, ""); err != nil {
		t.Fatal(err)
	}
	rows, _ := f.db.DueOutbox(context.Background(), time.Now(), false, 10)
	if len(rows) != 1 || rows[0].TaskType != cases.TaskNotifyMail {
		t.Fatalf("outbox: %+v", rows)
	}
	for range 2 {
		if err := f.svc.HandleNotifyMail(context.Background(), rows[0].ID, rows[0].IDs()["notification_id"]); err != nil {
			t.Fatal(err)
		}
	}
	if len(m.sent) != 1 || m.sent[0] != "cand@test.example|en:mail.notification.subject" {
		t.Errorf("mail: %v", m.sent)
	}
}

type fakeMail struct{ sent []string }

func (m *fakeMail) SendMailOnce(_ context.Context, _, to, subject, _ string) error {
	m.sent = append(m.sent, to+"|"+subject)
	return nil
}
