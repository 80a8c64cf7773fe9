package search

import (
	"context"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// mustRollBackChanges takes n change-log sequence numbers in transactions
// that roll back: n holes in a row, as a PostgreSQL crash leaves them.
func mustRollBackChanges(tb testing.TB, db *postgres.DB, n int) {
	tb.Helper()
	ctx := context.Background()
	for range n {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO change_log (entity, entity_id, op) VALUES ('candidate', 0, 'delete')`); err != nil {
			tb.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			tb.Fatal(err)
		}
	}
}

// waitFor polls cond until it holds or d passes; it returns how long it
// took and whether it held.
func waitFor(d time.Duration, cond func() bool) (time.Duration, bool) {
	start := time.Now()
	for time.Since(start) < d {
		if cond() {
			return time.Since(start), true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start), cond()
}

func mustStartFollower(tb testing.TB, db *postgres.DB, url string, gap time.Duration) *Service {
	tb.Helper()
	s := mustService(tb, db, url, tb.TempDir())
	s.PollInterval = 50 * time.Millisecond
	s.GapTimeout = gap
	if err := s.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestFollowerAfterHoles(t *testing.T) {
	ctx := context.Background()
	db, url := mustDB(t)
	r := mustResolver(t)
	f := mustFixture(t, r)

	t.Run("ManyHolesWaitedForTogether", func(t *testing.T) {
		const holes, gap = 10, time.Second
		s := mustStartFollower(t, db, url, gap)
		mustRollBackChanges(t, db, holes)
		c := candidate(0, f.occ.Labels["en"], refs(f.skills[:2]...))
		c.ExternalID = "cand-after-holes"
		last := mustSaveCandidate(t, db, c)
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := s.WaitApplied(wctx, last); err != nil {
			t.Fatalf("change %d after %d holes not applied: %v", last, holes, err)
		}
		// One hole's timeout for all of them, not one after the other
		// (that took holes × gap).
		took, ok := waitFor(4*gap, func() bool { got, _ := s.Engine().LastSeq(); return got == last })
		got, _ := s.Engine().LastSeq()
		if !ok {
			t.Fatalf("recorded seq = %d after %v, want %d (%d holes, gap timeout %v)", got, took, last, holes, gap)
		}
		t.Logf("%d holes: recorded seq reached %d after %v (gap timeout %v)", holes, last, took, gap)
	})

	t.Run("MoreThanAPageAfterAHole", func(t *testing.T) {
		// The holes outlive the test: only reading past the applied rows
		// (not past the recorded sequence) reaches the last change.
		s := mustStartFollower(t, db, url, time.Hour)
		seed := candidate(0, f.occ.Labels["en"], refs(f.skills[:2]...))
		seed.ExternalID = "cand-page-seed"
		mustSaveCandidate(t, db, seed)
		mustRollBackChanges(t, db, 4)
		if _, err := db.ExecContext(ctx, `INSERT INTO change_log (entity, entity_id, op) SELECT 'candidate', $1, 'upsert' FROM generate_series(1, 2100)`, seed.ID); err != nil {
			t.Fatal(err)
		}
		c := candidate(0, f.occ.Labels["en"], refs(f.skills[1:4]...))
		c.ExternalID = "cand-past-page"
		start := time.Now()
		last := mustSaveCandidate(t, db, c)
		wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		if err := s.WaitApplied(wctx, last); err != nil {
			t.Fatalf("change %d, 2,101 rows past 4 holes, not applied (applied %d): %v", last, s.Applied(), err)
		}
		p, err := s.Engine().Profile(KindCandidate, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := p.ExternalID, "cand-past-page"; got != want {
			t.Errorf("external id = %q, want %q", got, want)
		}
		// The match cache is keyed by Applied: it moves on too.
		if got := s.Applied(); got != last {
			t.Errorf("applied = %d, want %d", got, last)
		}
		if got, _ := s.Engine().LastSeq(); got >= last {
			t.Errorf("recorded seq = %d, past the open holes before %d", got, last)
		}
		t.Logf("last of 2,102 changes past 4 holes searchable after %v", time.Since(start))
	})
}

// mustHoldChange opens a transaction that renames candidate id and writes
// its change-log row, and leaves it open; commit or roll back the result.
func mustHoldChange(tb testing.TB, db *postgres.DB, id int64, externalID string) (commit func(), seq int64) {
	tb.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { tx.Rollback() })
	if _, err := tx.ExecContext(ctx, `UPDATE candidates SET external_id = $2 WHERE id = $1`, id, externalID); err != nil {
		tb.Fatal(err)
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO change_log (entity, entity_id, op) VALUES ('candidate', $1, 'upsert') RETURNING seq`, id).Scan(&seq); err != nil {
		tb.Fatal(err)
	}
	return func() {
		tb.Helper()
		if err := tx.Commit(); err != nil {
			tb.Fatal(err)
		}
	}, seq
}

func TestReindexKeepsOpenTransaction(t *testing.T) {
	ctx := context.Background()
	db, url := mustDB(t)
	r := mustResolver(t)
	f := mustFixture(t, r)

	check := func(t *testing.T, s *Service, id int64, want string) {
		t.Helper()
		p, err := s.Engine().Profile(KindCandidate, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.ExternalID; got != want {
			t.Errorf("external id = %q, want %q (the save committed after the rebuild's snapshot)", got, want)
		}
	}
	// setUp saves a candidate, holds a later save of it open, and commits
	// another change after it, so the rebuild's mark passes the open one.
	setUp := func(t *testing.T, name string) (c *tsunagu.Candidate, commit func(), later int64) {
		c = candidate(0, f.occ.Labels["en"], refs(f.skills[:2]...))
		c.ExternalID = name + "-before"
		mustSaveCandidate(t, db, c)
		commit, held := mustHoldChange(t, db, c.ID, name+"-after")
		other := candidate(0, f.occ.Labels["en"], refs(f.skills[2:4]...))
		other.ExternalID = name + "-other"
		later = mustSaveCandidate(t, db, other)
		if later <= held {
			t.Fatalf("later change %d not after the held one %d", later, held)
		}
		return c, commit, later
	}

	t.Run("InProcess", func(t *testing.T) {
		s := mustService(t, db, url, t.TempDir())
		defer s.Close()
		s.GapTimeout = time.Minute
		if err := s.Prepare(ctx); err != nil {
			t.Fatal(err)
		}
		c, commit, later := setUp(t, "cand-reindex")
		if err := s.Reindex(ctx); err != nil {
			t.Fatal(err)
		}
		commit()
		if err := s.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		check(t, s, c.ID, "cand-reindex-after")
		if got, _ := s.Engine().LastSeq(); got < later {
			t.Errorf("recorded seq = %d once the held change committed, want at least %d", got, later)
		}
	})

	t.Run("RebuiltByAnotherProcess", func(t *testing.T) {
		dir := t.TempDir()
		s := mustService(t, db, url, dir)
		defer s.Close()
		s.GapTimeout = time.Minute
		if err := s.Prepare(ctx); err != nil {
			t.Fatal(err)
		}
		c, commit, _ := setUp(t, "cand-rebuild")
		if _, err := Rebuild(ctx, db, r, dir); err != nil {
			t.Fatal(err)
		}
		if err := s.pickUpRebuilt(); err != nil {
			t.Fatal(err)
		}
		commit()
		if err := s.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		check(t, s, c.ID, "cand-rebuild-after")
	})
}
