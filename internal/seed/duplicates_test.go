package seed_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/seed"
)

func TestDuplicatesSeed(t *testing.T) {
	db := dbtest.NewDB(t)
	ctx := context.Background()
	for range 2 { // idempotent
		if err := seed.Duplicates(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	a, err := db.CandidateByExternalID(ctx, seed.DuplicateFirstID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.CandidateByExternalID(ctx, seed.DuplicateSecondID)
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := db.DuplicatePairs(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 1 || pairs[0].FirstID != a.ID || pairs[0].SecondID != b.ID || fmt.Sprint(pairs[0].Reasons) != "[phone name nationality]" {
		t.Fatalf("pairs = %+v, want (%d, %d) by phone, name and nationality", pairs, a.ID, b.ID)
	}
}
