package workshop_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/jobs"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
	"github.com/tsunagu-org/tsunagu/internal/workshop"
)

type fixture struct {
	db                  *postgres.DB
	svc                 *workshop.Service
	now                 time.Time
	coord, comp, other  *tsunagu.User
	speaker, shy, plain *tsunagu.User
	speakerID, shyID    int64
	plainID, companyID  int64
}

func as(u *tsunagu.User) context.Context { return tsunagu.NewContextWithUser(context.Background(), u) }

func mustUser(tb testing.TB, db *postgres.DB, name string, role tsunagu.Role) *tsunagu.User {
	tb.Helper()
	u := &tsunagu.User{Email: name + "@test.example", DisplayName: name, PasswordHash: "x", Role: role, Locale: "ja"}
	if err := db.CreateUser(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
	return u
}

func mustSpeaker(tb testing.TB, db *postgres.DB, name string, u *tsunagu.User, optIn bool) int64 {
	tb.Helper()
	c := &tsunagu.Candidate{Name: name, UserID: &u.ID, Headline: "Engineer", Visibility: tsunagu.VisibilityCompanies, SpeakerOptIn: optIn}
	if err := db.SaveCandidate(context.Background(), c); err != nil {
		tb.Fatal(err)
	}
	return c.ID
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	db := dbtest.NewDB(tb)
	f := &fixture{db: db, now: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}
	f.svc = workshop.New(db)
	f.svc.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	f.svc.Now = func() time.Time { return f.now }
	f.svc.Translate = func(lang, id string, data map[string]any) string { return lang + ":" + id }
	f.coord = mustUser(tb, db, "coord", tsunagu.RoleCoordinator)
	f.comp = mustUser(tb, db, "comp", tsunagu.RoleCompany)
	f.other = mustUser(tb, db, "othercomp", tsunagu.RoleCompany)
	f.speaker = mustUser(tb, db, "speaker", tsunagu.RoleCandidate)
	f.shy = mustUser(tb, db, "shy", tsunagu.RoleCandidate)
	f.plain = mustUser(tb, db, "plain", tsunagu.RoleCandidate)
	f.speakerID = mustSpeaker(tb, db, "Amina K.", f.speaker, true)
	f.shyID = mustSpeaker(tb, db, "Hidden Name", f.shy, true)
	f.plainID = mustSpeaker(tb, db, "No Speaker", f.plain, false)
	ctx := context.Background()
	co, err := db.EnsureCompany(ctx, "Sakura Logistics")
	if err != nil {
		tb.Fatal(err)
	}
	f.companyID = co.ID
	if err := db.AddCompanyMember(ctx, co.ID, f.comp.ID); err != nil {
		tb.Fatal(err)
	}
	co2, _ := db.EnsureCompany(ctx, "Fuji Foods")
	if err := db.AddCompanyMember(ctx, co2.ID, f.other.ID); err != nil {
		tb.Fatal(err)
	}
	return f
}

func fields(err error) map[string]tsunagu.FieldError {
	if e := tsunagu.AsError(err); e != nil {
		return e.Fields
	}
	return nil
}

func (f *fixture) request(tb testing.TB) *tsunagu.Workshop {
	tb.Helper()
	w, err := f.svc.Request(as(f.comp), tsunagu.WorkshopRequest{Topic: "Working across cultures", Audience: 30,
		Language: "ja", PreferredDates: []time.Time{f.now.AddDate(0, 1, 0)}})
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

func TestRequestValidation(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.Request(as(f.comp), tsunagu.WorkshopRequest{Audience: 0, Language: "xx",
		PreferredDates: []time.Time{f.now.AddDate(0, 0, -3)}})
	fs := fields(err)
	for field, id := range map[string]string{"topic": "error.required", "audience": "training.error.range",
		"language": "error.choice", "preferred_dates": "workshop.error.date_past"} {
		if got := fs[field].ID; got != id {
			t.Errorf("field %s = %q, want %q", field, got, id)
		}
	}
	if _, err := f.svc.Request(as(f.speaker), tsunagu.WorkshopRequest{}); tsunagu.ErrorCode(err) != tsunagu.EFORBIDDEN {
		t.Fatalf("candidate requesting err = %v, want forbidden", err)
	}
}

// TestLecturerConsent: a company never sees a lecturer's name before the
// lecturer accepted to be named to it.
func TestLecturerConsent(t *testing.T) {
	f := newFixture(t)
	w := f.request(t)
	coord := as(f.coord)

	t.Run("ErrNotASpeaker", func(t *testing.T) {
		err := f.svc.ProposeLecturer(coord, w.ID, f.plainID)
		if got, want := fields(err)["candidate_id"].ID, "workshop.error.not_a_speaker"; got != want {
			t.Fatalf("proposing a non-speaker: %q, want %q (%v)", got, want, err)
		}
	})
	if err := f.svc.ProposeLecturer(coord, w.ID, f.speakerID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ProposeLecturer(coord, w.ID, f.shyID); err != nil {
		t.Fatal(err)
	}
	t.Run("SpeakerIsTold", func(t *testing.T) {
		list, err := f.db.Notifications(context.Background(), f.speaker.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Kind != workshop.NotifyProposed || list[0].Link != fmt.Sprintf("/workshops/%d", w.ID) || list[0].Data["Topic"] != w.Topic {
			t.Fatalf("the proposed speaker's notifications: %+v", list)
		}
	})

	noNames := func(t *testing.T, names ...string) {
		t.Helper()
		got, err := f.svc.Find(as(f.comp), w.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range got.Lecturers {
			for _, n := range names {
				if l.Name == n {
					t.Fatalf("company sees %q without consent", n)
				}
			}
		}
		if got.HiddenLecturers != len(names) {
			t.Fatalf("hidden lecturers = %d, want %d", got.HiddenLecturers, len(names))
		}
	}
	t.Run("HiddenBeforeConsent", func(t *testing.T) { noNames(t, "Amina K.", "Hidden Name") })

	t.Run("ScheduleNeedsAnAcceptedLecturer", func(t *testing.T) {
		err := f.svc.Schedule(coord, w.ID, 0, f.now.AddDate(0, 1, 0), "Tokyo office")
		if _, ok := fields(err)["lecturers"]; !ok {
			t.Fatalf("schedule without consent err = %v", err)
		}
	})

	t.Run("OnlyTheProposedMayAnswer", func(t *testing.T) {
		if err := f.svc.Respond(as(f.plain), w.ID, true); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Fatalf("unproposed answer err = %v, want not found", err)
		}
		if _, err := f.svc.Find(as(f.plain), w.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Fatalf("unproposed candidate sees the workshop: %v", err)
		}
		if _, err := f.svc.Find(as(f.other), w.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Fatalf("another company sees the workshop: %v", err)
		}
	})

	if err := f.svc.Respond(as(f.speaker), w.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Respond(as(f.shy), w.ID, false); err != nil {
		t.Fatal(err)
	}
	t.Run("NamedAfterConsent", func(t *testing.T) {
		got, err := f.svc.Find(as(f.comp), w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Lecturers) != 1 || got.Lecturers[0].Name != "Amina K." || got.HiddenLecturers != 1 {
			t.Fatalf("company sees %+v (hidden %d), want only the one who accepted", got.Lecturers, got.HiddenLecturers)
		}
		noNames(t, "Hidden Name")
		ws, err := f.svc.List(as(f.speaker))
		if err != nil || len(ws) != 1 {
			t.Fatalf("lecturer's workshops = %v, %v", ws, err)
		}
	})

	at := f.now.AddDate(0, 1, 0).Add(10 * time.Hour)
	if err := f.svc.Schedule(coord, w.ID, 0, at, "Tokyo office"); err != nil {
		t.Fatal(err)
	}

	t.Run("ReminderOnceViaOutbox", func(t *testing.T) {
		rows, err := f.db.DueOutbox(context.Background(), at, false, 10)
		if err != nil || len(rows) != 1 || rows[0].TaskType != workshop.TaskReminder {
			t.Fatalf("outbox = %+v, %v", rows, err)
		}
		if got, want := rows[0].RunAt.UTC(), at.Add(-workshop.ReminderBefore); !got.Equal(want) {
			t.Fatalf("reminder at %v, want %v", got, want)
		}
		var ts jobs.Tasks
		workshop.RegisterTasks(&ts, f.svc)
		h := ts.Handlers[0]
		task, _ := workshop.NewReminderTask(rows[0].ID, w.ID, rows[0].IDs()["at"])
		for range 2 { // a duplicate delivery acts once
			if err := h.Func(context.Background(), task); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		if err := f.db.GetContext(context.Background(), &n, `SELECT count(*) FROM notifications WHERE kind = $1`, workshop.NotifyReminder); err != nil {
			t.Fatal(err)
		}
		if got, want := n, 3; got != want { // company member, accepted lecturer, coordinator
			t.Fatalf("reminders = %d, want %d", got, want)
		}
		var shy int
		f.db.GetContext(context.Background(), &shy, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = $2`, f.shy.ID, workshop.NotifyReminder) // they were told of the proposal
		if shy != 0 {
			t.Fatal("a lecturer who declined was reminded")
		}
		bad := asynq.NewTask(workshop.TaskReminder, []byte(`{"ids":{}}`))
		if err := h.Func(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "skip retry") {
			t.Fatalf("bad payload err = %v, want SkipRetry", err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := h.Func(ctx, task); err == nil {
			t.Fatal("a cancelled context was not honoured")
		}
	})

	t.Run("FeedbackAfterDelivery", func(t *testing.T) {
		if err := f.svc.GiveFeedback(as(f.comp), w.ID, tsunagu.WorkshopFeedbackInput{Rating: 5}); tsunagu.ErrorCode(err) != tsunagu.EFORBIDDEN {
			t.Fatalf("feedback before delivery err = %v, want forbidden", err)
		}
		if err := f.svc.RecordDelivery(coord, w.ID, 0, 28); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.GiveFeedback(as(f.comp), w.ID, tsunagu.WorkshopFeedbackInput{Rating: 5, Comment: "Eye-opening"}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.GiveFeedback(as(f.speaker), w.ID, tsunagu.WorkshopFeedbackInput{Rating: 4}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.GiveFeedback(as(f.shy), w.ID, tsunagu.WorkshopFeedbackInput{Rating: 4}); tsunagu.ErrorCode(err) != tsunagu.EFORBIDDEN {
			t.Fatalf("declined lecturer feedback err = %v, want forbidden", err)
		}
		err := f.svc.GiveFeedback(as(f.comp), w.ID, tsunagu.WorkshopFeedbackInput{Rating: 9})
		if _, ok := fields(err)["rating"]; !ok {
			t.Fatalf("rating 9 err = %v", err)
		}
		got, _ := f.svc.Find(coord, w.ID)
		if len(got.Feedback) != 2 || got.Status != tsunagu.WorkshopDelivered || got.Participants != 28 {
			t.Fatalf("delivered workshop = %+v", got)
		}
	})
}

// TestSpeakersAudited: the speaker picker names candidates: each read
// writes one audit row naming every candidate it listed (issue 11.5).
func TestSpeakersAudited(t *testing.T) {
	f := newFixture(t)
	count := func() int {
		var n int
		if err := f.db.GetContext(context.Background(), &n, `SELECT count(*) FROM audit_log WHERE action = $1
			AND actor_id = $2 AND detail->'ids' @> to_jsonb($3::bigint) AND detail->'ids' @> to_jsonb($4::bigint)`,
			workshop.AuditSpeakers, f.coord.ID, f.speakerID, f.shyID); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	ls, err := f.svc.Speakers(as(f.coord))
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) < 2 {
		t.Fatalf("speakers = %+v", ls)
	}
	if got, want := count(), before+1; got != want {
		t.Errorf("audit rows naming the speakers = %d, want %d", got, want)
	}
}

// TestHiddenSpeakerNotOffered: a candidate who opted in as a speaker and
// then chose to be hidden is neither in the speaker picker (their name
// and headline to any coordinator) nor proposed to a company: a hidden
// profile is read only by the coordinator working the case (issue 11).
func TestHiddenSpeakerNotOffered(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := mustUser(t, f.db, "gone", tsunagu.RoleCandidate)
	c := &tsunagu.Candidate{Name: "Hidden Speaker", UserID: &u.ID, Headline: "Engineer", Visibility: tsunagu.VisibilityHidden, SpeakerOptIn: true}
	if err := f.db.SaveCandidate(ctx, c); err != nil {
		t.Fatal(err)
	}
	ls, err := f.svc.Speakers(as(f.coord))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.CandidateID == c.ID {
			t.Errorf("the picker lists the hidden candidate %q", l.Name)
		}
	}
	w := f.request(t)
	if err := f.svc.ProposeLecturer(as(f.coord), w.ID, c.ID); fields(err)["candidate_id"].ID == "" {
		t.Errorf("proposing a hidden candidate: err = %v, want a candidate_id error", err)
	}
}
