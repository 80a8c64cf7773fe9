package training_test

import (
	"context"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/training"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// auditRows counts the audit rows of action by actor whose detail "ids"
// names candidate id.
func auditRows(tb testing.TB, db *postgres.DB, action string, actor, id int64) int {
	tb.Helper()
	var n int
	if err := db.GetContext(context.Background(), &n, `SELECT count(*) FROM audit_log WHERE action = $1
		AND actor_id = $2 AND detail->'ids' @> to_jsonb($3::bigint)`, action, actor, id); err != nil {
		tb.Fatal(err)
	}
	return n
}

// TestNameListsAudited: a cohort's enrolment list and the list of
// candidates waiting for job-ready name people: each read writes one
// audit row naming every candidate it returned (issue 11.5); recording
// attendance, which reads the cohort, writes none.
func TestNameListsAudited(t *testing.T) {
	f := newFixture(t)
	ctx := as(f.coord)
	if err := f.svc.SetConfirmSetting(ctx, true); err != nil {
		t.Fatal(err)
	}
	p := mustProgramme(t, f, 10, 0, false, skillTeam)
	c := mustCohort(t, f, p, 1)
	cid := mustCandidate(t, f.db, "Omar Listed", nil)
	caseID, _ := f.cases.OpenCase(ctx, cid)
	if err := f.cases.MoveCase(ctx, caseID, tsunagu.CaseMove{Stage: tsunagu.StageTraining}); err != nil {
		t.Fatal(err)
	}
	e, err := f.svc.Enrol(ctx, c.ID, cid, true)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("Cohort", func(t *testing.T) {
		before := auditRows(t, f.db, training.AuditCohortEnrolments, f.coord.ID, cid)
		v, err := f.svc.FindCohort(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Enrolments) != 1 || v.Enrolments[0].CandidateName != "Omar Listed" {
			t.Fatalf("enrolments = %+v", v.Enrolments)
		}
		if got, want := auditRows(t, f.db, training.AuditCohortEnrolments, f.coord.ID, cid), before+1; got != want {
			t.Errorf("audit rows naming the enrolled candidate = %d, want %d", got, want)
		}
		if err := f.svc.MarkAttendance(ctx, c.ID, v.Cohort.Sessions[0].ID, []int64{e.ID}); err != nil {
			t.Fatal(err)
		}
		if got, want := auditRows(t, f.db, training.AuditCohortEnrolments, f.coord.ID, cid), before+1; got != want {
			t.Errorf("after recording attendance: audit rows = %d, want %d", got, want)
		}
	})
	t.Run("PendingJobReady", func(t *testing.T) {
		if _, err := f.svc.Complete(ctx, e.ID, nil); err != nil {
			t.Fatal(err)
		}
		before := auditRows(t, f.db, training.AuditJobReadyPending, f.coord.ID, cid)
		pending, err := f.svc.PendingJobReady(ctx)
		if err != nil || len(pending) != 1 {
			t.Fatalf("pending = %+v, %v", pending, err)
		}
		if got, want := auditRows(t, f.db, training.AuditJobReadyPending, f.coord.ID, cid), before+1; got != want {
			t.Errorf("audit rows naming the waiting candidate = %d, want %d", got, want)
		}
	})
}
