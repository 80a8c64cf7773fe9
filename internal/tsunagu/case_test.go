package tsunagu

import (
	"testing"
	"time"
)

func TestCheckCaseMove(t *testing.T) {
	ok := []struct{ from, to CaseStage }{
		{StageIntake, StageTraining}, {StageIntake, StageJobReady}, {StageTraining, StageJobReady},
		{StageJobReady, StageJobSearch}, {StageJobSearch, StageTraining}, {StageHired, StageRetention},
		{StageRetention, StageSettled}, {StageClosed, StageIntake},
	}
	for _, m := range ok {
		if err := CheckCaseMove(m.from, m.to, ""); err != nil {
			t.Errorf("%s → %s: %v", m.from, m.to, err)
		}
	}
	bad := []struct {
		name     string
		from, to CaseStage
		reason   string
		field    string
		id       string
	}{
		{"ErrSkipToSettled", StageIntake, StageSettled, "", "stage", "case.error.bad_move"},
		{"ErrSkipToRetention", StageJobReady, StageRetention, "", "stage", "case.error.bad_move"},
		{"ErrHireByHand", StageJobSearch, StageHired, "", "stage", "case.error.hire_through_introduction"},
		{"ErrSame", StageTraining, StageTraining, "", "stage", "case.error.same_stage"},
		{"ErrUnknown", StageIntake, "bogus", "", "stage", "error.choice"},
		{"ErrFromSettled", StageSettled, StageIntake, "", "stage", "case.error.bad_move"},
		{"ErrCloseSettled", StageSettled, StageClosed, CloseWithdrawn, "stage", "case.error.bad_move"},
		{"ErrCloseNoReason", StageTraining, StageClosed, "", "reason", "case.error.close_reason"},
		{"ErrCloseBadReason", StageTraining, StageClosed, "bored", "reason", "case.error.close_reason"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckCaseMove(tc.from, tc.to, tc.reason)
			e := AsError(err)
			if e == nil || e.Code != EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
			if got, want := e.Fields[tc.field].ID, tc.id; got != want {
				t.Errorf("field %s: got %q, want %q", tc.field, got, want)
			}
			if e.Data["From"] != string(tc.from) || e.Data["To"] != string(tc.to) {
				t.Errorf("data %v does not name both stages", e.Data)
			}
		})
	}
	if err := CheckCaseMove(StageJobSearch, StageClosed, CloseMovedAway); err != nil {
		t.Errorf("close with reason: %v", err)
	}
}

func TestCheckIntroMove(t *testing.T) {
	path := []IntroStage{IntroSuggested, IntroConsented, IntroIntroduced, IntroInterviewing, IntroOffered, IntroHired}
	for i := 0; i+1 < len(path); i++ {
		if err := CheckIntroMove(path[i], path[i+1]); err != nil {
			t.Errorf("%s → %s: %v", path[i], path[i+1], err)
		}
	}
	for _, m := range [][2]IntroStage{
		{IntroSuggested, IntroIntroduced},        // no introduction without consent
		{IntroSuggested, IntroHired},             // no skipping
		{IntroIntroduced, IntroOffered},          // interview first
		{IntroHired, IntroWithdrawn},             // final
		{IntroDeclinedByCand, IntroConsented},    // final
		{IntroSuggested, IntroDeclinedByCompany}, // company never saw it
	} {
		if err := CheckIntroMove(m[0], m[1]); ErrorCode(err) != EINVALID {
			t.Errorf("%s → %s: got %v, want EINVALID", m[0], m[1], err)
		}
	}
}

func TestIdentityStages(t *testing.T) {
	for _, s := range IntroStages {
		want := s == IntroConsented || s == IntroIntroduced || s == IntroInterviewing || s == IntroOffered || s == IntroHired
		if got := s.SharesIdentity(); got != want {
			t.Errorf("%s shares identity: got %v, want %v", s, got, want)
		}
	}
}

