package cases_test

import (
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// offeredAt takes a fresh case for the fixture's candidate, left in the
// given stages, to an introduction at role A offered by the company.
func offeredAt(tb testing.TB, f *fixture, stages ...tsunagu.CaseStage) (int64, int64) {
	tb.Helper()
	caseID := mustOpen(tb, f, f.candID)
	mustMove(tb, f, caseID, stages...)
	in, err := f.svc.Suggest(as(f.coord), caseID, f.roleA, "")
	if err != nil {
		tb.Fatalf("suggest: %v", err)
	}
	if err := f.svc.Consent(as(f.cand), in, true, ""); err != nil {
		tb.Fatalf("consent: %v", err)
	}
	mustIntroMove(tb, f, f.coord, in, tsunagu.IntroIntroduced)
	for range 2 {
		if err := f.svc.Feedback(as(f.comp), in, tsunagu.FeedbackYes, ""); err != nil {
			tb.Fatalf("feedback: %v", err)
		}
	}
	return caseID, in
}

// TestCompanyHireOnCaseBehind: a company records an offer accepted while
// the case is still in intake; the hire goes through, the case catches up
// to hired with its check-ins, and the coordinator is told (issue 12.7).
func TestCompanyHireOnCaseBehind(t *testing.T) {
	t.Run("OKIntakeCatchesUp", func(t *testing.T) {
		f := newFixture(t)
		caseID, in := offeredAt(t, f)
		if err := f.svc.Feedback(as(f.comp), in, tsunagu.FeedbackYes, "offer accepted"); err != nil {
			t.Fatalf("company hire on a case in intake: %v", err)
		}
		c, err := f.db.CaseByID(t.Context(), caseID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.Stage, tsunagu.StageHired; got != want {
			t.Errorf("case stage: got %s, want %s", got, want)
		}
		got, _ := f.db.IntroductionByID(t.Context(), in)
		if got.Stage != tsunagu.IntroHired {
			t.Errorf("introduction stage: got %s, want hired", got.Stage)
		}
		if got, want := count(t, f.db, `SELECT count(*) FROM followups WHERE introduction_id = $1`, in), 8; got != want {
			t.Errorf("check-ins: got %d, want %d", got, want)
		}
		if got := count(t, f.db, `SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'stage' AND from_state = 'intake' AND to_state = 'hired' AND reason = 'case.auto.hired_behind'`, caseID); got != 1 {
			t.Errorf("catch-up stage events: %d, want 1", got)
		}
		if got := count(t, f.db, `SELECT count(*) FROM notifications WHERE user_id = $1 AND message_id = 'notify.hire_caught_up'`, f.coord.ID); got != 1 {
			t.Errorf("coordinator told: %d notifications, want 1", got)
		}
	})
	t.Run("OKClosedCaseReopensHired", func(t *testing.T) {
		f := newFixture(t)
		caseID, in := offeredAt(t, f, tsunagu.StageJobReady)
		if err := f.svc.MoveCase(as(f.coord), caseID, tsunagu.CaseMove{Stage: tsunagu.StageClosed, Reason: tsunagu.CloseUnreachable}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Feedback(as(f.comp), in, tsunagu.FeedbackYes, ""); err != nil {
			t.Fatalf("company hire on a closed case: %v", err)
		}
		c, _ := f.db.CaseByID(t.Context(), caseID)
		if c.Stage != tsunagu.StageHired || c.CloseReason != "" {
			t.Errorf("case: %s (%q), want hired", c.Stage, c.CloseReason)
		}
	})
	t.Run("OKJobSearchNotTold", func(t *testing.T) {
		f := newFixture(t)
		_, in := offeredAt(t, f, tsunagu.StageJobReady, tsunagu.StageJobSearch)
		if err := f.svc.Feedback(as(f.comp), in, tsunagu.FeedbackYes, ""); err != nil {
			t.Fatal(err)
		}
		if got := count(t, f.db, `SELECT count(*) FROM notifications WHERE message_id LIKE 'notify.hire_%'`); got != 0 {
			t.Errorf("catch-up notifications for a case in job search: %d", got)
		}
	})
	t.Run("ErrStaffHireOnCaseBehind", func(t *testing.T) {
		// Staff own the case stage: they are told to move it first.
		f := newFixture(t)
		_, in := offeredAt(t, f)
		err := f.svc.MoveIntroduction(as(f.coord), in, tsunagu.IntroMove{Stage: tsunagu.IntroHired})
		if e := tsunagu.AsError(err); e == nil || e.Fields["stage"].ID != "case.error.hire_needs_job_search" {
			t.Fatalf("got %v, want case.error.hire_needs_job_search", err)
		}
	})
}

// TestStaffCannotDeclineForCandidate: only the candidate records their own
// decline (issue 11.13); staff use the recorded-consent flow.
func TestStaffCannotDeclineForCandidate(t *testing.T) {
	f := newFixture(t)
	caseID := mustOpen(t, f, f.candID)
	in, err := f.svc.Suggest(as(f.coord), caseID, f.roleA, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []*tsunagu.User{f.coord, mustUser(t, f.db, "admin", tsunagu.RoleAdmin)} {
		err := f.svc.MoveIntroduction(as(u), in, tsunagu.IntroMove{Stage: tsunagu.IntroDeclinedByCand})
		if got, want := codeOf(err), tsunagu.EFORBIDDEN; got != want {
			t.Errorf("%s declines for the candidate: got %v, want %s", u.Role, err, want)
		}
	}
	if err := f.svc.Consent(as(f.cand), in, true, ""); err != nil {
		t.Fatal(err)
	}
	err = f.svc.MoveIntroduction(as(f.coord), in, tsunagu.IntroMove{Stage: tsunagu.IntroDeclinedByCand})
	if got, want := codeOf(err), tsunagu.EFORBIDDEN; got != want {
		t.Errorf("coordinator withdraws the candidate's consent: got %v, want %s", err, want)
	}
	got, _ := f.db.IntroductionByID(t.Context(), in)
	if got.Stage != tsunagu.IntroConsented {
		t.Errorf("stage: got %s, want candidate_consented", got.Stage)
	}
	if got := count(t, f.db, `SELECT count(*) FROM case_events WHERE introduction_id = $1 AND to_state = 'declined_by_candidate'`, in); got != 0 {
		t.Errorf("decline events: %d", got)
	}
}

// TestCandidateToldOfEveryStep: the candidate hears of each step others
// make on their introduction (issue 12.5), not of their own answer.
func TestCandidateToldOfEveryStep(t *testing.T) {
	f := newFixture(t)
	_, in := mustHire(t, f)
	for _, st := range []string{"introduced", "interviewing", "offered", "hired"} {
		if got := count(t, f.db, `SELECT count(*) FROM notifications WHERE user_id = $1 AND message_id = $2 AND link = $3`,
			f.cand.ID, "notify.step."+st, "/me/introductions/"+itoa(in)); got != 1 {
			t.Errorf("candidate told of %s: %d, want 1", st, got)
		}
	}
	if got := count(t, f.db, `SELECT count(*) FROM notifications WHERE user_id = $1 AND message_id LIKE 'notify.step.candidate%'`, f.cand.ID); got != 0 {
		t.Errorf("candidate told of their own consent: %d", got)
	}
}
