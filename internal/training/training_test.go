package training_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/training"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
	"github.com/tsunagu-org/tsunagu/web"
)

const (
	skillExcel = "http://data.europa.eu/esco/skill/excel-test"
	skillBooks = "http://data.europa.eu/esco/skill/bookkeeping-test"
	skillTeam  = "http://data.europa.eu/esco/skill/teamwork-test"
)

type fixture struct {
	db    *postgres.DB
	svc   *training.Service
	cases *cases.Service
	now   time.Time
	coord *tsunagu.User
	cand  *tsunagu.User
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	db := dbtest.NewDB(tb)
	f := &fixture{db: db, now: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.cases = cases.New(db)
	f.cases.Log = log
	f.svc = training.New(db)
	f.svc.Log = log
	f.svc.Now = func() time.Time { return f.now }
	f.svc.Cases = training.MoveCases{Cases: f.cases, Find: db}
	f.coord = mustUser(tb, db, "coord", tsunagu.RoleCoordinator)
	f.cand = mustUser(tb, db, "cand", tsunagu.RoleCandidate)
	return f
}

func as(u *tsunagu.User) context.Context { return tsunagu.NewContextWithUser(context.Background(), u) }

func mustUser(tb testing.TB, db *postgres.DB, name string, role tsunagu.Role) *tsunagu.User {
	tb.Helper()
	u := &tsunagu.User{Email: name + "@test.example", DisplayName: name, PasswordHash: "x", Role: role, Locale: "en"}
	if err := db.CreateUser(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
	return u
}

func mustCandidate(tb testing.TB, db *postgres.DB, name string, userID *int64, skills ...tsunagu.SkillRef) int64 {
	tb.Helper()
	c := &tsunagu.Candidate{Name: name, UserID: userID, Headline: "Accountant", Visibility: tsunagu.VisibilityCompanies,
		Location: tsunagu.Location{Country: "JP", Prefecture: "Tokyo"}, Skills: skills}
	if err := db.SaveCandidate(context.Background(), c); err != nil {
		tb.Fatal(err)
	}
	return c.ID
}

func mustProgramme(tb testing.TB, f *fixture, capacity, minAttendance int, assessment bool, skills ...string) *tsunagu.Programme {
	tb.Helper()
	p := &tsunagu.Programme{TitleJA: "簿記入門", TitleEN: "Bookkeeping basics", Kind: tsunagu.SkillHard,
		Format: tsunagu.FormatInPerson, Capacity: capacity, MinAttendance: minAttendance, Assessment: assessment, Active: true}
	for _, s := range skills {
		p.Skills = append(p.Skills, tsunagu.ProgrammeSkill{URI: s, Label: s[strings.LastIndex(s, "/")+1:]})
	}
	if err := f.svc.SaveProgramme(as(f.coord), p); err != nil {
		tb.Fatal(err)
	}
	return p
}

func mustCohort(tb testing.TB, f *fixture, p *tsunagu.Programme, sessions int) *tsunagu.Cohort {
	tb.Helper()
	start := time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC)
	c := &tsunagu.Cohort{ProgrammeID: p.ID, Name: "Spring", StartsOn: start, EndsOn: start.AddDate(0, 0, 30), Trainer: "Ito", Place: "Shinjuku"}
	for i := range sessions {
		c.Sessions = append(c.Sessions, &tsunagu.CohortSession{StartsAt: start.AddDate(0, 0, 7*i).Add(10 * time.Hour)})
	}
	if err := f.svc.CreateCohort(as(f.coord), c); err != nil {
		tb.Fatal(err)
	}
	return c
}

func fields(err error) map[string]tsunagu.FieldError {
	if e := tsunagu.AsError(err); e != nil {
		return e.Fields
	}
	return nil
}

func TestCapacityAndWaitingList(t *testing.T) {
	f := newFixture(t)
	ctx := as(f.coord)
	p := mustProgramme(t, f, 2, 80, false, skillExcel)
	c := mustCohort(t, f, p, 2)
	if got, want := c.Capacity, 2; got != want {
		t.Fatalf("cohort capacity = %d, want the programme's %d", got, want)
	}
	var ids []int64
	var es []*tsunagu.Enrolment
	for i := range 4 {
		id := mustCandidate(t, f.db, fmt.Sprintf("Cand %d", i), nil)
		ids = append(ids, id)
		e, err := f.svc.Enrol(ctx, c.ID, id, true)
		if err != nil {
			t.Fatal(err)
		}
		es = append(es, e)
	}
	for i, want := range []tsunagu.EnrolmentStatus{tsunagu.EnrolEnrolled, tsunagu.EnrolEnrolled, tsunagu.EnrolWaitlisted, tsunagu.EnrolWaitlisted} {
		if got := es[i].Status; got != want {
			t.Fatalf("enrolment %d status = %s, want %s", i, got, want)
		}
	}
	if got, want := es[3].WaitPosition, 2; got != want {
		t.Fatalf("fourth wait position = %d, want %d", got, want)
	}

	t.Run("ErrAlreadyEnrolled", func(t *testing.T) {
		_, err := f.svc.Enrol(ctx, c.ID, ids[0], true)
		if _, ok := fields(err)["candidate_id"]; !ok {
			t.Fatalf("second enrolment err = %v, want field candidate_id", err)
		}
	})

	t.Run("PromotedWhenPlaceFrees", func(t *testing.T) {
		if err := f.svc.Withdraw(ctx, es[0].ID); err != nil {
			t.Fatal(err)
		}
		e2, _ := f.db.EnrolmentByID(context.Background(), es[2].ID)
		if got, want := e2.Status, tsunagu.EnrolEnrolled; got != want {
			t.Fatalf("first waiting after a withdrawal = %s, want %s", got, want)
		}
		e3, _ := f.db.EnrolmentByID(context.Background(), es[3].ID)
		if got, want := e3.WaitPosition, 1; got != want || e3.Status != tsunagu.EnrolWaitlisted {
			t.Fatalf("second waiting = %s position %d, want waitlisted position %d", e3.Status, got, want)
		}
		cv, _ := f.db.CohortByID(context.Background(), c.ID)
		if cv.Seated != 2 || cv.Waiting != 1 {
			t.Fatalf("cohort seated/waiting = %d/%d, want 2/1", cv.Seated, cv.Waiting)
		}
	})

	t.Run("WithdrawingFromWaitingListPromotesNobody", func(t *testing.T) {
		if err := f.svc.Withdraw(ctx, es[3].ID); err != nil {
			t.Fatal(err)
		}
		cv, _ := f.db.CohortByID(context.Background(), c.ID)
		if cv.Seated != 2 || cv.Waiting != 0 {
			t.Fatalf("cohort seated/waiting = %d/%d, want 2/0", cv.Seated, cv.Waiting)
		}
	})

	t.Run("CandidateRequestWaitsWhenFull", func(t *testing.T) {
		ownID := mustCandidate(t, f.db, "Own", &f.cand.ID)
		e, err := f.svc.RequestEnrolment(as(f.cand), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := e.Status, tsunagu.EnrolRequested; got != want || e.CandidateID != ownID {
			t.Fatalf("request = %s for %d, want %s for %d", got, e.CandidateID, want, ownID)
		}
		if _, err := f.svc.AnswerRequest(as(f.cand), e.ID, true); tsunagu.ErrorCode(err) != tsunagu.EFORBIDDEN {
			t.Fatalf("candidate accepting own request err = %v, want forbidden", err)
		}
		e, err = f.svc.AnswerRequest(ctx, e.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := e.Status, tsunagu.EnrolWaitlisted; got != want {
			t.Fatalf("accepted request in a full cohort = %s, want %s", got, want)
		}
	})

	t.Run("ConcurrentEnrolmentsNeverOverfill", func(t *testing.T) {
		p2 := mustProgramme(t, f, 3, 80, false, skillExcel)
		c2 := mustCohort(t, f, p2, 1)
		errs := make(chan error, 8)
		for i := range 8 {
			id := mustCandidate(t, f.db, fmt.Sprintf("Rush %d", i), nil)
			go func() { _, err := f.svc.Enrol(ctx, c2.ID, id, true); errs <- err }()
		}
		for range 8 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		cv, _ := f.db.CohortByID(context.Background(), c2.ID)
		if cv.Seated != 3 || cv.Waiting != 5 {
			t.Fatalf("seated/waiting = %d/%d, want 3/5", cv.Seated, cv.Waiting)
		}
	})
}

func TestCompletionCriteria(t *testing.T) {
	f := newFixture(t)
	ctx := as(f.coord)
	p := mustProgramme(t, f, 10, 75, true, skillBooks)
	c := mustCohort(t, f, p, 4)
	cid := mustCandidate(t, f.db, "Amina", nil)
	e, err := f.svc.Enrol(ctx, c.ID, cid, true)
	if err != nil {
		t.Fatal(err)
	}
	attend := func(n int) {
		for i, s := range c.Sessions {
			var present []int64
			if i < n {
				present = []int64{e.ID}
			}
			if err := f.svc.MarkAttendance(ctx, c.ID, s.ID, present); err != nil {
				t.Fatal(err)
			}
		}
	}

	t.Run("ErrAttendanceAndAssessment", func(t *testing.T) {
		attend(2)
		_, err := f.svc.Complete(ctx, e.ID, nil)
		fs := fields(err)
		if got, want := fs["attendance"].ID, "training.error.attendance_short"; got != want {
			t.Fatalf("attendance error = %q, want %q (err %v)", got, want, err)
		}
		if got, want := fs["attendance"].Data["Have"], 50; got != want {
			t.Fatalf("attendance Have = %v, want %v", got, want)
		}
		if _, ok := fs["assessment_passed"]; !ok {
			t.Fatalf("no assessment error: %v", err)
		}
	})

	t.Run("ErrAssessmentFailed", func(t *testing.T) {
		attend(3)
		no := false
		_, err := f.svc.Complete(ctx, e.ID, &no)
		fs := fields(err)
		if _, ok := fs["attendance"]; ok {
			t.Fatalf("attendance 3/4 against 75%% refused: %v", err)
		}
		if _, ok := fs["assessment_passed"]; !ok {
			t.Fatalf("failed assessment accepted: %v", err)
		}
	})

	t.Run("OK", func(t *testing.T) {
		yes := true
		res, err := f.svc.Complete(ctx, e.ID, &yes)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := res.Enrolment.Status, tsunagu.EnrolCompleted; got != want {
			t.Fatalf("status = %s, want %s", got, want)
		}
	})

	t.Run("ErrCompletedTwice", func(t *testing.T) {
		_, err := f.svc.Complete(ctx, e.ID, nil)
		if _, ok := fields(err)["status"]; !ok {
			t.Fatalf("second completion err = %v, want field status", err)
		}
	})

	t.Run("ErrCandidateMayNotComplete", func(t *testing.T) {
		if _, err := f.svc.Complete(as(f.cand), e.ID, nil); tsunagu.ErrorCode(err) != tsunagu.EFORBIDDEN {
			t.Fatalf("candidate completing err = %v, want forbidden", err)
		}
	})
}

func TestCompletionVerifiesSkillsAndMovesCase(t *testing.T) {
	f := newFixture(t)
	ctx := as(f.coord)
	p := mustProgramme(t, f, 10, 50, false, skillExcel, skillBooks)
	c := mustCohort(t, f, p, 2)
	cid := mustCandidate(t, f.db, "Amina", &f.cand.ID, tsunagu.SkillRef{Label: "Excel", ESCOURI: skillExcel, Level: tsunagu.LevelAdvanced})
	caseID, err := f.cases.OpenCase(ctx, cid)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.cases.MoveCase(ctx, caseID, tsunagu.CaseMove{Stage: tsunagu.StageTraining}); err != nil {
		t.Fatal(err)
	}
	// A second programme in the plan keeps the case in training until done.
	p2 := mustProgramme(t, f, 10, 0, false, skillTeam)
	c2 := mustCohort(t, f, p2, 1)
	e, _ := f.svc.Enrol(ctx, c.ID, cid, true)
	e2, _ := f.svc.Enrol(ctx, c2.ID, cid, true)
	for _, s := range c.Sessions {
		if err := f.svc.MarkAttendance(ctx, c.ID, s.ID, []int64{e.ID}); err != nil {
			t.Fatal(err)
		}
	}
	seqBefore, _ := f.db.LastChangeSeq(context.Background())

	res, err := f.svc.Complete(ctx, e.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.JobReady, training.JobReadyNot; got != want {
		t.Fatalf("job-ready with a required enrolment left = %q, want %q", got, want)
	}
	cand, err := f.db.CandidateByID(context.Background(), cid)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]tsunagu.SkillRef{}
	for _, s := range cand.Skills {
		got[s.ESCOURI] = s
	}
	if s := got[skillExcel]; s.Verified != "Bookkeeping basics" || s.Level != tsunagu.LevelAdvanced || len(cand.Skills) != 2 {
		t.Fatalf("existing skill after completion = %+v (skills %d), want verified, level kept, no duplicate", s, len(cand.Skills))
	}
	if s := got[skillBooks]; s.Verified != "Bookkeeping basics" {
		t.Fatalf("taught skill on the profile = %+v, want it verified", s)
	}
	changes, _ := f.db.ChangesSince(context.Background(), seqBefore, 10)
	if len(changes) == 0 {
		t.Fatal("completion wrote no change_log row: the index would not follow")
	}
	// Companies see the verification on the anonymised card.
	card := tsunagu.AnonymizeCandidate(cand, nil)
	if card.Skills[1].Verified == "" {
		t.Fatal("card does not show the verified skill")
	}

	kase, _ := f.db.CaseByID(context.Background(), caseID)
	if got, want := kase.Stage, tsunagu.StageTraining; got != want {
		t.Fatalf("case stage after the first of two programmes = %s, want %s", got, want)
	}
	if err := f.svc.MarkAttendance(ctx, c2.ID, c2.Sessions[0].ID, []int64{e2.ID}); err != nil {
		t.Fatal(err)
	}
	res, err = f.svc.Complete(ctx, e2.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.JobReady, training.JobReadyMoved; got != want {
		t.Fatalf("job-ready after the plan = %q, want %q", got, want)
	}
	kase, _ = f.db.CaseByID(context.Background(), caseID)
	if got, want := kase.Stage, tsunagu.StageJobReady; got != want {
		t.Fatalf("case stage = %s, want %s", got, want)
	}
	events, _ := f.db.CaseEvents(context.Background(), caseID)
	last := events[len(events)-1]
	if last.To != string(tsunagu.StageJobReady) || last.ActorID == nil || *last.ActorID != f.coord.ID {
		t.Fatalf("last case event = %+v, want a move to job_ready by the coordinator", last)
	}
}

func TestCompletionAsksForConfirmation(t *testing.T) {
	f := newFixture(t)
	ctx := as(f.coord)
	if err := f.svc.SetConfirmSetting(ctx, true); err != nil {
		t.Fatal(err)
	}
	p := mustProgramme(t, f, 10, 0, false, skillTeam)
	c := mustCohort(t, f, p, 1)
	cid := mustCandidate(t, f.db, "Omar", nil)
	caseID, _ := f.cases.OpenCase(ctx, cid)
	if err := f.cases.MoveCase(ctx, caseID, tsunagu.CaseMove{Stage: tsunagu.StageTraining}); err != nil {
		t.Fatal(err)
	}
	e, _ := f.svc.Enrol(ctx, c.ID, cid, true)
	res, err := f.svc.Complete(ctx, e.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.JobReady, training.JobReadyPending; got != want {
		t.Fatalf("job-ready = %q, want %q", got, want)
	}
	if k, _ := f.db.CaseByID(context.Background(), caseID); k.Stage != tsunagu.StageTraining {
		t.Fatalf("case moved before confirmation: %s", k.Stage)
	}
	pending, _ := f.svc.PendingJobReady(ctx)
	if len(pending) != 1 || pending[0].CandidateID != cid {
		t.Fatalf("pending = %+v", pending)
	}
	if err := f.svc.ConfirmJobReady(ctx, cid); err != nil {
		t.Fatal(err)
	}
	if k, _ := f.db.CaseByID(context.Background(), caseID); k.Stage != tsunagu.StageJobReady {
		t.Fatalf("case after confirmation = %s", k.Stage)
	}
	if err := f.svc.ConfirmJobReady(ctx, cid); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		t.Fatalf("second confirmation err = %v, want not found", err)
	}
}

func TestProgrammeValidation(t *testing.T) {
	f := newFixture(t)
	b, err := i18n.Load(web.Locales)
	if err != nil {
		t.Fatal(err)
	}
	p := &tsunagu.Programme{Kind: "medium", Format: "", Capacity: 0, MinAttendance: 120,
		Skills: []tsunagu.ProgrammeSkill{{URI: "not-a-uri"}}}
	err = f.svc.SaveProgramme(as(f.coord), p)
	fs := fields(err)
	for field, id := range map[string]string{
		"title_en": "training.error.title_required", "kind": "error.choice", "format": "error.required",
		"capacity": "training.error.range", "min_attendance": "training.error.range", "skills": "training.error.unknown_skill",
	} {
		if got := fs[field].ID; got != id {
			t.Errorf("field %s error = %q, want %q", field, got, id)
		}
	}
	en, ja := b.Printer("en"), b.Printer("ja")
	for field, fe := range fs {
		m1, m2 := en.T(fe.ID, fe.Data), ja.T(fe.ID, fe.Data)
		if m1 == fe.ID || m2 == fe.ID || m1 == m2 {
			t.Errorf("field %s: message %q not translated (en %q, ja %q)", field, fe.ID, m1, m2)
		}
	}
	if got := ja.T(fs["capacity"].ID, fs["capacity"].Data); !strings.Contains(got, "500") {
		t.Errorf("ja capacity message %q lacks the maximum", got)
	}
	if err := f.svc.SaveProgramme(as(f.cand), mustValid()); tsunagu.ErrorCode(err) != tsunagu.EFORBIDDEN {
		t.Fatalf("candidate saving a programme err = %v, want forbidden", err)
	}

	t.Run("ErrCohort", func(t *testing.T) {
		pr := mustValid()
		pr.Format = tsunagu.FormatHybrid
		if err := f.svc.SaveProgramme(as(f.coord), pr); err != nil {
			t.Fatal(err)
		}
		c := &tsunagu.Cohort{ProgrammeID: pr.ID, StartsOn: f.now, EndsOn: f.now.AddDate(0, 0, -1), OnlineURL: "ftp://x"}
		fs := fields(f.svc.CreateCohort(as(f.coord), c))
		for _, k := range []string{"name", "ends_on", "online_url", "place"} {
			if _, ok := fs[k]; !ok {
				t.Errorf("cohort field %s has no error (%v)", k, fs)
			}
		}
	})
}

func mustValid() *tsunagu.Programme {
	return &tsunagu.Programme{TitleEN: "Teamwork in Japanese offices", Kind: tsunagu.SkillSoft, Format: tsunagu.FormatOnline,
		Capacity: 20, MinAttendance: 80, Active: true, Skills: []tsunagu.ProgrammeSkill{{URI: skillTeam}}}
}

func TestProgrammesTeachingAndGapReach(t *testing.T) {
	f := newFixture(t)
	p := mustProgramme(t, f, 10, 80, false, skillBooks, skillTeam)
	got, err := f.svc.ProgrammesTeaching(context.Background(), []string{skillBooks, skillExcel})
	if err != nil {
		t.Fatal(err)
	}
	if len(got[skillBooks]) != 1 || got[skillBooks][0].ID != p.ID || len(got[skillExcel]) != 0 {
		t.Fatalf("programmes teaching = %+v", got)
	}
	// An open role requiring bookkeeping; two candidates lack it, one has it.
	ctx := context.Background()
	co, err := f.db.EnsureCompany(ctx, "Sakura Logistics")
	if err != nil {
		t.Fatal(err)
	}
	r := &tsunagu.JobRole{CompanyID: co.ID, Title: "Accounting staff", Workplace: tsunagu.WorkplaceOnsite, Status: tsunagu.RoleOpen,
		EmploymentType: "full_time", Openings: 1, RequiredSkills: []tsunagu.SkillRef{{Label: "bookkeeping", ESCOURI: skillBooks}}}
	if err := f.db.SaveRole(ctx, r); err != nil {
		t.Fatal(err)
	}
	mustCandidate(t, f.db, "A", nil)
	mustCandidate(t, f.db, "B", nil)
	mustCandidate(t, f.db, "C", nil, tsunagu.SkillRef{Label: "bookkeeping", ESCOURI: skillBooks})
	reach, err := f.svc.GapReach(as(f.coord))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := reach[p.ID], 2; got != want {
		t.Fatalf("gap reach = %d, want %d", got, want)
	}
}

// TestOutcomes checks the figures on crafted data.
func TestOutcomes(t *testing.T) {
	f := newFixture(t)
	ctx := as(f.coord)
	bg := context.Background()
	p := mustProgramme(t, f, 10, 0, false, skillBooks)
	c := mustCohort(t, f, p, 1)
	var ids []int64
	var es []*tsunagu.Enrolment
	for i := range 5 {
		id := mustCandidate(t, f.db, fmt.Sprintf("C%d", i), nil)
		ids = append(ids, id)
		e, err := f.svc.Enrol(ctx, c.ID, id, true)
		if err != nil {
			t.Fatal(err)
		}
		es = append(es, e)
	}
	// 0 and 1 complete, 2 withdraws, 3 does not complete, 4 is still enrolled.
	for _, i := range []int{0, 1} {
		if _, err := f.svc.Complete(ctx, es[i].ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.svc.Withdraw(ctx, es[2].ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.MarkNotCompleted(ctx, es[3].ID); err != nil {
		t.Fatal(err)
	}
	mustExec := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := f.db.GetContext(bg, &id, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	company := mustExec(`INSERT INTO companies (name) VALUES ('Sakura') RETURNING id`)
	role := mustExec(`INSERT INTO roles (company_id, title, workplace) VALUES ($1, 'Clerk', 'onsite') RETURNING id`, company)
	day := func(d int) time.Time { return f.now.AddDate(0, 0, d) }
	for i, jobReady := range []int{10, 20} {
		k := mustExec(`INSERT INTO cases (candidate_id, stage) VALUES ($1, 'job_ready') RETURNING id`, ids[i])
		mustExec(`INSERT INTO case_events (case_id, kind, from_state, to_state, at) VALUES ($1, 'stage', 'training', 'job_ready', $2) RETURNING id`, k, day(jobReady))
		if i == 0 { // hired two months after completing; candidate 1 never
			mustExec(`INSERT INTO introductions (case_id, candidate_id, role_id, company_id, stage, hired_at) VALUES ($1, $2, $3, $4, 'hired', $5) RETURNING id`,
				k, ids[i], role, company, day(60))
		}
	}
	w := mustExec(`INSERT INTO workshops (company_id, topic, audience, language, status, scheduled_at, participants) VALUES ($1, 'x', 30, 'ja', 'delivered', $2, 25) RETURNING id`, company, day(5))
	mustExec(`INSERT INTO workshops (company_id, topic, audience, language) VALUES ($1, 'y', 10, 'en') RETURNING id`, company)
	mustExec(`INSERT INTO workshop_lecturers (workshop_id, candidate_id, status) VALUES ($1, $2, 'accepted') RETURNING candidate_id`, w, ids[0])
	mustExec(`INSERT INTO workshop_lecturers (workshop_id, candidate_id, status) VALUES ($1, $2, 'declined') RETURNING candidate_id`, w, ids[1])

	t.Run("BeforeSixMonths", func(t *testing.T) {
		o, err := f.svc.Outcomes(ctx, tsunagu.OutcomeFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if o.CompletedCandidates != 0 {
			t.Fatalf("completions counted before six months passed: %d", o.CompletedCandidates)
		}
	})
	f.now = f.now.AddDate(0, 7, 0)
	o, err := f.svc.Outcomes(ctx, tsunagu.OutcomeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	po := o.Programmes[0]
	if po.Seated != 5 || po.Ended != 4 || po.Completed != 2 || po.CompletionRate != 0.5 {
		t.Fatalf("programme figures = %+v, want seated 5, ended 4, completed 2, rate 0.5", po)
	}
	if o.JobReadyCount != 2 || o.MedianDaysToJobReady != 15 {
		t.Fatalf("job-ready = %d, median %v days; want 2, 15", o.JobReadyCount, o.MedianDaysToJobReady)
	}
	if o.CompletedCandidates != 2 || o.HiredWithin6Months != 1 || o.HireRate != 0.5 {
		t.Fatalf("hires = %d of %d (%v), want 1 of 2", o.HiredWithin6Months, o.CompletedCandidates, o.HireRate)
	}
	if o.WorkshopsDelivered != 1 || o.Participants != 25 || o.Lecturers != 1 {
		t.Fatalf("workshops = %d, participants %d, lecturers %d; want 1, 25, 1", o.WorkshopsDelivered, o.Participants, o.Lecturers)
	}
	if _, err := f.svc.Outcomes(as(f.cand), tsunagu.OutcomeFilter{}); tsunagu.ErrorCode(err) != tsunagu.EFORBIDDEN {
		t.Fatalf("candidate outcomes err = %v, want forbidden", err)
	}
}
