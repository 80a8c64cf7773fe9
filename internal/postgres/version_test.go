package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestVersionNamesChanges: activity recorded on a case (TouchCase, what a
// note, a follow-up or an introduction's step does) keeps its version; a
// stage move bumps it. A candidate's version moves on every save, also
// one that changes only its updated_at (its skills and history are rows
// of other tables).
func TestVersionNamesChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.NewDB(t)
	cand := &tsunagu.Candidate{Name: "Versioned", Visibility: tsunagu.VisibilityCoordinators}
	if err := db.SaveCandidate(ctx, cand); err != nil {
		t.Fatal(err)
	}
	var caseID int64
	now := time.Now().UTC()
	if err := db.InTx(ctx, func(tx *postgres.Tx) (err error) {
		caseID, err = postgres.CreateCase(ctx, tx, cand.ID, nil, now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	version := func(table string, id int64) int64 {
		t.Helper()
		var v int64
		if err := db.GetContext(ctx, &v, `SELECT version FROM `+table+` WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		return v
	}
	step := func(what string, fn func(tx *postgres.Tx) error) {
		t.Helper()
		if err := db.InTx(ctx, fn); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	v0 := version("cases", caseID)
	step("touch", func(tx *postgres.Tx) error { return postgres.TouchCase(ctx, tx, caseID, now.Add(time.Minute)) })
	if got := version("cases", caseID); got != v0 {
		t.Errorf("case version after recording activity = %d, want %d (unchanged)", got, v0)
	}
	step("move", func(tx *postgres.Tx) error {
		return postgres.SetCaseStage(ctx, tx, caseID, tsunagu.StageTraining, "", now.Add(2*time.Minute))
	})
	if got, want := version("cases", caseID), v0+1; got != want {
		t.Errorf("case version after a stage move = %d, want %d", got, want)
	}

	c0 := version("candidates", cand.ID)
	if _, err := db.ExecContext(ctx, `UPDATE candidates SET updated_at = now() WHERE id = $1`, cand.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := version("candidates", cand.ID), c0+1; got != want {
		t.Errorf("candidate version after a save of its row = %d, want %d", got, want)
	}
}
