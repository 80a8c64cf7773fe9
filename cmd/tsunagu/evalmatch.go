package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/importer"
	"github.com/tsunagu-org/tsunagu/internal/search"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// cmdEvalMatchFlags is `tsunagu eval-match [-set NAME] [DIR]`.
func cmdEvalMatchFlags(ctx context.Context, e *Env, args []string) error {
	fs := newFlagSet(e, "eval-match")
	set := fs.String("set", "", "only this set (match-dev or match-real-dev)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	dir := evalDir(fs)
	if *set != "" {
		return evalMatchSets(ctx, e, dir, []string{*set})
	}
	return cmdEvalMatch(ctx, e, dir)
}

// matchSets are the ranking sets tsunagu eval reads, side by side.
var matchSets = []string{"match-dev", "match-real-dev"}

// cmdEvalMatch prints the ranking figures of every set of matchSets found
// in dir.
func cmdEvalMatch(ctx context.Context, e *Env, dir string) error {
	return evalMatchSets(ctx, e, dir, matchSets)
}

// evalMatchSets ranks the top 10 candidates for every role of each set,
// all in memory, and prints NDCG@10, P@10 (gain >= 2) and the reciprocal
// rank of the first gain-3 candidate, computed as ../shared/eval/ndcg.py
// does, over all roles and over each half of them (roles split by a hash of
// their id, so a change can be checked to help both), and over the roles
// that list no skills (their description is all there is). With
// TSUNAGU_EVAL_RUN set, the run is also written there as JSON lines.
func evalMatchSets(ctx context.Context, e *Env, dir string, sets []string) error {
	start := time.Now()
	tax, err := taxonomy.Load()
	if err != nil {
		return err
	}
	res := search.NewResolver(tax)
	setup := time.Since(start)
	for _, set := range sets {
		if err := evalMatchSet(ctx, e, res, filepath.Join(dir, set), set, setup); err != nil {
			return fmt.Errorf("%s: %w", set, err)
		}
		setup = 0
	}
	return nil
}

func evalMatchSet(ctx context.Context, e *Env, res *search.Resolver, md, set string, setup time.Duration) error {
	if _, err := os.Stat(filepath.Join(md, "qrels.tsv")); err != nil {
		fmt.Fprintf(e.Stdout, "%s: %s not found, skipped\n", set, md)
		return nil
	}
	eng, err := search.NewMemEngine(res)
	if err != nil {
		return err
	}
	defer eng.Close()

	var cands []*tsunagu.Candidate
	err = readLines(filepath.Join(md, "candidates.jsonl"), func(n int, line []byte) error {
		c, err := importer.DecodeCandidate(line)
		if err != nil {
			return fmt.Errorf("candidates.jsonl line %d: %w", n, err)
		}
		c.ID = int64(len(cands) + 1)
		cands = append(cands, c)
		return nil
	})
	if err != nil {
		return err
	}
	var roles []*tsunagu.JobRole
	descOnly := map[string]bool{}
	err = readLines(filepath.Join(md, "roles.jsonl"), func(n int, line []byte) error {
		r, _, err := importer.DecodeRole(line)
		if err != nil {
			return fmt.Errorf("roles.jsonl line %d: %w", n, err)
		}
		r.ID = int64(len(roles) + 1)
		r.Status = tsunagu.RoleOpen
		roles = append(roles, r)
		if len(r.RequiredSkills) == 0 {
			descOnly[r.ExternalID] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := eng.IndexCandidates(cands); err != nil {
		return err
	}
	if err := eng.IndexRoles(roles); err != nil {
		return err
	}
	indexTime := time.Since(t0)

	const k = 10
	run := map[string][]string{}
	scores := map[string][]float64{}
	var runBuf bytes.Buffer
	t0 = time.Now()
	for _, r := range roles {
		ms, err := eng.CandidatesForRole(ctx, r.ID, search.Options{Limit: k, IncludeNear: true})
		if err != nil {
			return fmt.Errorf("match role %s: %w", r.ExternalID, err)
		}
		ids := make([]string, 0, len(ms))
		for _, m := range ms {
			ids = append(ids, m.CandidateExternalID)
			scores[r.ExternalID] = append(scores[r.ExternalID], m.Score)
		}
		run[r.ExternalID] = ids
		b, _ := json.Marshal(map[string]any{"role_id": r.ExternalID, "candidate_ids": ids})
		runBuf.Write(append(b, '\n'))
	}
	matchTime := time.Since(t0)
	if p := e.Getenv("TSUNAGU_EVAL_RUN"); p != "" {
		if err := os.WriteFile(p, runBuf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write run: %w", err)
		}
	}
	qrels, err := readQrels(filepath.Join(md, "qrels.tsv"))
	if err != nil {
		return err
	}
	ndcg, p10, mrr, n := scoreRun(qrels, run, k)
	fmt.Fprintf(e.Stdout, "%s: %d candidates, %d roles (%s); taxonomy %.1fs, index %.1fs, matching %.0f ms/role\n",
		set, len(cands), len(roles), md, setup.Seconds(), indexTime.Seconds(), float64(matchTime.Milliseconds())/float64(max(1, len(roles))))
	fmt.Fprintf(e.Stdout, "%s: roles=%d P@10(gain>=2)=%.3f MRR(gain3)=%.3f\n", set, n, p10, mrr)
	fmt.Fprintf(e.Stdout, "%s: NDCG@10=%.3f\n", set, ndcg)
	halves := [2]map[string]map[string]int{{}, {}}
	for r, j := range qrels {
		halves[half(r)][r] = j
	}
	var hs [2]float64
	for h := range halves {
		hs[h], _, _, _ = scoreRun(halves[h], run, k)
	}
	fmt.Fprintf(e.Stdout, "%s: NDCG@10 half A=%.3f (%d roles) half B=%.3f (%d roles) spread=%.3f\n",
		set, hs[0], len(halves[0]), hs[1], len(halves[1]), math.Abs(hs[0]-hs[1]))
	// Levels: the mean true gain of the top-10 candidates at each level,
	// per half; they should fall from strong to partial on both.
	type acc struct{ n, gain int }
	var lv [2]map[string]*acc
	for h := range lv {
		lv[h] = map[string]*acc{}
	}
	for r, cs := range run {
		for i, c := range cs {
			l := search.Level(scores[r][i])
			a := lv[half(r)][l]
			if a == nil {
				a = &acc{}
				lv[half(r)][l] = a
			}
			a.n++
			a.gain += qrels[r][c]
		}
	}
	for h, name := range []string{"A", "B"} {
		var parts []string
		for _, l := range []string{search.LevelStrong, search.LevelGood, search.LevelPartial} {
			if a := lv[h][l]; a != nil {
				parts = append(parts, fmt.Sprintf("%s %.2f (%d)", l, float64(a.gain)/float64(a.n), a.n))
			}
		}
		fmt.Fprintf(e.Stdout, "%s: half %s mean gain by level in the top 10: %s\n", set, name, strings.Join(parts, ", "))
	}
	if len(descOnly) > 0 {
		d := map[string]map[string]int{}
		for r, j := range qrels {
			if descOnly[r] {
				d[r] = j
			}
		}
		dn, _, _, dnum := scoreRun(d, run, k)
		fmt.Fprintf(e.Stdout, "%s: NDCG@10 roles without required skills=%.3f (%d roles)\n", set, dn, dnum)
	}
	return nil
}

// half puts an evaluation item (a role id, a line) in half 0 (A) or 1 (B)
// by a hash of its key: stable, and blind to anything the item says.
func half(key string) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() & 1)
}

// readLines calls fn for every non-blank line of a file, numbered from 1.
func readLines(path string, fn func(n int, line []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		n++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		if err := fn(n, sc.Bytes()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// readQrels reads role_id, candidate_id, gain (with a header row).
func readQrels(path string) (map[string]map[string]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("qrels: %w", err)
		}
		return nil, err
	}
	q := map[string]map[string]int{}
	r := bufio.NewReader(bytes.NewReader(b))
	first := true
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			if first {
				first = false
			} else {
				f := strings.Split(strings.TrimRight(line, "\n"), "\t")
				if len(f) == 3 {
					g, err := strconv.Atoi(f[2])
					if err != nil {
						return nil, fmt.Errorf("qrels: bad gain %q", f[2])
					}
					if q[f[0]] == nil {
						q[f[0]] = map[string]int{}
					}
					q[f[0]][f[1]] = g
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return q, nil
}

// scoreRun computes NDCG@k (gain 2^g-1, log2 discount), P@k (gain >= 2) and
// the mean reciprocal rank of the first gain-3 candidate, over the roles in
// qrels, exactly as ndcg.py does.
func scoreRun(qrels map[string]map[string]int, run map[string][]string, k int) (ndcg, p10, mrr float64, n int) {
	for r, judged := range qrels {
		got := run[r]
		if len(got) > k {
			got = got[:k]
		}
		var dcg, idcg float64
		for i, c := range got {
			dcg += (math.Pow(2, float64(judged[c])) - 1) / math.Log2(float64(i+2))
		}
		ideal := make([]int, 0, len(judged))
		for _, g := range judged {
			ideal = append(ideal, g)
		}
		sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
		if len(ideal) > k {
			ideal = ideal[:k]
		}
		for i, g := range ideal {
			idcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
		}
		if idcg > 0 {
			ndcg += dcg / idcg
		}
		hits := 0
		for _, c := range got {
			if judged[c] >= 2 {
				hits++
			}
		}
		p10 += float64(hits) / float64(k)
		for i, c := range run[r] {
			if judged[c] == 3 {
				mrr += 1 / float64(i+1)
				break
			}
		}
		n++
	}
	if n > 0 {
		ndcg, p10, mrr = ndcg/float64(n), p10/float64(n), mrr/float64(n)
	}
	return ndcg, p10, mrr, n
}
