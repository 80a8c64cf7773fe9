package profile_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func TestFindDuplicates(t *testing.T) {
	f := mustFixture(t)
	stored := mustCandidate(t, f, &tsunagu.Candidate{Name: "Amina Karimi", Email: "Amina.K@example.org", Phone: "090-1234-5678",
		Nationality: "AF", Visibility: tsunagu.VisibilityCoordinators})
	mustCandidate(t, f, &tsunagu.Candidate{Name: "Olena Kovalenko", Nationality: "UA", Visibility: tsunagu.VisibilityCoordinators})
	for _, tc := range []struct {
		name string
		c    tsunagu.Candidate
		want []string // reasons; nil: no duplicate
	}{
		{"OKSameEmailOtherCase", tsunagu.Candidate{Name: "A. K.", Email: " amina.k@EXAMPLE.org"}, []string{"email"}},
		{"OKSamePhoneInternational", tsunagu.Candidate{Name: "Someone", Phone: "+81 90 1234 5678"}, []string{"phone"}},
		{"OKSamePhoneNoSeparators", tsunagu.Candidate{Name: "Someone", Phone: "09012345678"}, []string{"phone"}},
		{"OKKatakanaName", tsunagu.Candidate{Name: "アミナ・カリミ", Nationality: "AF"}, []string{"name", "nationality"}},
		{"OKArabicName", tsunagu.Candidate{Name: "أمينة كريمي", Nationality: "AF"}, []string{"name", "nationality"}},
		{"OKReversedNoNationality", tsunagu.Candidate{Name: "KARIMI  Amina"}, []string{"name"}},
		{"OKCyrillicName", tsunagu.Candidate{Name: "Олена Коваленко", Nationality: "UA"}, []string{"name", "nationality"}},
		{"NoneOtherNationality", tsunagu.Candidate{Name: "Amina Karimi", Nationality: "SY"}, nil},
		{"NoneOtherName", tsunagu.Candidate{Name: "Amira Kassem", Nationality: "AF"}, nil},
		{"NoneOtherPhone", tsunagu.Candidate{Name: "Someone", Phone: "090-1234-5679"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.svc.FindDuplicates(as(f.coordinator), &tc.c)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				if len(got) != 0 {
					t.Fatalf("duplicates = %+v, want none", got)
				}
				return
			}
			if len(got) != 1 || fmt.Sprint(got[0].Reasons) != fmt.Sprint(tc.want) {
				t.Fatalf("duplicates = %+v, want one with %v", got, tc.want)
			}
			if tc.name != "OKCyrillicName" && got[0].ID != stored.ID {
				t.Fatalf("found %d, want %d", got[0].ID, stored.ID)
			}
		})
	}
	t.Run("ErrCandidateCannotLook", func(t *testing.T) {
		if _, err := f.svc.FindDuplicates(as(f.owner), &tsunagu.Candidate{Name: "Amina Karimi"}); tsunagu.ErrorCode(err) != tsunagu.EFORBIDDEN {
			t.Fatalf("err = %v, want EFORBIDDEN", err)
		}
	})
	t.Run("ScanRecordsPairs", func(t *testing.T) {
		dup := mustCandidate(t, f, &tsunagu.Candidate{Name: "カリミ アミナ", Nationality: "AF", Visibility: tsunagu.VisibilityCoordinators})
		if _, err := f.db.ExecContext(context.Background(), `DELETE FROM candidate_duplicate_pairs`); err != nil {
			t.Fatal(err)
		}
		n, err := f.svc.ScanDuplicates(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pairs, err := f.svc.DuplicatePairs(as(f.coordinator))
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 || len(pairs) != 1 || pairs[0].FirstID != stored.ID || pairs[0].SecondID != dup.ID {
			t.Fatalf("scan found %d, pairs %+v; want the pair (%d, %d)", n, pairs, stored.ID, dup.ID)
		}
		// The list names both people: one audit row holds their ids.
		var logged []byte
		if err := f.db.GetContext(context.Background(), &logged, `SELECT detail FROM audit_log WHERE action = 'candidate.duplicates' ORDER BY id DESC LIMIT 1`); err != nil {
			t.Fatalf("the list of pairs was not audited: %v", err)
		}
		if want := fmt.Sprintf(`"ids": [%d, %d]`, stored.ID, dup.ID); !strings.Contains(string(logged), want) {
			t.Errorf("audit detail %s, want %s", logged, want)
		}
	})
}

