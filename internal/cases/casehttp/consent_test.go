package casehttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
)

// TestRecordedConsentThroughPages: a coordinator records, on the case's
// pages, the consent a candidate without an account gave by phone; bad
// input is refused per field in the coordinator's language; the company
// then opens the full profile from its pipeline, and every view is
// audited (issue 12.1, 12.4).
func TestRecordedConsentThroughPages(t *testing.T) {
	env := apptest.New(t, apptest.Options{Seed: true})
	_, role := demo(t, env)
	ctx := context.Background()
	db := env.App.DB
	var cand int64
	if err := db.GetContext(ctx, &cand, `INSERT INTO candidates (name, headline, email, phone, locale) VALUES ('Hamid Rahimi', 'Accountant', 'hamid@example.org', '090-1234-5678', 'fa') RETURNING id`); err != nil {
		t.Fatal(err)
	}
	coord := env.Client()
	coord.SignInDemo("coordinator")
	setLang(t, coord, "ja")
	r := coord.PostForm("/coordinator/cases", "/coordinator/cases/new", url.Values{"candidate_id": {fmt.Sprint(cand)}})
	mustStatus(t, r, http.StatusSeeOther, "open case")
	caseID := caseLink.FindStringSubmatch(r.Location)[1]
	r = coord.PostForm("/coordinator/cases/"+caseID+"/introductions", "/coordinator/cases/"+caseID, url.Values{"role_id": {fmt.Sprint(role)}})
	mustStatus(t, r, http.StatusSeeOther, "suggest")
	var intro int64
	if err := db.GetContext(ctx, &intro, `SELECT id FROM introductions WHERE case_id = $1`, caseID); err != nil {
		t.Fatal(err)
	}
	form := fmt.Sprintf("/coordinator/introductions/%d/consent", intro)
	r = coord.Get("/coordinator/cases/" + caseID)
	if !strings.Contains(r.Body, form) {
		t.Fatalf("the case page does not link to the recorded-consent form")
	}

	company := env.Client()
	company.SignInDemo("company")
	setLang(t, company, "en")
	profile := fmt.Sprintf("/company/candidates/%d/profile", cand)
	if r := company.Get(profile); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
		t.Fatalf("full profile before consent: status %d", r.Status)
	}

	t.Run("ErrFieldsInJapanese", func(t *testing.T) {
		r := coord.PostForm(form, form, url.Values{"method": {"fax"}, "obtained_at": {"yesterday"}, "words": {""}})
		mustStatus(t, r, http.StatusUnprocessableEntity, "bad record")
		for _, id := range []string{`id="answer-error"`, `id="method-error"`, `id="obtained_at-error"`, `id="words-error"`, "日時を入力してください"} {
			if !strings.Contains(r.Body, id) {
				t.Errorf("no %s on the form", id)
			}
		}
		r = coord.PostForm(form, form, url.Values{"answer": {"consent"}, "method": {"phone"}, "words": {"はい"},
			"obtained_at": {i18n.LocalTime(time.Now().Add(72 * time.Hour)).Format("2006-01-02T15:04")}})
		mustStatus(t, r, http.StatusUnprocessableEntity, "future record")
		if !strings.Contains(r.Body, "未来の日時") {
			t.Errorf("future date not refused in Japanese")
		}
	})
	t.Run("ErrAPIFields", func(t *testing.T) {
		api := fmt.Sprintf("/api/v1/introductions/%d/recorded-consent", intro)
		for body, field := range map[string]string{
			`{"answer": "maybe", "method": "phone", "obtained_at": "2026-01-02T10:00:00Z", "words": "yes"}`:   "answer",
			`{"answer": "consent", "method": "fax", "obtained_at": "2026-01-02T10:00:00Z", "words": "yes"}`:   "method",
			`{"answer": "consent", "method": "phone", "obtained_at": "2999-01-02T10:00:00Z", "words": "yes"}`: "obtained_at",
			`{"answer": "consent", "method": "phone", "obtained_at": "2026-01-02T10:00:00Z", "words": ""}`:    "words",
		} {
			req, _ := http.NewRequest(http.MethodPost, api, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-CSRF-Token", coord.CSRF("/coordinator/cases"))
			r := coord.Do(req)
			var e struct {
				Error struct {
					Fields map[string]string `json:"fields"`
				} `json:"error"`
			}
			json.Unmarshal([]byte(r.Body), &e)
			if r.Status != http.StatusUnprocessableEntity || e.Error.Fields[field] == "" {
				t.Errorf("%s: %d %s, want 422 on %s", body, r.Status, r.Body, field)
			}
		}
		// A company may not record a consent.
		req, _ := http.NewRequest(http.MethodPost, api, strings.NewReader(`{"answer": "consent", "method": "phone", "obtained_at": "2026-01-02T10:00:00Z", "words": "yes"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", company.CSRF("/company/pipeline"))
		if r := company.Do(req); r.Status != http.StatusForbidden {
			t.Errorf("company records: %d, want 403", r.Status)
		}
	})
	t.Run("OKByPhone", func(t *testing.T) {
		r := coord.PostForm(form, form, url.Values{"answer": {"consent"}, "method": {"phone"}, "words": {"Yes, introduce me."},
			"obtained_at": {i18n.LocalTime(time.Now().Add(-time.Hour)).Format("2006-01-02T15:04")}})
		mustStatus(t, r, http.StatusSeeOther, "record consent")
		r = coord.Get("/coordinator/cases/" + caseID)
		if !strings.Contains(r.Body, "同意を記録（電話）") || !strings.Contains(r.Body, "プログラムが記録した同意：電話") {
			t.Errorf("case page lacks the recorded consent:\n%s", r.Body)
		}
	})
	t.Run("CompanySeesFullProfileFromPipeline", func(t *testing.T) {
		r := company.Get("/company/pipeline")
		mustStatus(t, r, http.StatusOK, "pipeline")
		if !strings.Contains(r.Body, `href="`+profile+`"`) || !strings.Contains(r.Body, "Consent recorded by the programme") {
			t.Fatalf("pipeline lacks the link or the notice:\n%s", r.Body)
		}
		before := auditCount(t, env, cand)
		r = company.Get(profile)
		mustStatus(t, r, http.StatusOK, "full profile")
		for _, want := range []string{"Hamid Rahimi", "hamid@example.org", "090-1234-5678"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("full profile lacks %s", want)
			}
		}
		if strings.Contains(r.Body, "/coordinator/candidates/") {
			t.Error("the company's profile page links to staff pages")
		}
		if got := auditCount(t, env, cand); got != before+1 {
			t.Errorf("audit rows after a view: %d, want %d", got, before+1)
		}
		r = company.Get("/notifications")
		if !strings.Contains(r.Body, "The programme recorded Hamid Rahimi") {
			t.Errorf("company not told")
		}
	})
}

func auditCount(t *testing.T, env *apptest.Env, cand int64) int {
	t.Helper()
	var n int
	if err := env.App.DB.GetContext(context.Background(), &n, `SELECT count(*) FROM audit_log WHERE action = 'candidate.view_full' AND subject_id = $1`, fmt.Sprint(cand)); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCandidateHomeShowsPendingConsent: the candidate's home page shows
// the introduction waiting for their answer and the unread count (12.5).
func TestCandidateHomeShowsPendingConsent(t *testing.T) {
	env := apptest.New(t, apptest.Options{Seed: true})
	cand, role := demo(t, env)
	coord := env.Client()
	coord.SignInDemo("coordinator")
	r := coord.PostForm("/coordinator/cases", "/coordinator/cases/new", url.Values{"candidate_id": {fmt.Sprint(cand)}})
	mustStatus(t, r, http.StatusSeeOther, "open case")
	caseID := caseLink.FindStringSubmatch(r.Location)[1]
	candidate := env.Client()
	candidate.SignInDemo("candidate")
	setLang(t, candidate, "en")
	if r := candidate.Get("/me"); strings.Contains(r.Body, "Waiting for your answer") {
		t.Fatal("pending consent shown before any suggestion")
	}
	r = coord.PostForm("/coordinator/cases/"+caseID+"/introductions", "/coordinator/cases/"+caseID, url.Values{"role_id": {fmt.Sprint(role)}})
	mustStatus(t, r, http.StatusSeeOther, "suggest")
	r = candidate.Get("/me")
	mustStatus(t, r, http.StatusOK, "home")
	for _, want := range []string{"Waiting for your answer", "Accounting staff", "Unread notifications: 1"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("home lacks %q", want)
		}
	}
}
