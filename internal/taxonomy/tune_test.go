package taxonomy

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestTuneDev prints the evaluation figures, a sample of misses and, with
// TSUNAGU_TUNE set, a sweep of the reranker weights. It runs only when
// TSUNAGU_SHARED points at the shared folder (it reads ../shared/eval, the
// development splits; nothing from them is kept in the code).
func TestTuneDev(t *testing.T) {
	shared := os.Getenv("TSUNAGU_SHARED")
	if shared == "" {
		t.Skip("TSUNAGU_SHARED not set")
	}
	switch os.Getenv("TSUNAGU_SKIP_EXTRA") {
	case "all":
		skipExtra = func(ExtraLabel) bool { return true }
	case "single":
		skipExtra = func(e ExtraLabel) bool { return len(words(e.Label)) == 1 }
	case "reported":
		skipExtra = func(e ExtraLabel) bool { return strings.HasPrefix(e.Source, "onet:reported") }
	case "onet-occ":
		skipExtra = func(e ExtraLabel) bool {
			return strings.HasPrefix(e.Source, "onet:") && !strings.HasPrefix(e.Source, "onet:technology")
		}
	}
	defer func() { skipExtra = nil }()
	n := testNormalizer(t)
	ctx := context.Background()
	dir := filepath.Join(shared, "eval")
	titles := filepath.Join(dir, "jobbert", "titles.dev.csv.gz")
	if os.Getenv("TSUNAGU_MISSES") != "" {
		rows, err := readCSV(titles)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewSource(1))
		for k := 0; k < 80; k++ {
			row := rows[1+r.Intn(len(rows)-1)]
			res, _ := n.Occupations(ctx, row[1], "en", 100)
			rank := 0
			gm := ""
			for i, x := range res {
				if x.URI == row[2] {
					rank = i + 1
					gm = fmt.Sprintf("%s %.2f", x.Matched, x.Score)
				}
			}
			if rank == 1 {
				continue
			}
			g, _ := n.t.Occupation(row[2])
			var top []string
			for i, x := range res {
				if i < 3 {
					top = append(top, x.Label+" ["+x.Matched+fmt.Sprintf(" %.2f]", x.Score))
				}
			}
			fmt.Printf("%q gold=%q rank=%d [%s] top=%s\n", row[1], g.Labels["en"], rank, gm, strings.Join(top, " | "))
		}
	}
	evalAll := func() (float64, float64, string) {
		m, err := EvalTitlesFile(ctx, n, titles)
		if err != nil {
			t.Fatal(err)
		}
		var sk []string
		var sobj float64
		for _, s := range []string{"tech", "house"} {
			sm, err := EvalSkillsFile(ctx, n, filepath.Join(dir, "skills", s+"_validation_annotations.csv"))
			if err != nil {
				t.Fatal(err)
			}
			sobj += (sm.MRR + sm.RP5) / 4
			sk = append(sk, fmt.Sprintf("%s MRR %.3f RP5 %.3f", s, sm.MRR, sm.RP5))
		}
		return m.MRR, sobj, fmt.Sprintf("titles MRR %.4f R1 %.3f R5 %.3f R10 %.3f | %s", m.MRR, m.R1, m.R5, m.R10, strings.Join(sk, " | "))
	}
	if c := os.Getenv("TSUNAGU_CANDIDATES"); c != "" {
		fmt.Sscan(c, &titleParams.Candidates)
		fmt.Sscan(c, &skillParams.Candidates)
	}
	_, _, line := evalAll()
	fmt.Println(line)
	if os.Getenv("TSUNAGU_TUNE") == "" {
		return
	}
	retrieveCache = map[string][]hit{}
	if c := os.Getenv("TSUNAGU_CANDIDATES"); c != "" {
		fmt.Sscan(c, &titleParams.Candidates)
		fmt.Sscan(c, &skillParams.Candidates)
	}
	base, sbase := titleParams, skillParams
	defer func() { titleParams, skillParams, retrieveCache = base, sbase, nil }()
	knobs := []struct {
		name string
		ptr  func(*params) *float64
	}{
		{"WLabel", func(p *params) *float64 { return &p.WLabel }},
		{"WPref", func(p *params) *float64 { return &p.WPref }},
		{"WPrior", func(p *params) *float64 { return &p.WPrior }},
		{"RankWeight", func(p *params) *float64 { return &p.RankWeight }},
		{"Related", func(p *params) *float64 { return &p.Related }},
		{"WBleve", func(p *params) *float64 { return &p.WBleve }},
		{"HiddenPen", func(p *params) *float64 { return &p.HiddenPen }},
		{"Fuzzy", func(p *params) *float64 { return &p.Fuzzy }},
		{"Prefix", func(p *params) *float64 { return &p.Prefix }},
	}
	bestT, bestS, _ := evalAll()
	for round := 0; round < 2; round++ {
		for _, k := range knobs {
			for _, f := range []float64{0, 0.5, 1.5, 2} {
				tp, sp := titleParams, skillParams
				*k.ptr(&titleParams) *= f
				*k.ptr(&skillParams) *= f
				if *k.ptr(&titleParams) == 0 && f != 0 {
					*k.ptr(&titleParams) = 0.05 * f
					*k.ptr(&skillParams) = 0.05 * f
				}
				mt, ms, line := evalAll()
				if mt > bestT+0.0005 {
					bestT = mt
					tp = titleParams
				}
				if ms > bestS+0.002 {
					bestS = ms
					sp = skillParams
				}
				fmt.Printf("%s x%v: %s\n", k.name, f, line)
				titleParams, skillParams = tp, sp
			}
		}
		fmt.Printf("round %d: title %+v (%.4f)\nskill %+v (%.4f)\n", round, titleParams, bestT, skillParams, bestS)
	}
}

