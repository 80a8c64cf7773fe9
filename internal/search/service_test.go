package search

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func mustDB(tb testing.TB) (*postgres.DB, string) {
	tb.Helper()
	u := dbtest.NewDatabaseURL(tb)
	db, err := postgres.Open(context.Background(), u)
	if err != nil {
		tb.Fatalf("open database: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, u
}

func mustService(tb testing.TB, db *postgres.DB, url, dir string) *Service {
	tb.Helper()
	s, err := NewService(db, url, dir, mustResolver(tb))
	if err != nil {
		tb.Fatalf("new service: %v", err)
	}
	return s
}

func mustSaveCandidate(tb testing.TB, db *postgres.DB, c *tsunagu.Candidate) int64 {
	tb.Helper()
	c.ID = 0
	if err := db.SaveCandidate(context.Background(), c); err != nil {
		tb.Fatalf("save candidate: %v", err)
	}
	seq, err := db.LastChangeSeq(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return seq
}

func TestServiceFollowsChangeLog(t *testing.T) {
	ctx := context.Background()
	db, url := mustDB(t)
	r := mustResolver(t)
	f := mustFixture(t, r)

	t.Run("TwoProcessesSeeASave", func(t *testing.T) {
		var svcs []*Service
		for i := 0; i < 2; i++ {
			s := mustService(t, db, url, t.TempDir())
			s.PollInterval = time.Minute // only NOTIFY can make it in time
			if err := s.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			svcs = append(svcs, s)
		}
		c := candidate(0, f.occ.Labels["en"], refs(f.skills[:3]...))
		c.ExternalID = "cand-follow"
		start := time.Now()
		seq := mustSaveCandidate(t, db, c)
		for i, s := range svcs {
			// Well under the poll interval, so only NOTIFY can deliver it;
			// how fast is the bench's figure, not this test's (a loaded CI
			// machine under -race must not make it flaky).
			wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			err := s.WaitApplied(wctx, seq)
			cancel()
			if err != nil {
				t.Fatalf("process %d: change %d not applied through NOTIFY: %v", i, seq, err)
			}
			p, err := s.Engine().Profile(KindCandidate, c.ID)
			if err != nil {
				t.Fatalf("process %d: %v", i, err)
			}
			if got, want := p.ExternalID, "cand-follow"; got != want {
				t.Errorf("process %d: external id = %q, want %q", i, got, want)
			}
			hits, err := s.SearchCandidates(ctx, f.occ.Labels["en"], Filters{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) == 0 || hits[0].CandidateID != c.ID {
				t.Errorf("process %d: search hits = %+v, want the saved candidate", i, hits)
			}
		}
		t.Logf("saved profile searchable in both processes after %v", time.Since(start))
	})

	t.Run("StoppedMidApplyConverges", func(t *testing.T) {
		dir := t.TempDir()
		s := mustService(t, db, url, dir)
		if err := s.Prepare(ctx); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		var last int64
		for i := 0; i < 3; i++ {
			c := candidate(0, f.occ.Labels["en"], refs(f.skills[i:i+2]...))
			c.ExternalID = "cand-crash-" + string(rune('a'+i))
			last = mustSaveCandidate(t, db, c)
			ids = append(ids, c.ID)
		}
		s.beforeApply = func(int) error { return os.ErrDeadlineExceeded }
		if err := s.CatchUp(ctx); err == nil {
			t.Fatal("CatchUp with a failing apply: want an error")
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s = mustService(t, db, url, dir)
		defer s.Close()
		if err := s.Prepare(ctx); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if _, err := s.Engine().Profile(KindCandidate, id); err != nil {
				t.Errorf("candidate %d after restart: %v", id, err)
			}
		}
		if got, err := s.Engine().LastSeq(); err != nil || got != last {
			t.Errorf("recorded seq = %d, %v; want %d", got, err, last)
		}
	})

	t.Run("HoleHoldsBackRecordedSeq", func(t *testing.T) {
		s := mustService(t, db, url, t.TempDir())
		defer s.Close()
		if err := s.Prepare(ctx); err != nil {
			t.Fatal(err)
		}
		c := candidate(0, f.occ.Labels["en"], refs(f.skills[:2]...))
		c.ExternalID = "cand-hole"
		mustSaveCandidate(t, db, c)
		before, _ := db.LastChangeSeq(ctx)
		// A transaction takes a sequence number and stays open while a
		// later one commits.
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		var held int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO change_log (entity, entity_id, op) VALUES ('candidate', $1, 'upsert') RETURNING seq`, c.ID).Scan(&held); err != nil {
			t.Fatal(err)
		}
		later := mustSaveCandidate(t, db, c)
		if err := s.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Engine().LastSeq(); got >= held {
			t.Errorf("recorded seq = %d past the open hole %d", got, held)
		}
		if got := s.Applied(); got != later {
			t.Errorf("applied = %d, want %d (later change applied at once)", got, later)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := s.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Engine().LastSeq(); got != later {
			t.Errorf("recorded seq = %d after the hole closed, want %d (before %d)", got, later, before)
		}
	})

	t.Run("ReindexSwaps", func(t *testing.T) {
		dir := t.TempDir()
		s := mustService(t, db, url, dir)
		defer s.Close()
		if err := s.Start(ctx); err != nil {
			t.Fatal(err)
		}
		old, _ := readCurrent(dir)
		n1, _ := s.Engine().Count()
		if err := s.Reindex(ctx); err != nil {
			t.Fatal(err)
		}
		now, _ := readCurrent(dir)
		if now == old {
			t.Fatal("CURRENT unchanged after reindex")
		}
		if _, err := os.Stat(filepath.Join(dir, old)); !os.IsNotExist(err) {
			t.Errorf("old index folder still there: %v", err)
		}
		if n2, _ := s.Engine().Count(); n2 != n1 || n2 == 0 {
			t.Errorf("documents after reindex = %d, want %d", n2, n1)
		}
		// A rebuild by another process (tsunagu reindex) is picked up.
		if _, err := Rebuild(ctx, db, mustResolver(t), dir); err != nil {
			t.Fatal(err)
		}
		if err := s.pickUpRebuilt(); err != nil {
			t.Fatal(err)
		}
		if got, _ := readCurrent(dir); got != s.current {
			t.Errorf("serving %s, CURRENT names %s", s.current, got)
		}
		if n3, _ := s.Engine().Count(); n3 != n1 {
			t.Errorf("documents after rebuild = %d, want %d", n3, n1)
		}
	})
}
