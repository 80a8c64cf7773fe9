package training_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/training"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// promotedRows counts the promotion notifications of a user and the
// outbox rows that mail them.
func promotedRows(t *testing.T, db *postgres.DB, userID int64) (notes, outbox int) {
	t.Helper()
	ctx := context.Background()
	if err := db.GetContext(ctx, &notes, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = $2`, userID, training.NotifyPromoted); err != nil {
		t.Fatal(err)
	}
	const q = `SELECT count(*) FROM job_outbox o JOIN notifications n ON n.id = (o.payload->>'notification_id')::bigint
		WHERE o.task_type = $1 AND n.user_id = $2 AND n.kind = $3`
	if err := db.GetContext(ctx, &outbox, q, cases.TaskNotifyMail, userID, training.NotifyPromoted); err != nil {
		t.Fatal(err)
	}
	return notes, outbox
}

// TestPromotionNotified: the first on the waiting list who takes a freed
// place gets one notification and one outbox row that mails it, written
// with the promotion; when the transaction fails, neither the promotion
// nor the notice is left.
func TestPromotionNotified(t *testing.T) {
	if training.TaskNotifyMail != cases.TaskNotifyMail {
		t.Fatalf("training mails through %q, cases handles %q", training.TaskNotifyMail, cases.TaskNotifyMail)
	}
	f := newFixture(t)
	ctx := as(f.coord)
	p := mustProgramme(t, f, 1, 80, false, skillExcel)
	c := mustCohort(t, f, p, 2)
	seated, err := f.svc.Enrol(ctx, c.ID, mustCandidate(t, f.db, "Seated", nil), true)
	if err != nil {
		t.Fatal(err)
	}
	waiting, err := f.svc.Enrol(ctx, c.ID, mustCandidate(t, f.db, "Waiting", &f.cand.ID), true)
	if err != nil || waiting.Status != tsunagu.EnrolWaitlisted {
		t.Fatalf("second enrolment = %+v, %v; want waitlisted", waiting, err)
	}

	t.Run("NothingWhenTheTransactionFails", func(t *testing.T) {
		boom := errors.New("boom")
		f.svc.Hook = func(context.Context, string) error { return boom }
		defer func() { f.svc.Hook = nil }()
		if err := f.svc.Withdraw(ctx, seated.ID); !errors.Is(err, boom) {
			t.Fatalf("withdraw err = %v, want the hook's", err)
		}
		if notes, outbox := promotedRows(t, f.db, f.cand.ID); notes != 0 || outbox != 0 {
			t.Fatalf("after a rollback: %d notifications, %d outbox rows; want none", notes, outbox)
		}
		e, _ := f.db.EnrolmentByID(context.Background(), waiting.ID)
		if got, want := e.Status, tsunagu.EnrolWaitlisted; got != want {
			t.Fatalf("after a rollback the waiting one is %s, want %s", got, want)
		}
	})

	t.Run("OneNoticeAndOneMail", func(t *testing.T) {
		if err := f.svc.Withdraw(ctx, seated.ID); err != nil {
			t.Fatal(err)
		}
		e, _ := f.db.EnrolmentByID(context.Background(), waiting.ID)
		if got, want := e.Status, tsunagu.EnrolEnrolled; got != want {
			t.Fatalf("waiting one is %s, want %s", got, want)
		}
		if notes, outbox := promotedRows(t, f.db, f.cand.ID); notes != 1 || outbox != 1 {
			t.Fatalf("%d notifications, %d outbox rows; want 1 and 1", notes, outbox)
		}
		ns, err := f.db.Notifications(context.Background(), f.cand.ID, 10)
		if err != nil || len(ns) != 1 {
			t.Fatalf("notifications = %v, %v", ns, err)
		}
		if got, want := ns[0].Link, "/training#programme-"+strconv.FormatInt(p.ID, 10); got != want {
			t.Errorf("link = %q, want %q", got, want)
		}
		if got, want := ns[0].Data["Programme"], "Bookkeeping basics"; got != want {
			t.Errorf("data Programme = %v, want %q", got, want)
		}
	})
}

// TestEditProgramme: an edit is checked like a creation; lowering the
// capacity below a running cohort's places and archiving wait for
// confirmation; nobody loses a place; completions already recorded keep
// the skills they verified.
func TestEditProgramme(t *testing.T) {
	f := newFixture(t)
	ctx := as(f.coord)
	p := mustProgramme(t, f, 3, 50, false, skillExcel, skillBooks)
	c := mustCohort(t, f, p, 1)
	var enrolled []*tsunagu.Enrolment
	for _, name := range []string{"A", "B", "C"} {
		e, err := f.svc.Enrol(ctx, c.ID, mustCandidate(t, f.db, name, nil), true)
		if err != nil {
			t.Fatal(err)
		}
		enrolled = append(enrolled, e)
	}
	// A completes: excel and bookkeeping are verified on A's profile.
	mustAttend(t, f, c, enrolled[0].ID)
	if _, err := f.svc.Complete(ctx, enrolled[0].ID, nil); err != nil {
		t.Fatal(err)
	}
	edit := func() *tsunagu.Programme {
		cur, err := f.db.ProgrammeByID(context.Background(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return cur
	}

	t.Run("ErrPerField", func(t *testing.T) {
		q := edit()
		q.TitleJA, q.TitleEN, q.Capacity, q.Skills = "", "", 0, nil
		err := f.svc.UpdateProgramme(ctx, q, training.Confirm{})
		for _, k := range []string{"title_ja", "title_en", "capacity", "skills"} {
			if _, ok := fields(err)[k]; !ok {
				t.Errorf("err %v lacks field %s", err, k)
			}
		}
		if got := edit(); got.TitleEN != "Bookkeeping basics" || len(got.Skills) != 2 {
			t.Fatalf("a rejected edit changed the programme: %+v", got)
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		if err := f.svc.UpdateProgramme(as(f.cand), edit(), training.Confirm{}); tsunagu.ErrorCode(err) != tsunagu.EFORBIDDEN {
			t.Fatalf("candidate editing err = %v, want forbidden", err)
		}
	})

	t.Run("LowerCapacityAsksFirst", func(t *testing.T) {
		q := edit()
		q.Capacity = 2
		err := f.svc.UpdateProgramme(ctx, q, training.Confirm{})
		if fe, ok := fields(err)["capacity"]; !ok || fe.ID != "training.error.capacity_confirm" || fe.Data["Seated"] != 3 {
			t.Fatalf("err = %v, want capacity_confirm naming 3 seated", err)
		}
		if got := edit().Capacity; got != 3 {
			t.Fatalf("capacity saved unconfirmed: %d", got)
		}
		if err := f.svc.UpdateProgramme(ctx, q, training.Confirm{Capacity: true}); err != nil {
			t.Fatal(err)
		}
		if got := edit().Capacity; got != 2 {
			t.Fatalf("capacity = %d, want 2", got)
		}
		cv, _ := f.db.CohortByID(context.Background(), c.ID)
		if cv.Capacity != 3 || cv.Seated != 3 {
			t.Fatalf("running cohort = capacity %d seated %d, want 3 and 3 (nobody dropped)", cv.Capacity, cv.Seated)
		}
	})

	t.Run("SkillsChangeLeavesCompletionsAlone", func(t *testing.T) {
		q := edit()
		q.Skills = []tsunagu.ProgrammeSkill{{URI: skillTeam, Label: "teamwork"}}
		q.TitleEN = "Bookkeeping, renamed"
		if err := f.svc.UpdateProgramme(ctx, q, training.Confirm{}); err != nil {
			t.Fatal(err)
		}
		a, _ := f.db.CandidateByID(context.Background(), enrolled[0].CandidateID)
		got := map[string]string{}
		for _, s := range a.Skills {
			got[s.ESCOURI] = s.Verified
		}
		if got[skillExcel] != "Bookkeeping basics" || got[skillBooks] != "Bookkeeping basics" {
			t.Fatalf("verified skills after the edit = %v, want excel and bookkeeping by the old title", got)
		}
		if _, ok := got[skillTeam]; ok {
			t.Fatalf("a recorded completion gained a skill taught later: %v", got)
		}
		e, _ := f.db.EnrolmentByID(context.Background(), enrolled[0].ID)
		if e.Status != tsunagu.EnrolCompleted {
			t.Fatalf("completed enrolment is now %s", e.Status)
		}
		// B completes after the edit and gets what is taught now.
		mustAttend(t, f, c, enrolled[1].ID)
		res, err := f.svc.Complete(ctx, enrolled[1].ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Skills) != 1 || res.Skills[0] != skillTeam {
			t.Fatalf("completion after the edit verified %v, want teamwork", res.Skills)
		}
	})

	t.Run("ArchiveAsksFirstAndKeepsPlaces", func(t *testing.T) {
		q := edit()
		q.Active = false
		if err := f.svc.UpdateProgramme(ctx, q, training.Confirm{}); fields(err)["active"].ID != "training.error.archive_confirm" {
			t.Fatalf("unconfirmed archive err = %v", err)
		}
		if _, err := f.svc.SetProgrammeActive(ctx, p.ID, false, false); fields(err)["active"].ID != "training.error.archive_confirm" {
			t.Fatalf("unconfirmed archive err = %v", err)
		}
		if !edit().Active {
			t.Fatal("archived without confirmation")
		}
		if _, err := f.svc.SetProgrammeActive(ctx, p.ID, false, true); err != nil {
			t.Fatal(err)
		}
		if edit().Active {
			t.Fatal("not archived")
		}
		cv, _ := f.db.CohortByID(context.Background(), c.ID)
		if cv.Seated != 3 {
			t.Fatalf("seated after archiving = %d, want 3", cv.Seated)
		}
		mustCandidate(t, f.db, "Own", &f.cand.ID)
		if _, err := f.svc.RequestEnrolment(as(f.cand), c.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Fatalf("request to an archived programme's cohort err = %v, want not found", err)
		}
		if _, err := f.svc.SetProgrammeActive(ctx, p.ID, true, false); err != nil || !edit().Active {
			t.Fatalf("restore: %v", err)
		}
	})
}

// mustAttend marks an enrolment present at every session of its cohort.
func mustAttend(t *testing.T, f *fixture, c *tsunagu.Cohort, enrolmentIDs ...int64) {
	t.Helper()
	for _, s := range c.Sessions {
		if err := f.svc.MarkAttendance(as(f.coord), c.ID, s.ID, enrolmentIDs); err != nil {
			t.Fatal(err)
		}
	}
}
