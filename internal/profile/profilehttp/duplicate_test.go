package profilehttp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func TestDuplicatesOnCreateAndReview(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	stored := &tsunagu.Candidate{Name: "Farid Ahmadi", Email: "farid@example.org", Nationality: "AF", Visibility: tsunagu.VisibilityCoordinators}
	if err := db.SaveCandidate(ctx, stored); err != nil {
		t.Fatal(err)
	}
	staff := env.ClientFor(t)
	staff.Lang = "ja"
	staff.SignInDemo("coordinator")
	form := url.Values{"name": {"ファリド・アフマディ"}, "nationality": {"AF"}, "visibility": {"coordinators"}}

	t.Run("FormAsksBeforeSaving", func(t *testing.T) {
		r := staff.PostForm("/coordinator/candidates", "/coordinator/candidates/new", form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="confirm_duplicate-error"`) ||
			!strings.Contains(r.Body, fmt.Sprintf(`href="/coordinator/candidates/%d"`, stored.ID)) || !strings.Contains(r.Body, "氏名が類似") {
			t.Fatalf("status %d; want 422 naming #%d:\n%s", r.Status, stored.ID, r.Body)
		}
		if !strings.Contains(r.Body, `value="ファリド・アフマディ"`) {
			t.Errorf("the typed name is not kept")
		}
	})
	t.Run("APIConflict", func(t *testing.T) {
		coord, _ := db.UserByEmail(ctx, "coordinator@demo.tsunagu.jp")
		tok, _, err := env.App.Auth.CreateAPIToken(ctx, coord, nil, auth.TokenRequest{Name: "dup", Scope: "read_write"})
		if err != nil {
			t.Fatal(err)
		}
		post := func(q string) (int, string) {
			req, _ := http.NewRequest(http.MethodPost, env.URL+"/api/v1/candidates"+q, strings.NewReader(`{"name": "FARID  AHMADI", "email": "Farid@Example.org ", "visibility": "coordinators"}`))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/json")
			r := env.ClientFor(t).Do(req)
			return r.Status, r.Body
		}
		if status, body := post(""); status != http.StatusConflict || !strings.Contains(body, `"confirm_duplicate"`) || !strings.Contains(body, fmt.Sprintf("#%d", stored.ID)) {
			t.Fatalf("POST: %d %s; want 409 naming #%d", status, body, stored.ID)
		}
		if status, body := post("?confirm_duplicate=true"); status != http.StatusCreated {
			t.Fatalf("confirmed POST: %d %s", status, body)
		}
	})
	t.Run("ConfirmedSaveIsListedForReview", func(t *testing.T) {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("confirm_duplicate", "yes")
		r := staff.PostForm("/coordinator/candidates", "/coordinator/candidates/new", f)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("confirmed save: %d", r.Status)
		}
		r = staff.Get("/coordinator/duplicates")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "ファリド・アフマディ") || !strings.Contains(r.Body, "/coordinator/duplicates/merge?keep=") {
			t.Fatalf("review page: %d\n%s", r.Status, r.Body)
		}
	})
	t.Run("MergeNeedsConfirmation", func(t *testing.T) {
		var dup int64
		if err := db.GetContext(ctx, &dup, `SELECT id FROM candidates WHERE name = 'ファリド・アフマディ'`); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/coordinator/duplicates/merge?keep=%d&drop=%d", stored.ID, dup)
		if r := staff.Get(path); r.Status != http.StatusOK || !strings.Contains(r.Body, `name="confirm"`) {
			t.Fatalf("merge page: %d", r.Status)
		}
		ids := url.Values{"keep": {fmt.Sprint(stored.ID)}, "drop": {fmt.Sprint(dup)}}
		if r := staff.PostForm("/coordinator/duplicates/merge", path, ids); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="confirm-error"`) {
			t.Fatalf("unconfirmed merge: %d", r.Status)
		}
		if r := staff.PostForm("/coordinator/duplicates/merge", path, url.Values{"keep": {"x"}, "drop": {"1"}, "confirm": {"yes"}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad id: %d, want 422", r.Status)
		}
		ids.Set("confirm", "yes")
		if r := staff.PostForm("/coordinator/duplicates/merge", path, ids); r.Status != http.StatusSeeOther {
			t.Fatalf("merge: %d %s", r.Status, r.Body)
		}
		if _, err := db.CandidateByID(ctx, dup); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Fatalf("merged profile still there: %v", err)
		}
	})
	t.Run("ImportPreviewMarksRows", func(t *testing.T) {
		csv := "id,name,email,phone,nationality\r\n" +
			"imp-1,Someone Else,someone@example.org,,SY\r\n" +
			"imp-2,فريد احمدي,,,AF\r\n"
		r := uploadCSV(t, staff, "intake.csv", []byte(csv))
		if r.Status != http.StatusOK || !strings.Contains(r.Body, `id="likely-duplicates"`) {
			t.Fatalf("preview: %d\n%s", r.Status, r.Body)
		}
		table := r.Body[strings.Index(r.Body, `id="likely-duplicates"`):]
		if !strings.Contains(table, "imp-2") || strings.Contains(table, "imp-1") || !strings.Contains(table, fmt.Sprintf("#%d", stored.ID)) {
			t.Fatalf("likely duplicates table: %s", table)
		}
	})
	t.Run("CompanyRefused", func(t *testing.T) {
		c := env.ClientFor(t)
		c.SignInDemo("company")
		if r := c.Get("/coordinator/duplicates"); r.Status != http.StatusForbidden {
			t.Fatalf("company: %d, want 403", r.Status)
		}
	})
}
