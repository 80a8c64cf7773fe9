package importer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/importer"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestImportBatchKeepsLineErrors: candidates are saved in batches, and a
// bad line sinks no batch: lines the decoder or validation refuse are
// reported with their line numbers, and every good line of the file is
// stored, with its child rows, in one change-log row each. A line only the
// database refuses: TestImportBatchFallsBackLineByLine.
func TestImportBatchKeepsLineErrors(t *testing.T) {
	db, svc, ctx := mustService(t)
	var b strings.Builder
	want := map[int]bool{} // rejected lines
	good := 0
	for i := 1; i <= 600; i++ {
		switch {
		case i%97 == 0:
			b.WriteString(`{"id":"c-` + fmt.Sprint(i) + `", "name": `) // not JSON
			want[i] = true
		case i%89 == 0:
			fmt.Fprintf(&b, `{"id":"c-%d","headline":"Cook"}`, i) // no name
			want[i] = true
		case i == 300:
			fmt.Fprintf(&b, `{"id":"c-%d","name":"Twice","languages":[{"code":"ja","level":"N3"},{"code":"ja","level":"N2"}]}`, i)
			want[i] = true
		default:
			fmt.Fprintf(&b, `{"id":"c-%d","name":"Person %d","headline":"Cook","skills":[{"label":"cooking"},{"label":"baking","level":"advanced","years":2}],"languages":[{"code":"ja","level":"N3"}],"work_history":[{"title":"Cook","years":3}]}`, i, i)
			good++
		}
		b.WriteString("\n")
	}
	path := filepath.Join(t.TempDir(), "candidates.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum, err := importer.Import(ctx, f, importer.KindCandidates, importer.Options{Candidates: svc, Roles: svc})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	got := rejectedLines(sum)
	for line := range want {
		if _, ok := got[line]; !ok {
			t.Errorf("line %d not rejected", line)
		}
	}
	for line, reason := range got {
		if !want[line] {
			t.Errorf("line %d rejected: %s", line, reason)
		}
	}
	if sum.Created != good || sum.Rejected != len(want) {
		t.Errorf("created %d, rejected %d; want %d and %d", sum.Created, sum.Rejected, good, len(want))
	}
	if n := count(t, db, `SELECT count(*) FROM candidates`); n != good {
		t.Errorf("%d candidates stored, want %d", n, good)
	}
	if n := count(t, db, `SELECT count(*) FROM candidate_skills`); n != 2*good {
		t.Errorf("%d skills stored, want %d", n, 2*good)
	}
	if n := count(t, db, `SELECT count(DISTINCT entity_id) FROM change_log WHERE entity = 'candidate'`); n != good {
		t.Errorf("change log names %d candidates, want %d", n, good)
	}
	c, err := db.CandidateByExternalID(ctx, "c-301")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Skills) != 2 || c.Skills[1].Label != "baking" || c.Skills[1].Years != 2 || len(c.Languages) != 1 || len(c.WorkHistory) != 1 {
		t.Errorf("c-301 stored as %+v", c)
	}
}

// conflictStore is the real store refusing to save one external id, as a
// unique key would (ECONFLICT), alone or in a batch.
type conflictStore struct {
	*postgres.DB
	refuse  string
	batches int
}

func (s *conflictStore) SaveCandidate(ctx context.Context, c *tsunagu.Candidate) error {
	if c.ExternalID == s.refuse {
		return &tsunagu.Error{Code: tsunagu.ECONFLICT, Message: "error.conflict"}
	}
	return s.DB.SaveCandidate(ctx, c)
}

func (s *conflictStore) SaveCandidates(ctx context.Context, cs []*tsunagu.Candidate) error {
	s.batches++
	for _, c := range cs {
		if c.ExternalID == s.refuse {
			return &tsunagu.Error{Code: tsunagu.ECONFLICT, Message: "error.conflict"}
		}
	}
	return s.DB.SaveCandidates(ctx, cs)
}

// TestImportBatchFallsBackLineByLine: when the database refuses one line
// of a batch, the batch is saved again a line at a time: that line alone
// is rejected, with its line number, and the rest of its batch is stored.
func TestImportBatchFallsBackLineByLine(t *testing.T) {
	db := dbtest.NewDB(t)
	st := &conflictStore{DB: db, refuse: "c-7"}
	svc := profile.New(st, profile.WithVocabulary(vocab{}), profile.WithResolver(noResolver{}))
	ctx := tsunagu.NewContextWithUser(context.Background(), &tsunagu.User{Role: tsunagu.RoleAdmin})
	var b strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, `{"id":"c-%d","name":"Person %d","skills":[{"label":"cooking"}]}`+"\n", i, i)
	}
	sum, err := importer.Import(ctx, strings.NewReader(b.String()), importer.KindCandidates, importer.Options{Candidates: svc, Workers: 1})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if st.batches == 0 {
		t.Fatal("no batch was saved")
	}
	if got := rejectedLines(sum); len(got) != 1 || got[7] == "" {
		t.Errorf("rejected %v, want line 7 alone", got)
	}
	if sum.Created != 39 {
		t.Errorf("created %d, want 39", sum.Created)
	}
	if n := count(t, db, `SELECT count(*) FROM candidates`); n != 39 {
		t.Errorf("%d candidates stored, want 39", n)
	}
	if n := count(t, db, `SELECT count(*) FROM candidate_skills`); n != 39 {
		t.Errorf("%d skills stored, want 39", n)
	}
}
