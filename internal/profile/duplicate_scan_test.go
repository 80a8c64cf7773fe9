package profile_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestScanDuplicatesPaged: the nightly scan reads the candidates a keyset
// page at a time and finds, whatever the page size, exactly the pairs (and
// reasons) the former all-in-memory scan found: the same person in Latin,
// Katakana, Arabic and Cyrillic script, reversed, spaced, by e-mail in
// another case, by phone written two ways, across page boundaries; no
// pair between different people.
func TestScanDuplicatesPaged(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	people := []tsunagu.Candidate{
		{Name: "Amina Karimi", Nationality: "AF", Email: "amina.k@example.org"},
		{Name: "Olena Kovalenko", Nationality: "UA"},
		{Name: "Farid Ahmadi", Nationality: "AF", Phone: "090-1111-2222"},
		{Name: "Mariam Haddad", Nationality: "SY"},
		{Name: "Yusuf Haidari", Nationality: "AF"},
	}
	for _, n := range []string{"Kenji Watanabe", "Sofia Rossi", "Ahmed Mansour", "Nadia Petrenko", "Tariq Aziz", "Grace Mensah",
		"Lina Barakat", "Omar Faruk", "Hana Suzuki", "Dmytro Shevchenko", "Zainab Noori", "Pierre Martin"} { // other people between
		people = append(people, tsunagu.Candidate{Name: n, Nationality: "JP"})
	}
	people = append(people,
		tsunagu.Candidate{Name: "アミナ・カリミ", Nationality: "AF"},
		tsunagu.Candidate{Name: "أمينة كريمي", Nationality: "AF"},
		tsunagu.Candidate{Name: "KARIMI  Amina"},
		tsunagu.Candidate{Name: "Someone Else", Email: " AMINA.K@example.ORG"},
		tsunagu.Candidate{Name: "Олена Коваленко", Nationality: "UA"},
		tsunagu.Candidate{Name: "F. A.", Phone: "+81 90 1111 2222"},
		tsunagu.Candidate{Name: "ファリド・アフマディ", Nationality: "AF"},
		tsunagu.Candidate{Name: "Mariam Haddad", Nationality: "IQ"}, // another person of the same name
		tsunagu.Candidate{Name: "Amira Kassem", Nationality: "AF"},
	)
	for i := range people {
		c := people[i]
		c.Visibility = tsunagu.VisibilityCoordinators
		if err := f.db.SaveCandidate(ctx, &c); err != nil { // stored directly: keyed by the scan
			t.Fatal(err)
		}
	}
	all, err := f.db.CandidateContactsAfter(ctx, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	want := profile.AllPairs(all)
	id := map[string]int64{}
	for _, c := range all {
		id[c.Name+"/"+c.Nationality] = c.ID
	}
	pair := func(a, b string) [2]int64 { return [2]int64{min(id[a], id[b]), max(id[a], id[b])} }
	amina := "Amina Karimi/AF"
	for _, p := range [][2]string{{amina, "アミナ・カリミ/AF"}, {amina, "أمينة كريمي/AF"}, {amina, "KARIMI  Amina/"}, {amina, "Someone Else/"},
		{"Olena Kovalenko/UA", "Олена Коваленко/UA"}, {"Farid Ahmadi/AF", "F. A./"}, {"Farid Ahmadi/AF", "ファリド・アフマディ/AF"}} {
		if _, ok := want[pair(p[0], p[1])]; !ok {
			t.Errorf("the reference misses %s = %s", p[0], p[1])
		}
	}
	for _, p := range [][2]string{{"Mariam Haddad/SY", "Mariam Haddad/IQ"}, {amina, "Amira Kassem/AF"}, {amina, "Kenji Watanabe/JP"}} {
		if _, ok := want[pair(p[0], p[1])]; ok {
			t.Errorf("the reference pairs different people %s and %s", p[0], p[1])
		}
	}
	t.Logf("%d candidates, %d pairs by the reference", len(all), len(want))
	for _, batch := range []int{1000, 7, 2, 1} {
		t.Run(fmt.Sprintf("Batch%d", batch), func(t *testing.T) {
			defer profile.SetScanBatch(batch)()
			if _, err := f.db.ExecContext(ctx, `DELETE FROM candidate_duplicate_pairs`); err != nil {
				t.Fatal(err)
			}
			n, err := f.svc.ScanDuplicates(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var rows []struct {
				A       int64  `db:"first_id"`
				B       int64  `db:"second_id"`
				Reasons string `db:"reasons"`
			}
			if err := f.db.SelectContext(ctx, &rows, `SELECT first_id, second_id, array_to_string(reasons, ' ') AS reasons FROM candidate_duplicate_pairs`); err != nil {
				t.Fatal(err)
			}
			if n != len(want) || len(rows) != len(want) {
				t.Errorf("scan found %d, recorded %d; the reference finds %d", n, len(rows), len(want))
			}
			got := map[[2]int64]string{}
			for _, r := range rows {
				got[[2]int64{r.A, r.B}] = r.Reasons
			}
			for p, why := range want {
				if g, ok := got[p]; !ok {
					t.Errorf("pair %v (%v) not found", p, why)
				} else if w := fmt.Sprint(why); "["+g+"]" != w {
					t.Errorf("pair %v: reasons %q, want %v", p, g, w)
				}
			}
			for p := range got {
				if _, ok := want[p]; !ok {
					t.Errorf("pair %v found, not by the reference", p)
				}
			}
		})
	}
}
