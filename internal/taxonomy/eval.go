package taxonomy

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// TitleMetrics are the title-normalisation figures: mean reciprocal rank
// (over the first 100 suggestions) and recall at 1, 5 and 10 of the
// labelled occupation.
type TitleMetrics struct {
	N                  int
	MRR, R1, R5, R10   float64
	UnknownGold, Empty int
	// HalfMRR is the MRR of each half of the titles (alternate rows, as
	// TestTitleHalves splits them), to check a change helps both.
	HalfMRR [2]float64
}

// SkillMetrics are the skill-normalisation figures: MRR and R-Precision@5
// of the gold skills of each labelled mention.
type SkillMetrics struct {
	N                 int
	MRR, RP5, R1, R10 float64
	Skipped, Unmapped int
	// HalfRP5 is the R-Precision@5 of each half of the mentions
	// (alternate mentions).
	HalfRP5 [2]float64
}

// EvalTitlesFile evaluates title normalisation on a CSV (optionally gzip)
// with columns index, vacancyTitle, conceptUri (the JobBERT layout).
func EvalTitlesFile(ctx context.Context, n *Normalizer, path string) (TitleMetrics, error) {
	var m TitleMetrics
	rows, err := readCSV(path)
	if err != nil {
		return m, err
	}
	if len(rows) < 2 {
		return m, fmt.Errorf("%s: no rows", path)
	}
	head := rows[0]
	ti, ui := colIndex(head, "vacancyTitle"), colIndex(head, "conceptUri")
	if ti < 0 || ui < 0 {
		return m, fmt.Errorf("%s: want columns vacancyTitle and conceptUri", path)
	}
	var halfN [2]int
	for row, r := range rows[1:] {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		if len(r) <= ti || len(r) <= ui {
			continue
		}
		gold := strings.TrimSpace(r[ui])
		if _, ok := n.t.Occupation(gold); !ok {
			m.UnknownGold++
		}
		res, err := n.Occupations(ctx, r[ti], "en", 100)
		if err != nil {
			return m, err
		}
		if len(res) == 0 {
			m.Empty++
		}
		m.N++
		halfN[row%2]++
		for i, x := range res {
			if x.URI == gold {
				m.MRR += 1 / float64(i+1)
				m.HalfMRR[row%2] += 1 / float64(i+1)
				if i < 1 {
					m.R1++
				}
				if i < 5 {
					m.R5++
				}
				if i < 10 {
					m.R10++
				}
				break
			}
		}
	}
	if m.N > 0 {
		f := float64(m.N)
		m.MRR, m.R1, m.R5, m.R10 = m.MRR/f, m.R1/f, m.R5/f, m.R10/f
	}
	for h, c := range halfN {
		if c > 0 {
			m.HalfMRR[h] /= float64(c)
		}
	}
	return m, nil
}