// TestTitleHalves prints title MRR on two halves of the JobBERT
// development split (A: even rows, B: odd rows), so that a change tuned
// while looking at A is judged on B. With TSUNAGU_MISSES set it prints a
// sample of misses from half A only. It runs only when TSUNAGU_SHARED is
// set.
func TestTitleHalves(t *testing.T) {
	shared := os.Getenv("TSUNAGU_SHARED")
	if shared == "" {
		t.Skip("TSUNAGU_SHARED not set")
	}
	n := testNormalizer(t)
	rows, err := readCSV(filepath.Join(shared, "eval", "jobbert", "titles.dev.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	// TSUNAGU_SWEEP="WHead=0,0.1,0.2" evaluates each value of one title
	// weight in turn (Bleve's candidates are cached between them).
	if sw := os.Getenv("TSUNAGU_SWEEP"); sw != "" {
		name, vals, _ := strings.Cut(sw, "=")
		f := reflect.ValueOf(&titleParams).Elem().FieldByName(name)
		if !f.IsValid() {
			t.Fatalf("no title weight %q", name)
		}
		base := titleParams
		retrieveCache = map[string][]hit{}
		defer func() { titleParams, retrieveCache = base, nil }()
		for _, v := range strings.Split(vals, ",") {
			var x float64
			fmt.Sscan(v, &x)
			f.SetFloat(x)
			fmt.Printf("%s=%v: ", name, x)
			titleHalves(t, n, rows)
		}
		return
	}
	titleHalves(t, n, rows)
}

func titleHalves(t *testing.T, n *Normalizer, rows [][]string) {
	ctx := context.Background()
	var mrr, r1, r5 [2]float64
	var cnt [2]int
	misses := 0
	for i, row := range rows[1:] {
		if len(row) < 3 {
			continue
		}
		h := i % 2
		res, err := n.Occupations(ctx, row[1], "en", 100)
		if err != nil {
			t.Fatal(err)
		}
		cnt[h]++
		rank := 0
		for j, x := range res {
			if x.URI == row[2] {
				rank = j + 1
				break
			}
		}
		if rank > 0 {
			mrr[h] += 1 / float64(rank)
			if rank == 1 {
				r1[h]++
			}
			if rank <= 5 {
				r5[h]++
			}
		}
		if h == 0 && rank != 1 && os.Getenv("TSUNAGU_MISSES") != "" && i%37 == 0 && misses < 120 {
			misses++
			g, _ := n.t.Occupation(row[2])
			var top []string
			for j, x := range res {
				if j < 3 {
					top = append(top, fmt.Sprintf("%s [%s %.2f]", x.Label, x.Matched, x.Score))
				}
			}
			fmt.Printf("%q gold=%q rank=%d top=%s\n", row[1], g.Labels["en"], rank, strings.Join(top, " | "))
		}
	}
	for h, name := range []string{"A", "B"} {
		f := float64(cnt[h])
		fmt.Printf("half %s (%d): MRR %.4f R1 %.4f R5 %.4f  ", name, cnt[h], mrr[h]/f, r1[h]/f, r5[h]/f)
	}
	fmt.Println()
}
