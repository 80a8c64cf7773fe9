package traininghttp_test

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
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func mustStatus(t testing.TB, r *apptest.Response, want int, what string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, want, r.Body)
	}
}

func mustContain(t testing.TB, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

// apiCall sends a JSON request as c (signed in) with its CSRF token.
func apiCall(t *testing.T, c *apptest.Client, method, path, body string) *apptest.Response {
	t.Helper()
	req, _ := http.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF("/coordinator/training"))
	return c.Do(req)
}

// setLang switches the signed-in account's language.
func setLang(t *testing.T, c *apptest.Client, lang string) {
	t.Helper()
	c.Lang = lang
	mustStatus(t, c.PostForm("/lang", "/about", url.Values{"lang": {lang}}), http.StatusSeeOther, "set language")
}

// TestEditProgrammeThroughPages walks the demo coordinator through editing
// a programme on the pages and the API: the form comes filled in; bad
// input answers per field in Japanese and English with what was typed
// kept; a capacity below a running cohort's places and archiving ask for
// confirmation, say what happens, and drop nobody; the programme page
// shows how many candidates' gaps it would close.
func TestEditProgrammeThroughPages(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	tax, err := taxonomy.Load()
	if err != nil {
		t.Fatal(err)
	}
	skill, other := tax.Skills()[0].URI, tax.Skills()[1].URI

	c := env.ClientFor(t)
	c.SignInDemo("coordinator")
	r := c.PostForm("/coordinator/training/programmes", "/coordinator/training/programmes/new", url.Values{
		"title_ja": {"ビジネス日本語"}, "title_en": {"Business Japanese"}, "kind": {"soft"}, "format": {"in_person"},
		"capacity": {"5"}, "min_attendance": {"50"}, "skills": {skill}})
	mustStatus(t, r, http.StatusSeeOther, "create programme")
	progPath := r.Location
	progID := lastID(t, progPath)
	r = c.PostForm(progPath+"/cohorts", progPath, url.Values{"name": {"May"}, "starts_on": {"2030-05-01"}, "ends_on": {"2030-05-31"},
		"place": {"Shinjuku"}, "sessions": {"2030-05-02 10:00"}})
	mustStatus(t, r, http.StatusSeeOther, "create cohort")
	cohortPath := r.Location
	for _, name := range []string{"Amina K.", "Omar B."} {
		cand := &tsunagu.Candidate{Name: name, Headline: "Bookkeeper", Visibility: tsunagu.VisibilityCoordinators}
		if err := db.SaveCandidate(ctx, cand); err != nil {
			t.Fatal(err)
		}
		mustStatus(t, c.PostForm(cohortPath+"/enrol", cohortPath, url.Values{"candidate_id": {fmt.Sprint(cand.ID)}}), http.StatusSeeOther, "enrol")
	}
	capacity := func() (programme, cohort, seated int) {
		t.Helper()
		if err := db.GetContext(ctx, &programme, `SELECT capacity FROM training_programmes WHERE id = $1`, progID); err != nil {
			t.Fatal(err)
		}
		if err := db.GetContext(ctx, &cohort, `SELECT capacity FROM training_cohorts WHERE programme_id = $1`, progID); err != nil {
			t.Fatal(err)
		}
		db.GetContext(ctx, &seated, `SELECT count(*) FROM training_enrolments e JOIN training_cohorts c ON c.id = e.cohort_id
			WHERE c.programme_id = $1 AND e.status = 'enrolled'`, progID)
		return
	}
	form := func(over map[string]string) url.Values {
		v := url.Values{"title_ja": {"ビジネス日本語"}, "title_en": {"Business Japanese"}, "kind": {"soft"}, "format": {"in_person"},
			"capacity": {"5"}, "min_attendance": {"50"}, "skills": {skill}}
		for k, x := range over {
			v.Set(k, x)
		}
		return v
	}
	editPath := progPath + "/edit"

	t.Run("FormFilledIn", func(t *testing.T) {
		p := c.Get(editPath)
		mustStatus(t, p, http.StatusOK, "edit form")
		mustContain(t, p.Body, "終了していないコース: 1 件 · 受講中: 2 人 · キャンセル待ち: 0 人", `value="Business Japanese"`, `value="ビジネス日本語"`, `value="5"`, skill+"</textarea>",
			`action="`+progPath+`"`, `<option value="soft" selected>`)
	})

	t.Run("ErrPerFieldInJapaneseAndEnglish", func(t *testing.T) {
		r := c.PostForm(progPath, editPath, form(map[string]string{"title_ja": "", "title_en": "", "capacity": "0", "skills": "", "description_en": "kept text"}))
		mustStatus(t, r, http.StatusUnprocessableEntity, "bad edit (ja)")
		mustContain(t, r.Body, "日本語か英語のタイトルを入力してください", "1 から 500 までの数を入力してください", "習得できるスキルを1つ以上指定してください", "kept text")
		setLang(t, c, "en")
		defer setLang(t, c, "ja")
		r = c.PostForm(progPath, editPath, form(map[string]string{"capacity": "abc", "skills": "http://data.europa.eu/esco/skill/no-such"}))
		mustStatus(t, r, http.StatusUnprocessableEntity, "bad edit (en)")
		mustContain(t, r.Body, "Enter a number from 1 to 500.", "is not an ESCO skill", `aria-describedby="capacity-error"`)
		var title string
		db.GetContext(ctx, &title, `SELECT title_en FROM training_programmes WHERE id = $1`, progID)
		if p, _, _ := capacity(); p != 5 || title != "Business Japanese" {
			t.Fatalf("a rejected edit saved: capacity %d title %q", p, title)
		}
	})

	t.Run("LowerCapacityAsksAndDropsNobody", func(t *testing.T) {
		setLang(t, c, "en")
		defer setLang(t, c, "ja")
		r := c.PostForm(progPath, editPath, form(map[string]string{"capacity": "1"}))
		mustStatus(t, r, http.StatusUnprocessableEntity, "lower capacity unconfirmed")
		mustContain(t, r.Body, `The cohort &#34;May&#34; already seats 2 people, more than 1. Nobody loses a place`, `name="confirm_capacity"`)
		if p, _, _ := capacity(); p != 5 {
			t.Fatalf("capacity saved unconfirmed: %d", p)
		}
		r = c.PostForm(progPath, editPath, form(map[string]string{"capacity": "1", "confirm_capacity": "1", "skills": skill + "\n" + other}))
		mustStatus(t, r, http.StatusSeeOther, "lower capacity confirmed")
		if p, co, seated := capacity(); p != 1 || co != 5 || seated != 2 {
			t.Fatalf("programme/cohort capacity, seated = %d/%d, %d; want 1/5, 2", p, co, seated)
		}
		var n int
		db.GetContext(ctx, &n, `SELECT count(*) FROM training_programme_skills WHERE programme_id = $1`, progID)
		if n != 2 {
			t.Fatalf("skills taught = %d, want 2", n)
		}
	})

	t.Run("ProgrammePageShowsGapReach", func(t *testing.T) {
		p := c.Get(progPath)
		mustStatus(t, p, http.StatusOK, "programme page")
		mustContain(t, p.Body, `id="gap-reach"`, "/edit", "/archive")
	})

	t.Run("ArchiveAsksAndKeepsPlaces", func(t *testing.T) {
		setLang(t, c, "en")
		defer setLang(t, c, "ja")
		p := c.Get(progPath + "/archive")
		mustStatus(t, p, http.StatusOK, "archive page")
		mustContain(t, p.Body, "Cohorts that have not ended: 1 · people enrolled in them: 2 · on their waiting lists: 0.", "Nobody is removed")
		r := c.PostForm(progPath+"/archive", progPath+"/archive", nil)
		mustStatus(t, r, http.StatusUnprocessableEntity, "archive unconfirmed")
		mustContain(t, r.Body, "Tick the box to confirm")
		cand := env.ClientFor(t)
		cand.SignInDemo("candidate")
		mustContain(t, cand.Get("/training").Body, `id="programme-`+progID+`"`)
		r = c.PostForm(progPath+"/archive", progPath+"/archive", url.Values{"confirm": {"1"}})
		mustStatus(t, r, http.StatusSeeOther, "archive confirmed")
		if body := cand.Get("/training").Body; strings.Contains(body, `id="programme-`+progID+`"`) {
			t.Error("an archived programme is still in the catalogue")
		}
		if _, _, seated := capacity(); seated != 2 {
			t.Fatalf("seated after archiving = %d, want 2", seated)
		}
		mustStatus(t, c.PostForm(progPath+"/restore", progPath, nil), http.StatusSeeOther, "restore")
		mustContain(t, cand.Get("/training").Body, `id="programme-`+progID+`"`)
	})

	t.Run("API", func(t *testing.T) {
		api := env.ClientFor(t)
		api.SignInDemo("coordinator")
		setLang(t, api, "en")
		base := "/api/v1/training/programmes/" + progID
		r := apiCall(t, api, http.MethodPatch, base, `{"title_en":"Business Japanese II"}`)
		mustStatus(t, r, http.StatusOK, "patch title")
		var got tsunagu.Programme
		if err := json.Unmarshal([]byte(r.Body), &got); err != nil || got.TitleEN != "Business Japanese II" || got.TitleJA != "ビジネス日本語" || len(got.Skills) != 2 {
			t.Fatalf("patched = %+v, %v", got, err)
		}
		var e struct {
			Error struct {
				Code   string            `json:"code"`
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}
		r = apiCall(t, api, http.MethodPatch, base, `{"capacity":0,"kind":"medium"}`)
		mustStatus(t, r, http.StatusUnprocessableEntity, "patch bad")
		json.Unmarshal([]byte(r.Body), &e)
		if e.Error.Fields["capacity"] == "" || e.Error.Fields["kind"] == "" {
			t.Fatalf("fields = %v", e.Error.Fields)
		}
		r = apiCall(t, api, http.MethodPatch, base, `{"active":false}`)
		mustStatus(t, r, http.StatusUnprocessableEntity, "archive unconfirmed")
		if !strings.Contains(r.Body, `"active":"Tick the box`) {
			t.Fatalf("archive unconfirmed: %s", r.Body)
		}
		r = apiCall(t, api, http.MethodPatch, base, `{"active":false,"confirm":{"archive":true}}`)
		mustStatus(t, r, http.StatusOK, "archive confirmed")
		r = apiCall(t, api, http.MethodPut, base, `{"title_en":"Only English","kind":"hard","format":"online","capacity":4,"min_attendance":0,"skills":[{"esco_uri":"`+skill+`"}]}`)
		mustStatus(t, r, http.StatusOK, "put")
		json.Unmarshal([]byte(r.Body), &got)
		if got.TitleJA != "" || got.TitleEN != "Only English" || got.Active || len(got.Skills) != 1 || got.Skills[0].Label == "" {
			t.Fatalf("put = %+v (title_ja cleared, still archived, one labelled skill wanted)", got)
		}
		if r := apiCall(t, api, http.MethodPut, "/api/v1/training/programmes/999999", `{}`); r.Status != http.StatusNotFound {
			t.Fatalf("put unknown: %d", r.Status)
		}
		cand := env.ClientFor(t)
		cand.SignInDemo("candidate")
		if r := apiCall(t, cand, http.MethodPatch, base, `{"title_en":"x"}`); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
			t.Fatalf("candidate patch: %d", r.Status)
		}
	})
}

