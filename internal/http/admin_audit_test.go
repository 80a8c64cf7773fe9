package http_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/seed"
)

// TestAuditFilterErrors: a filter of the audit log that is no id or no
// date answers 422 with that field's error in the reader's language, and
// no rows, instead of silently showing the unfiltered log (issue 11.5).
func TestAuditFilterErrors(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	admin := env.Client()
	admin.SignInDemo("admin")
	admin.SetLanguage("en")
	cases := []struct {
		name, query, field, msg string
	}{
		{"ErrFrom", "from=yesterday", "from", "Enter a date as 2026-05-12."},
		{"ErrTo", "to=2026-02-30", "to", "Enter a date as 2026-05-12."},
		{"ErrOrder", "from=2026-05-12&to=2026-05-01", "to", "“To” is before “From”."},
		{"ErrPerson", "person=abc", "person", "Enter a number."},
		{"ErrActor", "actor=-3", "actor", "Enter a number."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := admin.Get("/admin/audit?" + c.query)
			if got, want := r.Status, http.StatusUnprocessableEntity; got != want {
				t.Fatalf("status %d, want %d", got, want)
			}
			if !strings.Contains(r.Body, `id="`+c.field+`-error"`) || !strings.Contains(r.Body, c.msg) {
				t.Errorf("no error %q on field %s", c.msg, c.field)
			}
			if strings.Contains(r.Body, "user.sign_in") {
				t.Errorf("shows unfiltered rows")
			}
		})
	}
	t.Run("Japanese", func(t *testing.T) {
		ja := env.Client()
		ja.SignInDemo("admin")
		ja.SetLanguage("ja")
		r := ja.Get("/admin/audit?from=yesterday")
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "日付は2026-05-12の形式で入力してください。") {
			t.Errorf("status %d, no Japanese error", r.Status)
		}
	})
	t.Run("OK", func(t *testing.T) {
		r := admin.Get("/admin/audit?from=2000-01-01&to=2999-12-31&person=&actor=")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "user.sign_in") {
			t.Errorf("status %d, want the rows", r.Status)
		}
	})
}

// TestAdminUserListAudited: the admin's account list (names and e-mail
// addresses) writes one audit row naming the accounts it showed and the
// candidate profiles among them, found by the person filter (issue 11.5).
func TestAdminUserListAudited(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	if err := seed.Profiles(ctx, db); err != nil {
		t.Fatal(err)
	}
	var userID, candID, adminID int64
	if err := db.Get(&userID, `SELECT id FROM users WHERE email = $1`, seed.DemoUsers[0].Email); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&candID, `SELECT id FROM candidates WHERE user_id = $1`, userID); err != nil {
		t.Fatal(err)
	}
	admin := env.Client()
	admin.SignInDemo("admin")
	if err := db.Get(&adminID, `SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := db.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'user.list' AND actor_id = $1
			AND detail->'users' @> to_jsonb($2::bigint) AND detail->'ids' @> to_jsonb($3::bigint)`, adminID, userID, candID); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if r := admin.Get("/admin/users"); r.Status != http.StatusOK || !strings.Contains(r.Body, seed.DemoUsers[0].Email) {
		t.Fatalf("status %d", r.Status)
	}
	if got, want := count(), before+1; got != want {
		t.Errorf("audit rows of the list naming the candidate = %d, want %d", got, want)
	}
	if r := admin.Get("/admin/audit?person=" + strconv.FormatInt(candID, 10)); !strings.Contains(r.Body, "user.list") {
		t.Errorf("the person filter lacks the list read")
	}
}

// TestAdminOutboxAudited: the admin's mail outbox (recipients' addresses,
// bodies that name people) writes one audit row naming the messages, the
// accounts they went to and the candidate profiles among them, found by
// the person filter (issue 11.5).
func TestAdminOutboxAudited(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	if err := seed.Profiles(ctx, db); err != nil {
		t.Fatal(err)
	}
	var userID, candID, adminID int64
	if err := db.Get(&userID, `SELECT id FROM users WHERE email = $1`, seed.DemoUsers[0].Email); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&candID, `SELECT id FROM candidates WHERE user_id = $1`, userID); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&adminID, `SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	mailID, err := db.QueueMail(ctx, strings.ToUpper(seed.DemoUsers[0].Email), "Your interview", "Dear candidate, see you on Monday.")
	if err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := db.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'mail.list' AND actor_id = $1
			AND detail->'mail' @> to_jsonb($2::bigint) AND detail->'users' @> to_jsonb($3::bigint)
			AND detail->'ids' @> to_jsonb($4::bigint)`, adminID, mailID, userID, candID); err != nil {
			t.Fatal(err)
		}
		return n
	}
	admin := env.Client()
	admin.SignInDemo("admin")
	before := count()
	if r := admin.Get("/admin/outbox"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Your interview") {
		t.Fatalf("status %d, or the message is not listed", r.Status)
	}
	if got, want := count(), before+1; got != want {
		t.Errorf("audit rows of the outbox naming the recipient = %d, want %d", got, want)
	}
	if r := admin.Get("/admin/audit?person=" + strconv.FormatInt(candID, 10)); !strings.Contains(r.Body, "mail.list") {
		t.Errorf("the person filter lacks the outbox read")
	}
}
