package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// failingSource gives one page, then fails.
type failingSource struct{ Records }

func (f failingSource) Scan(ctx context.Context, page func([]*tsunagu.Candidate, []*tsunagu.JobRole) error) (int64, error) {
	if err := page(f.Candidates, nil); err != nil {
		return 0, err
	}
	return 0, errors.New("connection lost")
}

func TestBuildIndex(t *testing.T) {
	ctx := context.Background()
	r := mustResolver(t)
	f := mustFixture(t, r)
	// Small pages and batches, so the build spans several pages and merges
	// several segments.
	page, batch := buildPage, buildBatch
	buildPage, buildBatch = 7, 10
	t.Cleanup(func() { buildPage, buildBatch = page, batch })

	var cands []*tsunagu.Candidate
	for i := 0; i < 40; i++ {
		n := 1 + i%len(f.skills)
		c := candidate(int64(i+1), f.occ.Labels["en"], refs(f.skills[:n]...))
		if i%3 == 0 {
			c.Headline, c.WorkHistory[0].Title = "Sr. "+f.occ.Labels["en"], "assistant"
		}
		if i%5 == 0 {
			c.Skills = append(c.Skills, tsunagu.SkillRef{Label: fmt.Sprintf("unlisted craft %d", i)})
		}
		if i%7 == 0 {
			c.Languages = nil
		}
		cands = append(cands, c)
	}
	roles := []*tsunagu.JobRole{
		role(1, f.occ.Labels["en"], refs(f.skills[:4]...), refs(f.skills[4:6]...)),
		role(2, "assistant", refs(f.skills[2:3]...), nil),
	}
	applied := mustEngine(t, cands, roles)

	t.Run("SameAsApplied", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "idx")
		b, err := buildIndex(ctx, r, path, Records{Candidates: cands, Roles: roles, Seq: 42}, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.cands) != len(cands) || len(b.roles) != len(roles) {
			t.Errorf("warm cache holds %d candidates and %d roles, want %d and %d", len(b.cands), len(b.roles), len(cands), len(roles))
		}
		seq := b.seq
		built := newEngine(r, b.idx)
		built.cands, built.roles = b.cands, b.roles
		defer built.Close()
		if seq != 42 {
			t.Errorf("seq = %d, want 42", seq)
		}
		if got, _ := built.LastSeq(); got != 42 {
			t.Errorf("recorded seq = %d, want 42", got)
		}
		if got, want := mustCount(t, built), mustCount(t, applied); got != want || got != uint64(len(cands)+len(roles)) {
			t.Errorf("documents = %d, want %d", got, want)
		}
		if _, err := os.Stat(path + ".build"); !os.IsNotExist(err) {
			t.Errorf("build folder left behind: %v", err)
		}
		for _, ro := range roles {
			for _, near := range []bool{false, true} {
				want, err := applied.CandidatesForRole(ctx, ro.ID, Options{IncludeNear: near, Limit: 50})
				if err != nil {
					t.Fatal(err)
				}
				got, err := built.CandidatesForRole(ctx, ro.ID, Options{IncludeNear: near, Limit: 50})
				if err != nil {
					t.Fatal(err)
				}
				if len(want) == 0 {
					t.Fatalf("role %d: no matches to compare", ro.ID)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("role %d (near %v): built index ranks\n%v\nwant\n%v", ro.ID, near, ids(got), ids(want))
				}
			}
		}
		for _, q := range []string{f.occ.Labels["en"], f.skills[0].Labels["en"], "unlisted craft"} {
			want, err := applied.SearchCandidates(ctx, q, Filters{}, Options{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			got, err := built.SearchCandidates(ctx, q, Filters{}, Options{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			// Bleve orders equal scores by internal document number,
			// which differs between the two indexes, and sums a score's
			// parts in segment order, so the two may differ in the last
			// bit (0.14498188765468098 and 0.144981887654681): compare
			// scores to nine decimals.
			for _, hs := range [][]Hit{got, want} {
				for i := range hs {
					hs[i].Score = math.Round(hs[i].Score*1e9) / 1e9
				}
				sort.Slice(hs, func(i, j int) bool {
					if hs[i].Score != hs[j].Score {
						return hs[i].Score > hs[j].Score
					}
					return hs[i].CandidateID < hs[j].CandidateID
				})
			}
			if len(want) == 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("search %q: built index finds %v, want %v", q, got, want)
			}
		}
	})

	t.Run("Empty", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "idx")
		b, err := buildIndex(ctx, r, path, Records{Seq: 7}, true)
		if err != nil {
			t.Fatal(err)
		}
		e := newEngine(r, b.idx)
		defer e.Close()
		if got := mustCount(t, e); got != 0 {
			t.Errorf("documents = %d, want 0", got)
		}
		if got, _ := e.LastSeq(); got != 7 {
			t.Errorf("recorded seq = %d, want 7", got)
		}
	})

	t.Run("ErrScanLeavesNothing", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "idx")
		_, err := buildIndex(ctx, r, path, failingSource{Records{Candidates: cands}}, true)
		if err == nil {
			t.Fatal("build from a failing source succeeded")
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("left behind after a failed build: %v", left)
		}
	})
}

func mustCount(tb testing.TB, e *Engine) uint64 {
	tb.Helper()
	n, err := e.Count()
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestDBSourcePages(t *testing.T) {
	ctx := context.Background()
	db, _ := mustDB(t)
	f := mustFixture(t, mustResolver(t))
	var want []int64
	for i := 0; i < 5; i++ {
		c := candidate(0, f.occ.Labels["en"], refs(f.skills[:2]...))
		c.ExternalID = fmt.Sprintf("cand-page-%d", i)
		mustSaveCandidate(t, db, c)
		want = append(want, c.ID)
	}
	last, err := db.LastChangeSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	page := buildPage
	buildPage = 2
	t.Cleanup(func() { buildPage = page })
	var got []int64
	pages := 0
	seq, err := DBSource(db).Scan(ctx, func(cs []*tsunagu.Candidate, rs []*tsunagu.JobRole) error {
		pages++
		for _, c := range cs {
			got = append(got, c.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || pages != 3 || seq != last {
		t.Errorf("scan gave %v in %d pages at seq %d, want %v in 3 at %d", got, pages, seq, want, last)
	}

	t.Run("ErrPageStopsScan", func(t *testing.T) {
		n := 0
		_, err := DBSource(db).Scan(ctx, func([]*tsunagu.Candidate, []*tsunagu.JobRole) error {
			n++
			return errors.New("disk full")
		})
		if err == nil || n != 1 {
			t.Errorf("scan after a failing page: err %v, %d pages", err, n)
		}
	})
}
