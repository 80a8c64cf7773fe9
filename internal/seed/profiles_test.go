package seed_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func count(tb testing.TB, db *postgres.DB, q string) int {
	tb.Helper()
	var n int
	if err := db.Get(&n, q); err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestProfiles(t *testing.T) {
	ctx := context.Background()
	db := dbtest.NewDB(t)
	if err := seed.Users(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := seed.Profiles(ctx, db); err != nil {
		t.Fatalf("seed: %v", err)
	}
	for _, c := range []struct {
		q    string
		want int
	}{
		{`SELECT count(*) FROM candidates`, seed.DemoCandidates},
		{`SELECT count(*) FROM roles`, seed.DemoRoles},
		{`SELECT count(*) FROM companies`, 15},
		{`SELECT count(DISTINCT visibility) FROM candidates`, 3},
		{`SELECT count(*) FROM candidates c JOIN users u ON u.id = c.user_id WHERE u.email = 'candidate@demo.tsunagu.jp'`, 1},
		{`SELECT count(*) FROM company_members m JOIN users u ON u.id = m.user_id WHERE u.email = 'company@demo.tsunagu.jp'`, 1},
		{`SELECT count(*) FROM candidate_skills WHERE esco_uri = ''`, count(t, db, `SELECT count(*) FROM candidate_skills WHERE esco_uri = '' AND label IN ('Microsoft Office', 'community interpreting', 'first aid', 'driving licence (home country)', 'Quran recitation teaching', 'traditional embroidery')`)},
	} {
		if got := count(t, db, c.q); got != c.want {
			t.Errorf("%s = %d, want %d", c.q, got, c.want)
		}
	}
	if got := count(t, db, `SELECT count(DISTINCT nationality) FROM candidates`); got < 12 {
		t.Errorf("nationalities = %d, want at least 12", got)
	}
	if got := count(t, db, `SELECT count(*) FROM candidates WHERE summary ~ '[ぁ-ん]'`); got < 30 {
		t.Errorf("Japanese summaries = %d, want at least 30", got)
	}
	first, err := db.CandidateByExternalID(ctx, "demo-cand-001")
	if err != nil {
		t.Fatal(err)
	}
	if first.Name != "Amina K." || first.Nationality != "AF" || first.Visibility != tsunagu.VisibilityCompanies {
		t.Errorf("first candidate = %s %s %s", first.Name, first.Nationality, first.Visibility)
	}

	logRows := count(t, db, `SELECT count(*) FROM change_log`)
	if err := seed.Profiles(ctx, db); err != nil {
		t.Fatalf("second seed: %v", err)
	}
	if got := count(t, db, `SELECT count(*) FROM change_log`); got != logRows {
		t.Errorf("second seed wrote %d change_log rows, want none", got-logRows)
	}
	if got := count(t, db, `SELECT count(*) FROM candidates`); got != seed.DemoCandidates {
		t.Errorf("candidates after second seed = %d", got)
	}

	// Deterministic: another database gets the same people.
	db2 := dbtest.NewDB(t)
	if err := seed.Profiles(ctx, db2); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"demo-cand-001", "demo-cand-117", "demo-cand-200"} {
		a, _ := db.CandidateByExternalID(ctx, ext)
		b, _ := db2.CandidateByExternalID(ctx, ext)
		a.ID, b.ID, a.UserID, b.UserID = 0, 0, nil, nil
		a.CreatedAt, a.UpdatedAt = b.CreatedAt, b.UpdatedAt
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differs between databases", ext)
		}
	}
}
