package seed_test

import (
	"context"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func TestTrainingSeed(t *testing.T) {
	db := dbtest.NewDB(t)
	ctx := context.Background()
	if err := seed.Users(ctx, db); err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		c := &tsunagu.Candidate{Name: "Demo " + string(rune('A'+i)), Headline: "x", Visibility: tsunagu.VisibilityCompanies}
		if err := db.SaveCandidate(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.EnsureCompany(ctx, "Sakura Logistics"); err != nil {
		t.Fatal(err)
	}
	for range 2 { // idempotent
		if err := seed.Training(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	var n struct {
		Programmes int `db:"p"`
		Completed  int `db:"c"`
		Waiting    int `db:"w"`
		Delivered  int `db:"d"`
		Workshops  int `db:"ws"`
	}
	err := db.GetContext(ctx, &n, `SELECT (SELECT count(*) FROM training_programmes) AS p,
		(SELECT count(*) FROM training_enrolments WHERE status = 'completed') AS c,
		(SELECT count(*) FROM training_enrolments WHERE status = 'waitlisted') AS w,
		(SELECT count(*) FROM workshops WHERE status = 'delivered') AS d,
		(SELECT count(*) FROM workshops) AS ws`)
	if err != nil {
		t.Fatal(err)
	}
	if n.Programmes != 3 || n.Completed != 1 || n.Waiting != 2 || n.Delivered != 1 || n.Workshops != 2 {
		t.Fatalf("seeded %+v", n)
	}
}
