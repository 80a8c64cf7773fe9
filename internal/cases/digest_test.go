package cases_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/jobs"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
	"github.com/tsunagu-org/tsunagu/web"
)

// mustNotify writes n notifications of kind to userID with their mail
// tasks, as the service does for a change (one transaction).
func mustNotify(t *testing.T, db *postgres.DB, userID int64, kind, msgID string, n int) {
	t.Helper()
	err := db.InTx(context.Background(), func(tx *postgres.Tx) error {
		for i := range n {
			no := &tsunagu.Notification{UserID: userID, Kind: kind, MessageID: msgID, Link: fmt.Sprintf("/coordinator/cases/%d", i+1),
				Data: map[string]any{"Name": fmt.Sprintf("Person %02d", i+1), "Month": 3, "Party": "employer", "Role": "Clerk", "Company": "Kaede"}}
			if err := postgres.AddNotification(context.Background(), tx, no); err != nil {
				return err
			}
			if err := postgres.AddOutbox(context.Background(), tx, cases.TaskNotifyMail, fmt.Sprintf("mail:%d", no.ID), time.Now(), map[string]int64{"notification_id": no.ID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDigest: through the real worker, Redis and PostgreSQL, fifty
// overdue check-ins for a coordinator are one daily digest e-mail, grouped
// by kind, naming each person with the party translated, in the
// coordinator's language; the candidate still gets a mail per notice. The
// digest is not sent again, the next one carries only what is new, and a
// coordinator who chose a mail each gets no digest.
func TestDigest(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cat, err := i18n.Load(web.Locales)
	if err != nil {
		t.Fatal(err)
	}
	a := auth.NewService(f.db, nil, "http://tsunagu.test", time.Hour)
	a.Log = quiet()
	f.svc.Log = quiet()
	f.svc.Mail = a
	f.svc.BaseURL = "http://tsunagu.test"
	f.svc.Translate = func(lang, id string, data map[string]any) string { return cat.Printer(lang).T(id, data) }
	f.svc.Now = time.Now
	if err := f.db.SetUserLocale(ctx, f.coord.ID, "ja"); err != nil {
		t.Fatal(err)
	}
	mustNotify(t, f.db, f.coord.ID, tsunagu.NotifyFollowupOverdue, "notify.staff.followup_overdue", 50)
	mustNotify(t, f.db, f.cand.ID, tsunagu.NotifyIntroduction, "notify.introduction_suggested", 2)
	mails := func(to string) int {
		return count(t, f.db, `SELECT count(*) FROM mail_outbox WHERE to_addr = $1`, to)
	}

	ropt, err := jobs.RedisOpt(dbtest.NewRedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	var ts jobs.Tasks
	cases.RegisterTasks(&ts, f.svc)
	w := &jobs.Worker{DB: f.db, Redis: ropt, Log: quiet(), Handlers: ts.Handlers, RelayInterval: 100 * time.Millisecond,
		Periodic: map[string]time.Duration{cases.TaskDigest: ts.Periodic[cases.TaskDigest]}}
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Shutdown)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if mails(f.coord.Email) > 0 && count(t, f.db, `SELECT count(*) FROM job_outbox WHERE done_at IS NULL`) == 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	w.Shutdown()

	if got, want := mails(f.cand.Email), 2; got != want {
		t.Errorf("candidate's mails = %d, want %d (one per notice)", got, want)
	}
	if got, want := mails(f.coord.Email), 1; got != want {
		t.Fatalf("coordinator's mails = %d, want %d (one digest, not 50)", got, want)
	}
	var subject, body string
	if err := f.db.QueryRowxContext(ctx, `SELECT subject, body FROM mail_outbox WHERE to_addr = $1`, f.coord.Email).Scan(&subject, &body); err != nil {
		t.Fatal(err)
	}
	ja := cat.Printer("ja")
	if want := ja.T("digest.mail.subject", map[string]any{"Count": 50}); subject != want {
		t.Errorf("subject %q, want %q", subject, want)
	}
	if want := ja.T("cases.notifications.kind.followup_overdue") + " (50)"; !strings.Contains(body, want) {
		t.Errorf("digest lacks the group %q:\n%s", want, body)
	}
	for _, want := range []string{"Person 01", "Person 50", ja.T("cases.party.employer"), "http://tsunagu.test/coordinator/cases/50", "http://tsunagu.test/notifications"} {
		if !strings.Contains(body, want) {
			t.Errorf("digest lacks %q", want)
		}
	}
	if strings.Contains(body, "employer") || strings.Contains(body, "notify.") {
		t.Errorf("digest shows a raw code:\n%s", body)
	}

	t.Run("NotSentTwice", func(t *testing.T) {
		if n, err := f.svc.SendDigests(ctx); err != nil || n != 0 {
			t.Fatalf("again: sent %d, %v; want 0", n, err)
		}
		if got := mails(f.coord.Email); got != 1 {
			t.Fatalf("coordinator's mails = %d, want 1", got)
		}
	})
	t.Run("NextCarriesOnlyNew", func(t *testing.T) {
		mustNotify(t, f.db, f.coord.ID, tsunagu.NotifyStaleCase, "notify.staff.stale_case", 3)
		if n, err := f.svc.SendDigests(ctx); err != nil || n != 1 {
			t.Fatalf("sent %d, %v; want 1", n, err)
		}
		var last string
		f.db.GetContext(ctx, &last, `SELECT subject FROM mail_outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1`, f.coord.Email)
		if want := ja.T("digest.mail.subject", map[string]any{"Count": 3}); last != want {
			t.Errorf("subject %q, want %q", last, want)
		}
	})
	t.Run("ChoseEach", func(t *testing.T) {
		other := mustUser(t, f.db, "coord2", tsunagu.RoleCoordinator)
		if err := f.db.SetMailDigest(ctx, other.ID, false); err != nil {
			t.Fatal(err)
		}
		mustNotify(t, f.db, other.ID, tsunagu.NotifyStaleCase, "notify.staff.stale_case", 2)
		if n, err := f.svc.SendDigests(ctx); err != nil || n != 0 {
			t.Fatalf("sent %d, %v; want 0", n, err)
		}
		rows, err := f.db.DueOutbox(ctx, time.Now().Add(time.Minute), false, 10)
		if err != nil || len(rows) != 5 { // the two, and the three of NextCarriesOnlyNew
			t.Fatalf("outbox: %d rows, %v", len(rows), err)
		}
		for _, r := range rows {
			if err := f.svc.HandleNotifyMail(ctx, r.ID, r.IDs()["notification_id"]); err != nil {
				t.Fatal(err)
			}
		}
		if got := mails(other.Email); got != 2 {
			t.Fatalf("mails to a coordinator who chose one each = %d, want 2", got)
		}
		if got := mails(f.coord.Email); got != 2 {
			t.Fatalf("mails to the digest reader = %d, want 2 (the digests only)", got)
		}
	})
}
