package seed_test

import (
	"context"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestCases checks that the demo cases cover every stage and outcome, and
// that a second run changes nothing.
func TestCases(t *testing.T) {
	ctx := context.Background()
	db := dbtest.NewDB(t)
	for _, step := range []func(context.Context, *postgres.DB) error{seed.Users, seed.Profiles, seed.Cases} {
		if err := step(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	snapshot := func() map[string]int {
		m := map[string]int{}
		for _, q := range []string{
			`SELECT count(*) FROM cases`, `SELECT count(*) FROM case_events`, `SELECT count(*) FROM introductions`,
			`SELECT count(*) FROM followups`, `SELECT count(*) FROM job_outbox`,
		} {
			m[q] = count(t, db, q)
		}
		return m
	}
	first := snapshot()
	if got, want := first[`SELECT count(*) FROM cases`], seed.DemoCases; got != want {
		t.Errorf("cases: got %d, want %d", got, want)
	}
	for _, s := range tsunagu.CaseStages {
		if n := count(t, db, `SELECT count(*) FROM cases WHERE stage = '`+string(s)+`'`); n == 0 {
			t.Errorf("no case in %s", s)
		}
	}
	for _, s := range tsunagu.IntroStages {
		if n := count(t, db, `SELECT count(*) FROM introductions WHERE stage = '`+string(s)+`'`); n == 0 {
			t.Errorf("no introduction in %s", s)
		}
	}
	for _, r := range tsunagu.CloseReasons {
		if n := count(t, db, `SELECT count(*) FROM cases WHERE close_reason = '`+r+`'`); n == 0 {
			t.Errorf("no case closed as %s", r)
		}
	}
	for _, r := range tsunagu.ResidenceTracks {
		if n := count(t, db, `SELECT count(*) FROM cases WHERE residence = '`+string(r)+`'`); n == 0 {
			t.Errorf("no case with residence %s", r)
		}
	}
	for _, q := range []string{
		`SELECT count(*) FROM introductions WHERE stage = 'hired' AND uses_expertise`,
		`SELECT count(*) FROM followups WHERE completed_at IS NOT NULL AND still_employed AND month = 12`,
		`SELECT count(*) FROM followups WHERE completed_at IS NOT NULL AND NOT still_employed`,
		`SELECT count(*) FROM followups WHERE completed_at IS NULL AND due_at < now() - interval '14 days'`,
		`SELECT count(*) FROM cases WHERE stage NOT IN ('settled', 'closed') AND last_activity_at < now() - interval '30 days'`,
		`SELECT count(*) FROM introductions i JOIN company_members m ON m.company_id = i.company_id JOIN users u ON u.id = m.user_id WHERE u.email = 'company@demo.tsunagu.jp' AND i.consented_at IS NOT NULL`,
		`SELECT count(*) FROM cases c JOIN candidates cand ON cand.id = c.candidate_id JOIN users u ON u.id = cand.user_id WHERE u.email = 'candidate@demo.tsunagu.jp' AND c.stage = 'intake'`,
	} {
		if count(t, db, q) == 0 {
			t.Errorf("none: %s", q)
		}
	}
	o, err := db.CaseOutcomes(ctx, tsunagu.OutcomeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("outcomes: connected %d, hired %d (expertise %d), residence changes %d, funnel %v, median days %v, retention %+v",
		o.PeopleConnected, o.HiredTotal, o.HiredExpertise, o.ResidenceChanged, o.Funnel, o.MedianDays, o.Retention)
	for _, r := range o.Retention {
		if r.Answered == 0 {
			t.Errorf("no retention answers at %d months", r.Month)
		}
	}
	if err := seed.Cases(ctx, db); err != nil {
		t.Fatal(err)
	}
	second := snapshot()
	for q, n := range first {
		if second[q] != n {
			t.Errorf("second run changed %s: %d → %d", q, n, second[q])
		}
	}
}