func TestFeedbackMove(t *testing.T) {
	for _, tc := range []struct {
		from    IntroStage
		verdict string
		to      IntroStage
		ok      bool
	}{
		{IntroIntroduced, FeedbackYes, IntroInterviewing, true},
		{IntroInterviewing, FeedbackYes, IntroOffered, true},
		{IntroOffered, FeedbackYes, IntroHired, true},
		{IntroInterviewing, FeedbackNo, IntroDeclinedByCompany, true},
		{IntroSuggested, FeedbackYes, "", false},
		{IntroHired, FeedbackNo, "", false},
		{IntroIntroduced, "maybe", "", false},
	} {
		to, ok := FeedbackMove(tc.from, tc.verdict)
		if to != tc.to || ok != tc.ok {
			t.Errorf("%s %s: got %s %v, want %s %v", tc.from, tc.verdict, to, ok, tc.to, tc.ok)
		}
	}
}

func TestRetentionSchedule(t *testing.T) {
	hired := time.Date(2026, 1, 31, 9, 0, 0, 0, time.UTC)
	fs := RetentionSchedule(hired)
	if got, want := len(fs), 8; got != want {
		t.Fatalf("check-ins: got %d, want %d", got, want)
	}
	if got, want := fs[0].DueAt, hired.AddDate(0, 1, 0); !got.Equal(want) {
		t.Errorf("first due: got %v, want %v", got, want)
	}
	if fs[0].Party != PartyCandidate || fs[1].Party != PartyEmployer || fs[7].Month != 12 {
		t.Errorf("schedule: %+v", fs)
	}
}

func TestCasePolicy(t *testing.T) {
	cand := &User{ID: 1, Role: RoleCandidate}
	other := &User{ID: 2, Role: RoleCandidate}
	comp := &User{ID: 3, Role: RoleCompany}
	coord := &User{ID: 4, Role: RoleCoordinator}
	own := Subject{OwnerUserID: 1}
	for _, tc := range []struct {
		name string
		u    *User
		act  Action
		s    Subject
		want bool
	}{
		{"CandidateOwnCase", cand, ActCaseView, own, true},
		{"CandidateOtherCase", other, ActCaseView, own, false},
		{"CompanyCase", comp, ActCaseView, Subject{CompanyID: 9, ViewerCompanyIDs: []int64{9}}, false},
		{"CoordinatorCase", coord, ActCaseView, own, true},
		{"CandidateManage", cand, ActCaseManage, own, false},
		{"CompanyIntroBeforeConsent", comp, ActIntroductionView, Subject{CompanyID: 9, ViewerCompanyIDs: []int64{9}}, false},
		{"CompanyIntroAfterConsent", comp, ActIntroductionView, Subject{CompanyID: 9, ViewerCompanyIDs: []int64{9}, Consented: true}, true},
		{"CompanyOtherCompanyIntro", comp, ActIntroductionView, Subject{CompanyID: 8, ViewerCompanyIDs: []int64{9}, Consented: true}, false},
		{"CandidateConsentOwn", cand, ActIntroductionConsent, own, true},
		{"CoordinatorConsent", coord, ActIntroductionConsent, own, false},
		{"OtherCandidateConsent", other, ActIntroductionConsent, own, false},
		{"CompanyFeedbackOther", comp, ActIntroductionFeedback, Subject{CompanyID: 8, ViewerCompanyIDs: []int64{9}, Consented: true}, false},
		{"CompanyAnswersCandidateCheckin", comp, ActFollowupAnswer, Subject{OwnerUserID: 1, ViewerCompanyIDs: []int64{9}}, false},
		{"CompanyAnswersEmployerCheckin", comp, ActFollowupAnswer, Subject{CompanyID: 9, ViewerCompanyIDs: []int64{9}}, true},
		{"CandidateAnswersEmployerCheckin", cand, ActFollowupAnswer, Subject{CompanyID: 9}, false},
		{"CandidateOutcomes", cand, ActOutcomesView, Subject{}, false},
		{"Visitor", nil, ActCaseView, own, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Can(tc.u, tc.act, tc.s); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestOnHire(t *testing.T) {
	for _, tc := range []struct {
		from   CaseStage
		to     CaseStage
		behind bool
	}{
		{StageIntake, StageHired, true},
		{StageTraining, StageHired, true},
		{StageJobReady, StageHired, false},
		{StageJobSearch, StageHired, false},
		{StageHired, StageHired, false},
		{StageRetention, StageRetention, false},
		{StageSettled, StageSettled, true},
		{StageClosed, StageHired, true},
	} {
		if got := tc.from.OnHire(); got.To != tc.to || got.Behind != tc.behind {
			t.Errorf("%s: got %+v, want to %s behind %v", tc.from, got, tc.to, tc.behind)
		}
	}
}