// TestMergeLosesNothing merges two profiles of one person that each have
// records in every table with a candidate_id column, and counts: every row
// that referred to either refers to the kept one afterwards, or (where a
// table allows one row per candidate) is kept in the merge's audit row.
func TestMergeLosesNothing(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	keep := fullCandidate(f.owner, tsunagu.VisibilityCompanies)
	mustCandidate(t, f, keep)
	drop := &tsunagu.Candidate{Name: "アミナ・カリミ", ExternalID: "dup-1", Phone: "09012345678", Headline: "経理",
		Skills:     []tsunagu.SkillRef{{Label: "bookkeeping"}, {Label: "payroll"}},
		Languages:  []tsunagu.LanguageSkill{{Code: "ar", Level: "C1"}, {Code: "ja", Level: "N2"}},
		Visibility: tsunagu.VisibilityCoordinators}
	mustCandidate(t, f, drop)
	exec := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := f.db.GetContext(ctx, &id, q+" RETURNING 1", args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	id := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := f.db.GetContext(ctx, &id, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	role := id(`INSERT INTO roles (company_id, title, workplace) VALUES ($1, 'Bookkeeper', 'onsite') RETURNING id`, f.company.ID)
	role2 := id(`INSERT INTO roles (company_id, title, workplace) VALUES ($1, 'Payroll', 'onsite') RETURNING id`, f.company.ID)
	for _, c := range []*tsunagu.Candidate{keep, drop} {
		caseID := id(`INSERT INTO cases (candidate_id) VALUES ($1) RETURNING id`, c.ID)
		exec(`INSERT INTO case_events (case_id, kind, note) VALUES ($1, 'note', 'called')`, caseID)
		intro := id(`INSERT INTO introductions (case_id, candidate_id, role_id, company_id) VALUES ($1, $2, $3, $4) RETURNING id`, caseID, c.ID, role, f.company.ID)
		exec(`INSERT INTO case_events (case_id, kind, introduction_id) VALUES ($1, 'introduction', $2)`, caseID, intro)
		exec(`INSERT INTO audit_log (actor_id, action, subject_type, subject_id) VALUES ($1, 'candidate.view_full', 'candidate', $2)`, f.coordinator.ID, fmt.Sprint(c.ID))
	}
	dropCase := id(`SELECT id FROM cases WHERE candidate_id = $1`, drop.ID)
	exec(`INSERT INTO introductions (case_id, candidate_id, role_id, company_id) VALUES ($1, $2, $3, $4)`, dropCase, drop.ID, role2, f.company.ID)
	prog := id(`INSERT INTO training_programmes (title_en, kind, format, capacity) VALUES ('Bookkeeping in Japan', 'hard', 'online', 20) RETURNING id`)
	cohort := id(`INSERT INTO training_cohorts (programme_id, name, starts_on, ends_on, capacity) VALUES ($1, 'Spring', '2026-04-01', '2026-06-30', 20) RETURNING id`, prog)
	exec(`INSERT INTO training_enrolments (cohort_id, candidate_id, status) VALUES ($1, $2, 'enrolled')`, cohort, drop.ID)
	exec(`INSERT INTO training_job_ready (candidate_id) VALUES ($1)`, drop.ID)
	ws := id(`INSERT INTO workshops (company_id, topic, audience, language) VALUES ($1, 'Afghanistan today', 20, 'en') RETURNING id`, f.company.ID)
	exec(`INSERT INTO workshop_lecturers (workshop_id, candidate_id) VALUES ($1, $2)`, ws, drop.ID)

	var tables []string
	if err := f.db.SelectContext(ctx, &tables, `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'candidate_id' ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	count := func(table string, ids ...int64) int {
		var n int
		if err := f.db.GetContext(ctx, &n, fmt.Sprintf(`SELECT count(*) FROM %s WHERE candidate_id = ANY($1)`, pq.QuoteIdentifier(table)), pq.Array(ids)); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = count(tb, keep.ID, drop.ID)
	}
	caseTables := []string{"case_events", "introductions"}
	beforeCase := map[string]int64{}
	for _, tb := range caseTables {
		beforeCase[tb] = id(fmt.Sprintf(`SELECT count(*) FROM %s WHERE case_id IN (SELECT id FROM cases WHERE candidate_id = ANY($1))`, tb), pq.Array([]int64{keep.ID, drop.ID}))
	}

	if err := f.svc.MergeCandidates(as(f.owner), keep.ID, drop.ID); tsunagu.ErrorCode(err) != tsunagu.EFORBIDDEN {
		t.Fatalf("a candidate merged: %v", err)
	}
	if err := f.svc.MergeCandidates(as(f.coordinator), keep.ID, drop.ID); err != nil {
		t.Fatalf("merge: %v", err)
	}

	var detail struct {
		Merged int64                        `json:"merged"`
		Kept   map[string][]json.RawMessage `json:"kept"`
	}
	var raw []byte
	if err := f.db.GetContext(ctx, &raw, `SELECT detail FROM audit_log WHERE action = 'candidate.merged' AND subject_id = $1 AND actor_id = $2`, fmt.Sprint(keep.ID), f.coordinator.ID); err != nil {
		t.Fatalf("merge audit row: %v", err)
	}
	if err := json.Unmarshal(raw, &detail); err != nil || detail.Merged != drop.ID {
		t.Fatalf("merge audit detail %s: %v", raw, err)
	}
	for _, tb := range tables {
		after := count(tb, keep.ID)
		if gone := count(tb, drop.ID); gone != 0 {
			t.Errorf("%s: %d rows still refer to the merged profile", tb, gone)
		}
		if got, want := after+len(detail.Kept[tb]), before[tb]; got != want {
			t.Errorf("%s: %d rows on the kept profile + %d kept in the audit, want %d", tb, after, len(detail.Kept[tb]), want)
		}
	}
	for _, tb := range caseTables {
		if got, want := id(fmt.Sprintf(`SELECT count(*) FROM %s WHERE case_id IN (SELECT id FROM cases WHERE candidate_id = $1)`, tb), keep.ID)+int64(len(detail.Kept[tb])), beforeCase[tb]; got != want {
			t.Errorf("%s on the kept case (+ kept in the audit): %d, want %d", tb, got, want)
		}
	}
	if got := len(detail.Kept["cases"]); got != 1 {
		t.Errorf("the merged profile's case is not kept in the audit: %d", got)
	}
	if got := len(detail.Kept["introductions"]); got != 1 {
		t.Errorf("the clashing introduction is not kept in the audit: %d", got)
	}
	if n := id(`SELECT count(*) FROM audit_log WHERE action = 'candidate.view_full' AND subject_id = $1`, fmt.Sprint(keep.ID)); n != 2 {
		t.Errorf("view history on the kept profile: %d, want 2", n)
	}
	got, err := f.db.CandidateByID(ctx, keep.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Skills) != len(keep.Skills)+2 || len(got.Languages) != len(keep.Languages)+1 {
		t.Errorf("kept profile has %d skills, %d languages; want %d, %d", len(got.Skills), len(got.Languages), len(keep.Skills)+2, len(keep.Languages)+1)
	}
	if _, err := f.db.CandidateByID(ctx, drop.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		t.Errorf("merged profile still there: %v", err)
	}
	if n := id(`SELECT count(*) FROM change_log WHERE entity = 'candidate' AND entity_id = $1 AND op = 'delete'`, drop.ID); n != 1 {
		t.Errorf("change_log delete for the merged profile: %d", n)
	}
}

// TestDuplicateKeysFollowEdits: the keys a candidate is found by follow
// its name and contacts as they change (a trigger marks them stale), and
// candidates written outside the service (SQL, as a migration or seed
// might) are keyed before the next look-up.
func TestDuplicateKeysFollowEdits(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	c := mustCandidate(t, f, &tsunagu.Candidate{Name: "Zainab Haddad", Email: "z.haddad@example.org", Nationality: "SY", Visibility: tsunagu.VisibilityCoordinators})
	find := func(q tsunagu.Candidate) []int64 {
		t.Helper()
		got, err := f.svc.FindDuplicates(as(f.coordinator), &q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, d := range got {
			ids = append(ids, d.ID)
		}
		return ids
	}
	if got := find(tsunagu.Candidate{Name: "زينب حداد", Nationality: "SY"}); fmt.Sprint(got) != fmt.Sprint([]int64{c.ID}) {
		t.Fatalf("by name: %v, want [%d]", got, c.ID)
	}
	c.Name, c.Email = "Olena Kovalenko", "olena@example.org"
	if err := f.svc.SaveCandidate(as(f.coordinator), c); err != nil {
		t.Fatal(err)
	}
	t.Run("OldNameAndEmailGone", func(t *testing.T) {
		if got := find(tsunagu.Candidate{Name: "زينب حداد", Nationality: "SY"}); len(got) != 0 {
			t.Fatalf("found by the old name: %v", got)
		}
		if got := find(tsunagu.Candidate{Name: "Someone", Email: "z.haddad@example.org"}); len(got) != 0 {
			t.Fatalf("found by the old e-mail: %v", got)
		}
	})
	t.Run("NewNameAndEmailFound", func(t *testing.T) {
		if got := find(tsunagu.Candidate{Name: "Олена Коваленко"}); fmt.Sprint(got) != fmt.Sprint([]int64{c.ID}) {
			t.Fatalf("by the new name: %v, want [%d]", got, c.ID)
		}
		if got := find(tsunagu.Candidate{Name: "Someone", Email: "OLENA@example.org"}); fmt.Sprint(got) != fmt.Sprint([]int64{c.ID}) {
			t.Fatalf("by the new e-mail: %v, want [%d]", got, c.ID)
		}
	})
	t.Run("WrittenBySQL", func(t *testing.T) {
		var id int64
		if err := f.db.GetContext(ctx, &id, `INSERT INTO candidates (name, phone) VALUES ('Farid Ahmadi', '080-5555-1234') RETURNING id`); err != nil {
			t.Fatal(err)
		}
		if got := find(tsunagu.Candidate{Name: "فرید احمدی"}); fmt.Sprint(got) != fmt.Sprint([]int64{id}) {
			t.Fatalf("by name: %v, want [%d]", got, id)
		}
		if _, err := f.db.ExecContext(ctx, `UPDATE candidates SET phone = '080-5555-9999' WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		if got := find(tsunagu.Candidate{Name: "Someone", Phone: "08055559999"}); fmt.Sprint(got) != fmt.Sprint([]int64{id}) {
			t.Fatalf("by the new phone: %v, want [%d]", got, id)
		}
	})
}

// BenchmarkFindDuplicates looks up the likely duplicates of one new
// profile among 20,000 stored ones (keyed once before the timer starts):
// each look-up reads the few candidates that share a key, not all of them.
func BenchmarkFindDuplicates(b *testing.B) {
	f := mustFixture(b)
	ctx := context.Background()
	const q = `INSERT INTO candidates (name, email, phone, nationality)
		SELECT 'Name' || chr(66 + i % 20) || chr(66 + (i / 20) % 20) || ' Family' || chr(66 + (i / 400) % 20) || (i / 8000),
			'person' || i || '@example.org', '090' || lpad(i::text, 8, '0'), 'AF'
		FROM generate_series(1, 20000) AS i`
	if _, err := f.db.ExecContext(ctx, q); err != nil {
		b.Fatal(err)
	}
	c := &tsunagu.Candidate{Name: "Amina Karimi", Email: "person77@example.org", Phone: "090-0000-0078", Nationality: "AF"}
	if got, err := f.svc.FindDuplicates(as(f.coordinator), c); err != nil || len(got) != 2 {
		b.Fatalf("duplicates = %+v, %v; want two (e-mail, phone)", got, err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.svc.FindDuplicates(as(f.coordinator), c); err != nil {
			b.Fatal(err)
		}
	}
}
