package seed_test

import (
	"context"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestWorkshopSeed: the first demo speaker gave two workshops, at two
// companies, so their profile and the first company's card of them both
// have something to show on a first run.
func TestWorkshopSeed(t *testing.T) {
	db := dbtest.NewDB(t)
	ctx := context.Background()
	if err := seed.Users(ctx, db); err != nil {
		t.Fatal(err)
	}
	var first int64
	for i := range 3 {
		c := &tsunagu.Candidate{Name: "Demo " + string(rune('A'+i)), Headline: "x", Visibility: tsunagu.VisibilityCompanies}
		if err := db.SaveCandidate(ctx, c); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = c.ID
		}
	}
	for _, name := range []string{"Sakura Logistics", "Tokyo Hotel"} {
		if _, err := db.EnsureCompany(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	if err := seed.Training(ctx, db); err != nil {
		t.Fatal(err)
	}
	l, err := db.LecturerByID(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	ws := l.Workshops
	companies := map[int64]bool{}
	for _, w := range ws {
		if w.Status != tsunagu.WorkshopDelivered || w.Participants == 0 {
			t.Errorf("seeded workshop %+v not delivered", w)
		}
		companies[w.CompanyID] = true
	}
	if got, want := len(ws), 2; got != want {
		t.Fatalf("first speaker gave %d workshops, want %d", got, want)
	}
	if got, want := len(companies), 2; got != want {
		t.Errorf("at %d companies, want %d", got, want)
	}
}