// EvalSkillsFile evaluates skill normalisation on a CSV with columns
// sentence, span, sub_span, label (the skill-extraction benchmark layout).
// The query is the sub-span when there is one, else the span; the gold is
// every skill labelled for that query in that sentence (labels are ESCO
// preferred labels, mapped to URIs through the taxonomy). Rows labelled
// LABEL NOT PRESENT or UNDERSPECIFIED, and exact duplicate rows, are
// skipped.
func EvalSkillsFile(ctx context.Context, n *Normalizer, path string) (SkillMetrics, error) {
	var m SkillMetrics
	rows, err := readCSV(path)
	if err != nil {
		return m, err
	}
	if len(rows) < 2 {
		return m, fmt.Errorf("%s: no rows", path)
	}
	head := rows[0]
	si, pi, ssi, li := colIndex(head, "sentence"), colIndex(head, "span"), colIndex(head, "sub_span"), colIndex(head, "label")
	if si < 0 || pi < 0 || li < 0 {
		return m, fmt.Errorf("%s: want columns sentence, span, sub_span, label", path)
	}
	byPref := map[string][]string{}
	for _, c := range n.t.skills {
		k := strings.ToLower(c.Labels["en"])
		byPref[k] = append(byPref[k], c.URI)
	}
	type item struct {
		query string
		gold  map[string]bool
	}
	var items []*item
	byKey := map[string]*item{}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		get := func(i int) string {
			if i >= 0 && i < len(r) {
				return strings.TrimSpace(r[i])
			}
			return ""
		}
		key := strings.Join(r, "\x00")
		if seen[key] {
			continue
		}
		seen[key] = true
		label := get(li)
		if label == "" || label == "LABEL NOT PRESENT" || label == "UNDERSPECIFIED" {
			m.Skipped++
			continue
		}
		uris := byPref[strings.ToLower(label)]
		if len(uris) == 0 {
			m.Unmapped++
			continue
		}
		q := get(ssi)
		if q == "" {
			q = get(pi)
		}
		k := get(si) + "\x00" + q
		it := byKey[k]
		if it == nil {
			it = &item{query: q, gold: map[string]bool{}}
			byKey[k] = it
			items = append(items, it)
		}
		for _, u := range uris {
			it.gold[u] = true
		}
	}
	var halfN [2]int
	for k, it := range items {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		res, err := n.Skills(ctx, it.query, "en", 100)
		if err != nil {
			return m, err
		}
		m.N++
		hits5 := 0
		first := 0
		for i, x := range res {
			if !it.gold[x.URI] {
				continue
			}
			if first == 0 {
				first = i + 1
			}
			if i < 5 {
				hits5++
			}
		}
		if first > 0 {
			m.MRR += 1 / float64(first)
			if first == 1 {
				m.R1++
			}
			if first <= 10 {
				m.R10++
			}
		}
		rp := float64(hits5) / float64(min(5, len(it.gold)))
		m.RP5 += rp
		m.HalfRP5[k%2] += rp
		halfN[k%2]++
	}
	if m.N > 0 {
		f := float64(m.N)
		m.MRR, m.RP5, m.R1, m.R10 = m.MRR/f, m.RP5/f, m.R1/f, m.R10/f
	}
	for h, c := range halfN {
		if c > 0 {
			m.HalfRP5[h] /= float64(c)
		}
	}
	return m, nil
}

// EvalReport runs both evaluations on the folder layout of ../shared/eval
// (jobbert/titles.dev.csv.gz, skills/{tech,house}_validation_annotations.csv)
// and writes the figures. Missing files are reported, not fatal.
func EvalReport(ctx context.Context, n *Normalizer, dir string, w io.Writer) error {
	found := false
	titles := filepath.Join(dir, "jobbert", "titles.dev.csv.gz")
	if _, err := os.Stat(titles); err == nil {
		found = true
		m, err := EvalTitlesFile(ctx, n, titles)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "titles (jobbert dev, %d titles): MRR %.3f  R@1 %.3f  R@5 %.3f  R@10 %.3f  (reference: MRR 0.39, R@5 0.421)\n",
			m.N, m.MRR, m.R1, m.R5, m.R10)
		fmt.Fprintf(w, "titles: MRR half A %.3f  half B %.3f  (alternate rows)\n", m.HalfMRR[0], m.HalfMRR[1])
	} else {
		fmt.Fprintf(w, "titles: %s not found, skipped\n", titles)
	}
	for _, set := range []struct{ name, ref string }{{"tech", "0.55"}, {"house", "0.46"}} {
		p := filepath.Join(dir, "skills", set.name+"_validation_annotations.csv")
		if _, err := os.Stat(p); err != nil {
			fmt.Fprintf(w, "skills %s: %s not found, skipped\n", set.name, p)
			continue
		}
		found = true
		m, err := EvalSkillsFile(ctx, n, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "skills %s (%d mentions; %d unlabelled skipped, %d gold labels not in ESCO 1.1.1): MRR %.3f  RP@5 %.3f  R@1 %.3f  R@10 %.3f  (reference: RP@5 %s)\n",
			set.name, m.N, m.Skipped, m.Unmapped, m.MRR, m.RP5, m.R1, m.R10, set.ref)
		fmt.Fprintf(w, "skills %s: RP@5 half A %.3f  half B %.3f  (alternate mentions)\n", set.name, m.HalfRP5[0], m.HalfRP5[1])
	}
	if !found {
		return fmt.Errorf("no evaluation files under %s", dir)
	}
	return nil
}

func colIndex(head []string, name string) int {
	for i, h := range head {
		if strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) == name {
			return i
		}
	}
	return -1
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = bufio.NewReader(f)
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		r = gz
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	rows, err := cr.ReadAll()
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}
