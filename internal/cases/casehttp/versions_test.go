package casehttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// checkConcurrentMove has two staff clients read the record at get (its
// ETag) and each post a different move to move with If-Match: the first
// is acknowledged, the second answers 409 (it was decided on a version
// that is gone) and the record keeps the first move's stage.
func checkConcurrentMove(t *testing.T, a, b *apptest.Client, get, move, first, second string, stage func() string, want string) {
	t.Helper()
	ra, rb := a.Get(get), b.Get(get)
	tag := ra.Header.Get("ETag")
	if ra.Status != http.StatusOK || tag == "" || rb.Header.Get("ETag") != tag {
		t.Fatalf("GET %s: status %d, ETags %q and %q", get, ra.Status, tag, rb.Header.Get("ETag"))
	}
	req := jsonPost(t, move, first, a)
	req.Header.Set("If-Match", tag)
	mustStatus(t, a.Do(req), http.StatusOK, "first move")
	req = jsonPost(t, move, second, b)
	req.Header.Set("If-Match", tag)
	r := b.Do(req)
	if got, want := r.Status, http.StatusConflict; got != want {
		t.Errorf("second move from the same version: status = %d, want %d (%s)", got, want, r.Body)
	}
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	json.Unmarshal([]byte(r.Body), &e)
	if e.Error.Code != "conflict" || e.Error.Message == "" {
		t.Errorf("conflict body = %s", r.Body)
	}
	if got := stage(); got != want {
		t.Errorf("stage = %s, want %s (the acknowledged move)", got, want)
	}
}

// TestConcurrentCaseAndIntroductionMoves: two coordinators move one case,
// and one introduction, from the same version.
func TestConcurrentCaseAndIntroductionMoves(t *testing.T) {
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	if err := seed.Profiles(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := seed.Cases(ctx, db); err != nil {
		t.Fatal(err)
	}
	a, b := env.Client(), env.Client()
	a.SignInDemo("coordinator")
	b.SignInDemo("admin")

	t.Run("Case", func(t *testing.T) {
		var candID, caseID int64
		if err := db.GetContext(ctx, &candID, `SELECT id FROM candidates c WHERE NOT EXISTS (SELECT 1 FROM cases WHERE candidate_id = c.id) ORDER BY id LIMIT 1`); err != nil {
			t.Fatal(err)
		}
		if err := db.InTx(ctx, func(tx *postgres.Tx) (err error) {
			caseID, err = postgres.CreateCase(ctx, tx, candID, nil, time.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		stage := func() string {
			var s string
			db.GetContext(ctx, &s, `SELECT stage FROM cases WHERE id = $1`, caseID)
			return s
		}
		checkConcurrentMove(t, a, b, fmt.Sprintf("/api/v1/cases/%d", caseID), fmt.Sprintf("/api/v1/cases/%d/move", caseID),
			fmt.Sprintf(`{"stage":%q}`, tsunagu.StageTraining), fmt.Sprintf(`{"stage":%q,"reason":%q}`, tsunagu.StageClosed, tsunagu.CloseWithdrawn),
			stage, string(tsunagu.StageTraining))
	})
	t.Run("Introduction", func(t *testing.T) {
		var id int64
		if err := db.GetContext(ctx, &id, `SELECT id FROM introductions WHERE stage = $1 ORDER BY id LIMIT 1`, tsunagu.IntroIntroduced); err != nil {
			t.Skipf("no introduced introduction in the demo data: %v", err)
		}
		stage := func() string {
			var s string
			db.GetContext(ctx, &s, `SELECT stage FROM introductions WHERE id = $1`, id)
			return s
		}
		checkConcurrentMove(t, a, b, fmt.Sprintf("/api/v1/introductions/%d", id), fmt.Sprintf("/api/v1/introductions/%d/move", id),
			fmt.Sprintf(`{"stage":%q}`, tsunagu.IntroInterviewing), fmt.Sprintf(`{"stage":%q}`, tsunagu.IntroWithdrawn),
			stage, string(tsunagu.IntroInterviewing))
	})
}
