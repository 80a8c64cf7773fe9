package cases_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// phoneConsent is a consent obtained by phone an hour ago.
func phoneConsent(f *fixture) tsunagu.RecordedConsent {
	return tsunagu.RecordedConsent{Answer: tsunagu.AnswerConsent, Method: tsunagu.ConsentByPhone,
		ObtainedAt: f.clock.Now().Add(-time.Hour), Words: "Yes, please introduce me to Sakura Logistics."}
}

// TestRecordConsent: a coordinator records a consent or decline obtained
// outside the platform (issue 12.1), for a candidate without an account
// too; the company gets the same rights as with a consent given on the
// platform, the candidate sees it and may withdraw it.
func TestRecordConsent(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	// Entered by a coordinator: no account.
	noAccount := mustCandidate(t, f.db, "Hamid R.", nil, nil)
	caseID := mustOpen(t, f, noAccount)
	in, err := f.svc.Suggest(as(f.coord), caseID, f.roleA, "")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("ErrFields", func(t *testing.T) {
		_, err := f.svc.RecordConsent(as(f.coord), in, tsunagu.RecordedConsent{Method: "fax", Words: "  "})
		e := tsunagu.AsError(err)
		if e == nil || e.Code != tsunagu.EINVALID {
			t.Fatalf("got %v, want EINVALID", err)
		}
		for field, id := range map[string]string{"answer": "error.required", "method": "error.choice", "obtained_at": "error.required", "words": "error.required"} {
			if got := e.Fields[field].ID; got != id {
				t.Errorf("field %s: got %q, want %q", field, got, id)
			}
		}
		r := phoneConsent(f)
		r.ObtainedAt = f.clock.Now().Add(48 * time.Hour)
		_, err = f.svc.RecordConsent(as(f.coord), in, r)
		if e := tsunagu.AsError(err); e == nil || e.Fields["obtained_at"].ID != "introduction.error.obtained_future" {
			t.Errorf("future date: got %v", err)
		}
		if got := count(t, f.db, `SELECT count(*) FROM recorded_consents`); got != 0 {
			t.Errorf("rows written on bad input: %d", got)
		}
	})
	t.Run("ErrNotStaff", func(t *testing.T) {
		for _, u := range []*tsunagu.User{f.cand, f.comp} {
			if _, err := f.svc.RecordConsent(as(u), in, phoneConsent(f)); codeOf(err) != tsunagu.EFORBIDDEN {
				t.Errorf("%s records: got %v, want EFORBIDDEN", u.Role, err)
			}
		}
	})
	t.Run("OKConsentByPhone", func(t *testing.T) {
		if ok, _ := f.svc.Consented(ctx, noAccount, []int64{f.companyA}); ok {
			t.Fatal("identity shared before consent")
		}
		rid, err := f.svc.RecordConsent(as(f.coord), in, phoneConsent(f))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := f.db.IntroductionByID(ctx, in)
		if got.Stage != tsunagu.IntroConsented || !got.ConsentRecorded || got.ConsentedAt == nil {
			t.Fatalf("introduction: stage %s recorded %v consented_at %v", got.Stage, got.ConsentRecorded, got.ConsentedAt)
		}
		// The same rights as a consent given on the platform.
		if ok, _ := f.svc.Consented(ctx, noAccount, []int64{f.companyA}); !ok {
			t.Error("identity not shared after a recorded consent")
		}
		pipe, err := f.svc.CompanyPipeline(as(f.comp))
		if err != nil || len(pipe) != 1 || pipe[0].CandidateName != "Hamid R." || !pipe[0].ConsentRecorded {
			t.Fatalf("pipeline: %+v %v", pipe, err)
		}
		seen, err := f.svc.FindIntroduction(as(f.comp), in)
		if err != nil || seen.Recorded != nil {
			t.Errorf("company sees the record's words: %+v %v", seen, err)
		}
		staffView, err := f.svc.FindIntroduction(as(f.coord), in)
		if err != nil || staffView.Recorded == nil || staffView.Recorded.ID != rid || staffView.Recorded.RecordedByName != "coord" || staffView.Recorded.Method != "phone" {
			t.Errorf("staff view of the record: %+v %v", staffView.Recorded, err)
		}
		if got := count(t, f.db, `SELECT count(*) FROM audit_log WHERE action = 'introduction.consent_recorded' AND subject_id = $1 AND actor_id = $2 AND detail->>'method' = 'phone'`, in, f.coord.ID); got != 1 {
			t.Errorf("audit rows: %d, want 1", got)
		}
		if got := count(t, f.db, `SELECT count(*) FROM case_events WHERE introduction_id = $1 AND reason = 'recorded.phone' AND to_state = 'candidate_consented' AND actor_id = $2`, in, f.coord.ID); got != 1 {
			t.Errorf("timeline events: %d, want 1", got)
		}
		if got := count(t, f.db, `SELECT count(*) FROM notifications WHERE user_id = $1 AND message_id = 'notify.company_consent_recorded'`, f.comp.ID); got != 1 {
			t.Errorf("company told: %d, want 1", got)
		}
	})
	t.Run("ErrNotAwaiting", func(t *testing.T) {
		_, err := f.svc.RecordConsent(as(f.coord), in, phoneConsent(f))
		if e := tsunagu.AsError(err); e == nil || e.Code != tsunagu.EINVALID || e.Fields["stage"].ID == "" {
			t.Fatalf("second consent: got %v, want EINVALID on stage", err)
		}
	})
	t.Run("OKDeclineOnPaperHidesAgain", func(t *testing.T) {
		r := tsunagu.RecordedConsent{Answer: tsunagu.AnswerDecline, Method: tsunagu.ConsentOnPaper, ObtainedAt: f.clock.Now(), Words: "letter of 2 December, file 14"}
		if _, err := f.svc.RecordConsent(as(f.coord), in, r); err != nil {
			t.Fatal(err)
		}
		if ok, _ := f.svc.Consented(ctx, noAccount, []int64{f.companyA}); ok {
			t.Error("identity still shared after a recorded decline")
		}
		got, _ := f.svc.FindIntroduction(as(f.comp), in)
		if got == nil || got.CandidateName != "" {
			t.Errorf("company sees the name after a decline: %+v", got)
		}
	})
}

