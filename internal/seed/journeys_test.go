package seed_test

import (
	"context"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/seed"
)

// TestJourneysSeed: the demo shows an account-less candidate with an
// unused invitation and a consent recorded by phone for an introduction
// to the demo company (issue 12.9); a second run adds nothing.
func TestJourneysSeed(t *testing.T) {
	ctx := context.Background()
	db := dbtest.NewDB(t)
	for _, step := range []func(context.Context, *postgres.DB) error{seed.Users, seed.Profiles, seed.Journeys, seed.Journeys} {
		if err := step(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	c, err := db.CandidateByExternalID(ctx, seed.InvitedCandidateID)
	if err != nil {
		t.Fatal(err)
	}
	if c.UserID != nil {
		t.Fatalf("the invited candidate has an account: %d", *c.UserID)
	}
	for _, tc := range []struct {
		what, q string
		want    int
	}{
		{"unused invitations", `SELECT count(*) FROM invitations WHERE kind = 'candidate' AND used_at IS NULL AND expires_at > now() AND candidate_id = $1`, 1},
		{"consents recorded by phone", `SELECT count(*) FROM recorded_consents r JOIN introductions i ON i.id = r.introduction_id WHERE i.candidate_id = $1 AND r.method = 'phone' AND r.answer = 'consent'`, 1},
		{"introductions consented to the demo company", `SELECT count(*) FROM introductions i JOIN company_members m ON m.company_id = i.company_id JOIN users u ON u.id = m.user_id
			WHERE i.candidate_id = $1 AND i.stage = 'candidate_consented' AND u.email = '` + seed.DemoUsers[1].Email + `'`, 1},
		{"company notices of the recorded consent", `SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.message_id = 'notify.company_consent_recorded' AND u.email = '` + seed.DemoUsers[1].Email + `' AND $1 > 0`, 1},
	} {
		var n int
		if err := db.GetContext(ctx, &n, tc.q, c.ID); err != nil {
			t.Fatalf("%s: %v", tc.what, err)
		}
		if n != tc.want {
			t.Errorf("%s: %d, want %d", tc.what, n, tc.want)
		}
	}
}
