package cases_test

import (
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func TestMoveCase(t *testing.T) {
	f := newFixture(t)
	caseID := mustOpen(t, f, f.candID)

	t.Run("ErrSkipToSettled", func(t *testing.T) {
		err := f.svc.MoveCase(as(f.coord), caseID, tsunagu.CaseMove{Stage: tsunagu.StageSettled})
		e := tsunagu.AsError(err)
		if e == nil || e.Code != tsunagu.EINVALID || e.Fields["stage"].ID != "case.error.bad_move" {
			t.Fatalf("got %v, want EINVALID case.error.bad_move", err)
		}
		if got, want := e.Fields["stage"].Data["From"], "intake"; got != want {
			t.Errorf("from: got %v, want %v", got, want)
		}
		c, _ := f.db.CaseByID(t.Context(), caseID)
		if got, want := c.Stage, tsunagu.StageIntake; got != want {
			t.Errorf("stage after refused move: got %s, want %s", got, want)
		}
	})
	t.Run("ErrHireByHand", func(t *testing.T) {
		err := f.svc.MoveCase(as(f.coord), caseID, tsunagu.CaseMove{Stage: tsunagu.StageHired})
		if e := tsunagu.AsError(err); e == nil || e.Fields["stage"].ID != "case.error.hire_through_introduction" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrForbiddenForCandidate", func(t *testing.T) {
		err := f.svc.MoveCase(as(f.cand), caseID, tsunagu.CaseMove{Stage: tsunagu.StageTraining})
		if got, want := codeOf(err), tsunagu.EFORBIDDEN; got != want {
			t.Fatalf("got %v, want %s", err, want)
		}
	})
	t.Run("OK", func(t *testing.T) {
		f.clock.Add(time.Hour)
		if err := f.svc.MoveCase(as(f.coord), caseID, tsunagu.CaseMove{Stage: tsunagu.StageTraining, Note: "Excel course"}); err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.FindCase(as(f.coord), caseID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := v.Case.Stage, tsunagu.StageTraining; got != want {
			t.Errorf("stage: got %s, want %s", got, want)
		}
		last := v.Events[len(v.Events)-1]
		if last.Kind != tsunagu.EventStage || last.From != "intake" || last.To != "training" || last.Note != "Excel course" ||
			last.ActorID == nil || *last.ActorID != f.coord.ID || last.Actor != "coord" || !last.At.Equal(f.clock.Now()) {
			t.Errorf("history entry: %+v", last)
		}
	})
	t.Run("ErrCloseWithoutReason", func(t *testing.T) {
		err := f.svc.MoveCase(as(f.coord), caseID, tsunagu.CaseMove{Stage: tsunagu.StageClosed})
		if e := tsunagu.AsError(err); e == nil || e.Fields["reason"].ID != "case.error.close_reason" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("CloseAndReopen", func(t *testing.T) {
		if err := f.svc.MoveCase(as(f.coord), caseID, tsunagu.CaseMove{Stage: tsunagu.StageClosed, Reason: tsunagu.CloseUnreachable}); err != nil {
			t.Fatal(err)
		}
		c, _ := f.db.CaseByID(t.Context(), caseID)
		if c.Stage != tsunagu.StageClosed || c.CloseReason != tsunagu.CloseUnreachable {
			t.Errorf("closed case: %+v", c)
		}
		mustMove(t, f, caseID, tsunagu.StageIntake)
		c, _ = f.db.CaseByID(t.Context(), caseID)
		if c.CloseReason != "" {
			t.Errorf("reopened case keeps reason %q", c.CloseReason)
		}
	})
	t.Run("ErrSecondCase", func(t *testing.T) {
		_, err := f.svc.OpenCase(as(f.coord), f.candID)
		if got, want := codeOf(err), tsunagu.ECONFLICT; got != want {
			t.Fatalf("got %v, want %s", err, want)
		}
	})
}

func TestBulkMove(t *testing.T) {
	f := newFixture(t)
	a := mustOpen(t, f, f.candID)
	b := mustOpen(t, f, f.otherID)
	mustMove(t, f, b, tsunagu.StageJobReady)
	res, err := f.svc.BulkMove(as(f.coord), []int64{a, b}, tsunagu.CaseMove{Stage: tsunagu.StageTraining})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil || res[1].Err != nil {
		t.Fatalf("results: %v, %v", res[0].Err, res[1].Err)
	}
	res, _ = f.svc.BulkMove(as(f.coord), []int64{a, b}, tsunagu.CaseMove{Stage: tsunagu.StageSettled})
	for _, r := range res {
		if codeOf(r.Err) != tsunagu.EINVALID {
			t.Errorf("case %d to settled: got %v, want EINVALID", r.CaseID, r.Err)
		}
	}
}

func TestResidenceTrack(t *testing.T) {
	f := newFixture(t)
	id := mustOpen(t, f, f.candID)
	if err := f.svc.MoveResidence(as(f.coord), id, tsunagu.ResidenceChanged, ""); codeOf(err) != tsunagu.EINVALID {
		t.Fatalf("not started → changed: got %v, want EINVALID", err)
	}
	for _, r := range []tsunagu.ResidenceTrack{tsunagu.ResidenceApplied, tsunagu.ResidenceChanged} {
		if err := f.svc.MoveResidence(as(f.coord), id, r, ""); err != nil {
			t.Fatalf("to %s: %v", r, err)
		}
	}
}

func TestHireSchedulesRetention(t *testing.T) {
	f := newFixture(t)
	caseID, in := mustHire(t, f)
	c, _ := f.db.CaseByID(t.Context(), caseID)
	if got, want := c.Stage, tsunagu.StageHired; got != want {
		t.Fatalf("case stage: got %s, want %s", got, want)
	}
	if got, want := count(t, f.db, `SELECT count(*) FROM followups WHERE introduction_id = $1`, in), 8; got != want {
		t.Errorf("check-ins: got %d, want %d", got, want)
	}
	for _, m := range []int{1, 3, 6, 12} {
		if got := count(t, f.db, `SELECT count(*) FROM followups WHERE introduction_id = $1 AND month = $2 AND due_at = $3`, in, m, f.clock.Now().AddDate(0, m, 0)); got != 2 {
			t.Errorf("month %d: %d check-ins at the due date, want 2", m, got)
		}
	}
	if got, want := count(t, f.db, `SELECT count(*) FROM job_outbox WHERE task_type IN ('case:followup_due', 'case:followup_overdue')`), 16; got != want {
		t.Errorf("outbox rows: got %d, want %d", got, want)
	}
	if got := count(t, f.db, `SELECT count(*) FROM case_events WHERE case_id = $1 AND kind = 'stage' AND to_state = 'hired' AND introduction_id = $2`, caseID, in); got != 1 {
		t.Errorf("hire stage events: %d", got)
	}
}

func TestHireIsAllOrNothing(t *testing.T) {
	f := newFixture(t)
	caseID := mustOpen(t, f, f.candID)
	mustMove(t, f, caseID, tsunagu.StageTraining)
	in, _ := f.svc.Suggest(as(f.coord), caseID, f.roleA, "")
	f.svc.Consent(as(f.cand), in, true, "")
	mustIntroMove(t, f, f.coord, in, tsunagu.IntroIntroduced)
	mustIntroMove(t, f, f.coord, in, tsunagu.IntroInterviewing)
	mustIntroMove(t, f, f.coord, in, tsunagu.IntroOffered)
	// The case is still in training: the hire must be refused whole.
	err := f.svc.MoveIntroduction(as(f.coord), in, tsunagu.IntroMove{Stage: tsunagu.IntroHired})
	if e := tsunagu.AsError(err); e == nil || e.Fields["stage"].ID != "case.error.hire_needs_job_search" {
		t.Fatalf("got %v, want case.error.hire_needs_job_search", err)
	}
	got, _ := f.db.IntroductionByID(t.Context(), in)
	if got.Stage != tsunagu.IntroOffered || count(t, f.db, `SELECT count(*) FROM followups`) != 0 || count(t, f.db, `SELECT count(*) FROM job_outbox`) != 0 {
		t.Errorf("half-written hire: stage %s", got.Stage)
	}
}

func TestIntroductionTransitions(t *testing.T) {
	f := newFixture(t)
	caseID := mustOpen(t, f, f.candID)
	in, err := f.svc.Suggest(as(f.coord), caseID, f.roleA, "fits")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrIntroduceWithoutConsent", func(t *testing.T) {
		err := f.svc.MoveIntroduction(as(f.coord), in, tsunagu.IntroMove{Stage: tsunagu.IntroIntroduced})
		if e := tsunagu.AsError(err); e == nil || e.Fields["stage"].ID != "introduction.error.bad_move" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrCoordinatorConsents", func(t *testing.T) {
		err := f.svc.MoveIntroduction(as(f.coord), in, tsunagu.IntroMove{Stage: tsunagu.IntroConsented})
		if got, want := codeOf(err), tsunagu.EFORBIDDEN; got != want {
			t.Fatalf("got %v, want %s", err, want)
		}
	})
	t.Run("ErrOtherCandidateConsents", func(t *testing.T) {
		if got, want := codeOf(f.svc.Consent(as(f.other), in, true, "")), tsunagu.ENOTFOUND; got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	})
	t.Run("ErrDuplicate", func(t *testing.T) {
		_, err := f.svc.Suggest(as(f.coord), caseID, f.roleA, "")
		if got, want := codeOf(err), tsunagu.ECONFLICT; got != want {
			t.Fatalf("got %v, want %s", err, want)
		}
	})
	t.Run("CandidateDeclines", func(t *testing.T) {
		in2, err := f.svc.Suggest(as(f.coord), caseID, f.roleB, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Consent(as(f.cand), in2, false, "not now"); err != nil {
			t.Fatal(err)
		}
		// The company never learns of a declined suggestion.
		if _, err := f.svc.FindIntroduction(as(f.compB), in2); codeOf(err) != tsunagu.ENOTFOUND {
			t.Errorf("company sees declined suggestion: %v", err)
		}
		if err := f.svc.Consent(as(f.cand), in2, true, ""); codeOf(err) != tsunagu.EINVALID {
			t.Errorf("consent after decline: got %v, want EINVALID", err)
		}
	})
}

func TestConsentRule(t *testing.T) {
	f := newFixture(t)
	caseID := mustOpen(t, f, f.candID)
	mustMove(t, f, caseID, tsunagu.StageJobReady, tsunagu.StageJobSearch)
	in, _ := f.svc.Suggest(as(f.coord), caseID, f.roleA, "")
	ctx := t.Context()
	shared := func() bool {
		ok, err := f.svc.Consented(ctx, f.candID, []int64{f.companyA})
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if shared() {
		t.Fatal("identity shared before consent")
	}
	if _, err := f.svc.FindIntroduction(as(f.comp), in); codeOf(err) != tsunagu.ENOTFOUND {
		t.Fatalf("company sees a suggestion: %v", err)
	}
	if p, _ := f.svc.CompanyPipeline(as(f.comp)); len(p) != 0 {
		t.Fatalf("pipeline before consent: %d", len(p))
	}
	if err := f.svc.Feedback(as(f.comp), in, "yes", ""); codeOf(err) != tsunagu.ENOTFOUND {
		t.Fatalf("feedback before consent: %v", err)
	}
	if err := f.svc.Consent(as(f.cand), in, true, ""); err != nil {
		t.Fatal(err)
	}
	if !shared() {
		t.Fatal("identity not shared after consent")
	}
	if ok, _ := f.svc.Consented(ctx, f.candID, []int64{f.companyB}); ok {
		t.Fatal("identity shared with another company")
	}
	got, err := f.svc.FindIntroduction(as(f.comp), in)
	if err != nil || got.CandidateName != "Amina K." {
		t.Fatalf("company after consent: %+v %v", got, err)
	}
	t.Run("OtherCompanyCannotSee", func(t *testing.T) {
		if _, err := f.svc.FindIntroduction(as(f.compB), in); codeOf(err) != tsunagu.ENOTFOUND {
			t.Fatalf("got %v, want ENOTFOUND", err)
		}
		if p, _ := f.svc.CompanyPipeline(as(f.compB)); len(p) != 0 {
			t.Fatalf("other company's pipeline has %d", len(p))
		}
		if err := f.svc.MoveIntroduction(as(f.compB), in, tsunagu.IntroMove{Stage: tsunagu.IntroDeclinedByCompany}); codeOf(err) != tsunagu.ENOTFOUND {
			t.Fatalf("other company moves: %v", err)
		}
	})
	t.Run("CompanyCannotIntroduceItself", func(t *testing.T) {
		err := f.svc.MoveIntroduction(as(f.comp), in, tsunagu.IntroMove{Stage: tsunagu.IntroIntroduced})
		if got, want := codeOf(err), tsunagu.EFORBIDDEN; got != want {
			t.Fatalf("got %v, want %s", err, want)
		}
	})
	t.Run("WithdrawnHidesAgain", func(t *testing.T) {
		if err := f.svc.MoveIntroduction(as(f.cand), in, tsunagu.IntroMove{Stage: tsunagu.IntroDeclinedByCand}); err != nil {
			t.Fatal(err)
		}
		if shared() {
			t.Fatal("identity still shared after the candidate declined")
		}
		got, err := f.svc.FindIntroduction(as(f.comp), in)
		if err != nil || got.CandidateName != "" {
			t.Fatalf("company sees name after decline: %+v %v", got, err)
		}
	})
}

func TestCasePermissions(t *testing.T) {
	f := newFixture(t)
	mine := mustOpen(t, f, f.candID)
	theirs := mustOpen(t, f, f.otherID)
	if _, err := f.svc.FindCase(as(f.cand), mine); err != nil {
		t.Fatalf("own case: %v", err)
	}
	for name, u := range map[string]*tsunagu.User{"OtherCandidate": f.cand, "Company": f.comp} {
		t.Run(name, func(t *testing.T) {
			if _, err := f.svc.FindCase(as(u), theirs); codeOf(err) != tsunagu.ENOTFOUND {
				t.Fatalf("got %v, want ENOTFOUND", err)
			}
		})
	}
	if _, err := f.svc.ListCases(as(f.comp), tsunagu.CaseFilter{}); codeOf(err) != tsunagu.EFORBIDDEN {
		t.Fatalf("company lists cases: %v", err)
	}
	if err := f.svc.AddNote(as(f.coord), mine, "internal remark"); err != nil {
		t.Fatal(err)
	}
	v, _ := f.svc.FindCase(as(f.cand), mine)
	for _, e := range v.Events {
		if e.Kind == tsunagu.EventNote {
			t.Errorf("candidate sees internal note %q", e.Note)
		}
	}
}

func TestAnswerFollowupSettles(t *testing.T) {
	f := newFixture(t)
	caseID, in := mustHire(t, f)
	fs, _ := f.db.FollowupsOfCase(t.Context(), caseID)
	yes := true
	ans := tsunagu.FollowupAnswer{StillEmployed: &yes, Satisfaction: 4}
	for _, fu := range fs {
		u := f.cand
		if fu.Party == tsunagu.PartyEmployer {
			u = f.comp
		}
		// The other side may not answer.
		wrong := f.comp
		if u == f.comp {
			wrong = f.cand
		}
		if err := f.svc.AnswerFollowup(as(wrong), fu.ID, ans); codeOf(err) != tsunagu.ENOTFOUND {
			t.Fatalf("%s answers %s check-in: %v", wrong.Role, fu.Party, err)
		}
		if err := f.svc.AnswerFollowup(as(u), fu.ID, ans); err != nil {
			t.Fatalf("answer %d %s: %v", fu.Month, fu.Party, err)
		}
	}
	if err := f.svc.AnswerFollowup(as(f.cand), fs[0].ID, ans); codeOf(err) != tsunagu.ECONFLICT {
		t.Errorf("second answer: %v", err)
	}
	if err := f.svc.AnswerFollowup(as(f.cand), fs[0].ID, tsunagu.FollowupAnswer{}); codeOf(err) != tsunagu.EINVALID {
		t.Errorf("empty answer: %v", err)
	}
	c, _ := f.db.CaseByID(t.Context(), caseID)
	if got, want := c.Stage, tsunagu.StageSettled; got != want {
		t.Errorf("stage after 12-month check-in: got %s, want %s", got, want)
	}
	_ = in
}