// TestRecordedConsentCandidateWithdraws: the candidate with an account is
// told, sees the recorded consent and withdraws it themself.
func TestRecordedConsentCandidateWithdraws(t *testing.T) {
	f := newFixture(t)
	caseID := mustOpen(t, f, f.candID)
	in, err := f.svc.Suggest(as(f.coord), caseID, f.roleA, "")
	if err != nil {
		t.Fatal(err)
	}
	r := phoneConsent(f)
	r.Method = tsunagu.ConsentByMessaging
	if _, err := f.svc.RecordConsent(as(f.coord), in, r); err != nil {
		t.Fatal(err)
	}
	if got := count(t, f.db, `SELECT count(*) FROM notifications WHERE user_id = $1 AND message_id = 'notify.consent_recorded' AND link = $2`, f.cand.ID, "/me/introductions/"+itoa(in)); got != 1 {
		t.Errorf("candidate told: %d, want 1", got)
	}
	own, err := f.svc.OwnIntroductions(as(f.cand))
	if err != nil || len(own) != 1 || own[0].Recorded == nil || own[0].Recorded.Method != "messaging" || own[0].Recorded.Words != r.Words {
		t.Fatalf("candidate's view: %+v %v", own, err)
	}
	if err := f.svc.Consent(as(f.cand), in, false, "changed my mind"); err != nil {
		t.Fatalf("withdraw: %v", err)
	}
	got, _ := f.db.IntroductionByID(t.Context(), in)
	if got.Stage != tsunagu.IntroDeclinedByCand || got.ConsentRecorded {
		t.Errorf("after withdrawal: stage %s recorded %v", got.Stage, got.ConsentRecorded)
	}
	if ok, _ := f.svc.Consented(t.Context(), f.candID, []int64{f.companyA}); ok {
		t.Error("identity still shared after withdrawal")
	}
	// The record stays as history.
	if got := count(t, f.db, `SELECT count(*) FROM recorded_consents WHERE introduction_id = $1`, in); got != 1 {
		t.Errorf("records kept: %d, want 1", got)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