// TestPromotionThroughPages: a coordinator withdraws someone from a full
// cohort; the demo candidate, first on the waiting list, takes the place,
// reads it on their notifications page, and the mail reaches the mail
// outbox once, relayed by the worker.
func TestPromotionThroughPages(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true, Worker: true})
	ctx := context.Background()
	db := env.App.DB
	tax, err := taxonomy.Load()
	if err != nil {
		t.Fatal(err)
	}
	candUser, err := db.UserByEmail(ctx, seed.DemoUsers[0].Email)
	if err != nil {
		t.Fatal(err)
	}
	c := env.ClientFor(t)
	c.SignInDemo("coordinator")
	r := c.PostForm("/coordinator/training/programmes", "/coordinator/training/programmes/new", url.Values{
		"title_ja": {"簿記入門"}, "title_en": {"Bookkeeping basics"}, "kind": {"hard"}, "format": {"in_person"},
		"capacity": {"1"}, "min_attendance": {"50"}, "skills": {tax.Skills()[0].URI}})
	mustStatus(t, r, http.StatusSeeOther, "create programme")
	progPath := r.Location
	r = c.PostForm(progPath+"/cohorts", progPath, url.Values{"name": {"June"}, "starts_on": {"2030-06-01"}, "ends_on": {"2030-06-30"}, "place": {"Ueno"}})
	mustStatus(t, r, http.StatusSeeOther, "create cohort")
	cohortPath := r.Location
	first := &tsunagu.Candidate{Name: "Seated One", Headline: "Clerk", Visibility: tsunagu.VisibilityCoordinators}
	own := &tsunagu.Candidate{Name: "Amina K.", UserID: &candUser.ID, Headline: "Bookkeeper", Visibility: tsunagu.VisibilityCompanies}
	for _, cand := range []*tsunagu.Candidate{first, own} {
		if err := db.SaveCandidate(ctx, cand); err != nil {
			t.Fatal(err)
		}
		mustStatus(t, c.PostForm(cohortPath+"/enrol", cohortPath, url.Values{"candidate_id": {fmt.Sprint(cand.ID)}}), http.StatusSeeOther, "enrol")
	}
	var firstEnrolment int64
	db.GetContext(ctx, &firstEnrolment, `SELECT id FROM training_enrolments WHERE candidate_id = $1`, first.ID)
	mustStatus(t, c.PostForm(fmt.Sprintf("/coordinator/training/enrolments/%d/withdraw", firstEnrolment), cohortPath, nil), http.StatusSeeOther, "withdraw")

	var status string
	db.GetContext(ctx, &status, `SELECT status FROM training_enrolments WHERE candidate_id = $1`, own.ID)
	if status != "enrolled" {
		t.Fatalf("waiting candidate is %s after the withdrawal, want enrolled", status)
	}
	cc := env.ClientFor(t)
	cc.SignInDemo("candidate")
	setLang(t, cc, "en")
	p := cc.Get("/notifications")
	mustStatus(t, p, http.StatusOK, "notifications")
	mustContain(t, p.Body, "A place has freed up: you are now enrolled in Bookkeeping basics (June, starting 2030-06-01).", `href="/training#programme-`+lastID(t, progPath)+`"`)

	// The worker relays the outbox row, mails, and marks the row done; the
	// mail lands in the mail outbox once.
	const qDone = `SELECT count(*) FROM job_outbox o JOIN notifications n ON n.id = (o.payload->>'notification_id')::bigint
		WHERE o.task_type = 'notify:mail' AND n.kind = 'training_promoted' AND o.done_at IS NOT NULL`
	const qMail = `SELECT count(*) FROM mail_outbox WHERE to_addr = $1 AND (body LIKE '%Bookkeeping basics%' OR body LIKE '%簿記入門%')`
	deadline := time.Now().Add(30 * time.Second)
	var mails, done int
	for time.Now().Before(deadline) {
		db.GetContext(ctx, &mails, qMail, candUser.Email)
		db.GetContext(ctx, &done, qDone)
		if mails > 0 && done > 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if mails != 1 || done != 1 {
		t.Fatalf("mails to the candidate about the place = %d, done outbox rows = %d; want 1 and 1", mails, done)
	}
}
