package bench

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/search"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// idOffset keeps generated ids clear of the ids the database hands out to
// the profiles saved during the freshness measurement.
const idOffset = 10_000_000

type row struct{ name, ours, pg, ratio, target string }

func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func rssMiB() float64 { return procStatusMiB("VmRSS:") }

func procStatusMiB(key string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, key) {
			f := strings.Fields(l)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkPlatform generates the population, builds the Bleve index and the
// PostgreSQL full-text index on it, and measures top-20 latency, ranking
// quality on the generated occupations, freshness through the change log and
// resident memory, printing one table. Run once (-benchtime 1x).
func BenchmarkPlatform(b *testing.B) {
	ctx := context.Background()
	nCand := envInt("TSUNAGU_BENCH_CANDIDATES", 100_000)
	nRoles := envInt("TSUNAGU_BENCH_ROLES", 5_000)
	nQueries := min(nRoles, envInt("TSUNAGU_BENCH_QUERIES", 1000))
	// ts_rank takes a quarter of a second a query at 100,000 and seconds
	// at 1,000,000: it runs on the first of the Bleve queries only, and
	// the ratio compares the two on those same queries.
	nPG := min(nQueries, envInt("TSUNAGU_BENCH_PG_QUERIES", 100))

	tax, err := taxonomy.Load()
	if err != nil {
		b.Fatal(err)
	}
	res := search.NewResolver(tax)
	t0 := time.Now()
	pop := Generate(tax, nCand, nRoles)
	for _, c := range pop.Candidates {
		c.ID += idOffset
	}
	for _, r := range pop.Roles {
		r.ID += idOffset
	}
	genTime := time.Since(t0)

	url := dbtest.NewDatabaseURL(b)
	db, err := postgres.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()

	// PostgreSQL full-text search on the same text, GIN-indexed.
	t0 = time.Now()
	if _, err := db.ExecContext(ctx, `CREATE TABLE bench_fts (id BIGINT PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	if err := copyFTS(ctx, db, pop); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `ALTER TABLE bench_fts ADD COLUMN doc tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `CREATE INDEX bench_fts_doc ON bench_fts USING GIN (doc)`); err != nil {
		b.Fatal(err)
	}
	db.ExecContext(ctx, `ANALYZE bench_fts`)
	pgBuild := time.Since(t0)

	// The same population in the application's tables, for the reindex
	// from PostgreSQL measured at the end (COPY: minutes faster than
	// saving each profile, and no change-log rows to follow).
	t0 = time.Now()
	if err := importPopulation(ctx, db, pop); err != nil {
		b.Fatal(err)
	}
	importTime := time.Since(t0)

	// Bleve, on disk as a serving process keeps it, built in bulk beside
	// the (empty) live index and swapped in, as a new replica or `tsunagu
	// reindex` builds it, then following the log.
	dir := b.TempDir()
	svc, err := search.NewService(db, url, dir, res)
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	runtime.GC()
	resetPeakRSS()
	t0 = time.Now()
	c0 := cpuTime()
	if err := svc.ReindexFrom(ctx, search.Records{Candidates: pop.Candidates, Roles: pop.Roles}); err != nil {
		b.Fatal(err)
	}
	build, buildCPU := time.Since(t0), cpuTime()-c0
	buildPeak, buildDisk := peakRSSMiB(), dirMiB(dir)
	if err := svc.Start(ctx); err != nil {
		b.Fatal(err)
	}

	// Top-20 for many roles, both ways; quality = share of the top 20 from
	// the role's own occupation.
	var ours, theirs []time.Duration
	var oursHits, pgHits, total, pgTotal int
	occOf := map[int64]string{}
	for i, c := range pop.Candidates {
		occOf[c.ID] = pop.CandidateOcc[i]
	}
	const pgQuery = `
		WITH q AS (SELECT replace(plainto_tsquery('english', $1)::text, '&', '|')::tsquery AS q)
		SELECT id FROM bench_fts, q WHERE doc @@ q.q ORDER BY ts_rank(doc, q.q) DESC LIMIT 20`
	step := max(1, nRoles/nQueries)
	for i := 0; i < nRoles && len(ours) < nQueries; i += step {
		r := pop.Roles[i]
		t0 := time.Now()
		mm, err := svc.CandidatesForRole(ctx, r.ID, search.Options{Limit: 20, IncludeNear: true})
		if err != nil {
			b.Fatal(err)
		}
		ours = append(ours, time.Since(t0))
		for _, m := range mm {
			if occOf[m.CandidateID] == pop.RoleOcc[i] {
				oursHits++
			}
		}
		total += 20
		if len(theirs) >= nPG {
			continue
		}
		t0 = time.Now()
		var ids []int64
		if err := db.SelectContext(ctx, &ids, pgQuery, search.NormLabel(RoleText(r))); err != nil {
			b.Fatal(err)
		}
		theirs = append(theirs, time.Since(t0))
		for _, id := range ids {
			if occOf[id] == pop.RoleOcc[i] {
				pgHits++
			}
		}
		pgTotal += 20
	}
	oursPaired := ours[:len(theirs)]

	// Freshness: save a profile, wait until this process has applied it.
	var fresh, saves []time.Duration
	for i := 0; i < 20; i++ {
		c := *pop.Candidates[i]
		c.ID, c.ExternalID = 0, fmt.Sprintf("bench-fresh-%02d", i)
		t0 := time.Now()
		if err := db.SaveCandidate(ctx, &c); err != nil {
			b.Fatal(err)
		}
		saved := time.Now()
		saves = append(saves, saved.Sub(t0))
		seq, err := db.LastChangeSeq(ctx)
		if err != nil {
			b.Fatal(err)
		}
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err = svc.WaitApplied(wctx, seq)
		cancel()
		if err != nil {
			b.Fatalf("change %d not applied: %v", seq, err)
		}
		if _, err := svc.Engine().Profile(search.KindCandidate, c.ID); err != nil {
			b.Fatal(err)
		}
		fresh = append(fresh, time.Since(saved))
	}
	// PostgreSQL: a row is searchable once its insert commits.
	var pgFresh []time.Duration
	for i := 0; i < 20; i++ {
		t0 := time.Now()
		if _, err := db.ExecContext(ctx, `INSERT INTO bench_fts (id, body) VALUES ($1, $2)`, 1+i, CandidateText(pop.Candidates[len(pop.Candidates)-1-i])); err != nil {
			b.Fatal(err)
		}
		pgFresh = append(pgFresh, time.Since(t0))
	}
	// Resident memory of what a serving process holds: drop the generator's
	// data first (profiles keep only the strings they share with it).
	pop, occOf = nil, nil
	runtime.GC()
	debug.FreeOSMemory()
	rss := rssMiB()
	if p := os.Getenv("TSUNAGU_BENCH_HEAP"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)

	// Reindex from PostgreSQL beside the live index and swap, as `tsunagu
	// reindex` or a new replica does: every candidate and role read in
	// keyset pages, resolved and indexed.
	runtime.GC()
	resetPeakRSS()
	t0 = time.Now()
	c0 = cpuTime()
	if err := svc.Reindex(ctx); err != nil {
		b.Fatal(err)
	}
	reindex, reindexCPU := time.Since(t0), cpuTime()-c0
	reindexPeak, reindexDisk := peakRSSMiB(), dirMiB(dir)
	runtime.GC()
	debug.FreeOSMemory()
	reindexRSS := rssMiB()
	if p := os.Getenv("TSUNAGU_BENCH_HEAP"); p != "" {
		// The steady state of a serving replica: every profile read from
		// PostgreSQL.
		if f, err := os.Create(p + ".reindex"); err == nil {
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	docs, err := svc.Engine().Count()
	if err != nil {
		b.Fatal(err)
	}
	if want := uint64(nCand + nRoles + len(fresh)); docs != want {
		b.Fatalf("reindex from PostgreSQL: %d documents, want %d", docs, want)
	}

	ratio := func(a, b time.Duration) string {
		if a == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1fx", float64(b)/float64(a))
	}
	rows := []row{
		{"index build (candidates+roles)", fmt.Sprintf("%.1f s (CPU %.1f s)", build.Seconds(), buildCPU.Seconds()), fmt.Sprintf("%.1f s", pgBuild.Seconds()), "-", "<= 30 s"},
		{"reindex from PostgreSQL", fmt.Sprintf("%.1f s (CPU %.1f s)", reindex.Seconds(), reindexCPU.Seconds()), "-", "-", "<= 30 s"},
		{"top-20 for a role, p50", ms(pct(ours, 0.50)), "-", "-", "<= 5 ms"},
		{"top-20 for a role, p99", ms(pct(ours, 0.99)), "-", "-", "<= 25 ms"},
		{fmt.Sprintf("top-20, first %d queries, p50", len(theirs)), ms(pct(oursPaired, 0.50)), ms(pct(theirs, 0.50)), ratio(pct(oursPaired, 0.50), pct(theirs, 0.50)), ">= 100x"},
		{fmt.Sprintf("top-20, first %d queries, p99", len(theirs)), ms(pct(oursPaired, 0.99)), ms(pct(theirs, 0.99)), ratio(pct(oursPaired, 0.99), pct(theirs, 0.99)), "-"},
		{"top-20 from the role's occupation", fmt.Sprintf("%.1f%%", 100*float64(oursHits)/float64(max(1, total))), fmt.Sprintf("%.1f%%", 100*float64(pgHits)/float64(max(1, pgTotal))), "-", "-"},
		{"save -> searchable, p50", ms(pct(fresh, 0.5)), ms(pct(pgFresh, 0.5)), "-", "<= 1 s"},
		{"save -> searchable, max", ms(pct(fresh, 1)), ms(pct(pgFresh, 1)), "-", "<= 1 s"},
		{"resident memory (test process)", fmt.Sprintf("%.0f MiB (heap %.0f MiB)", rss, float64(mem.HeapInuse)/(1<<20)), "-", "-", "<= 1 GiB"},
		{"peak RSS, build (with generator data)", fmt.Sprintf("%.0f MiB", buildPeak), "-", "-", "-"},
		{"peak RSS, reindex beside live index", fmt.Sprintf("%.0f MiB", reindexPeak), "-", "-", "-"},
		{"index on disk (built / reindexed)", fmt.Sprintf("%.0f / %.0f MiB", buildDisk, reindexDisk), "-", "-", "-"},
		{"match page over HTTP", "see BenchmarkHTTP", "-", "-", ">= 300 req/s"},
	}
	fmt.Printf("\n%d candidates, %d roles (generated in %.1fs), %d role queries, GOMAXPROCS=%d, %s\n",
		nCand, nRoles, genTime.Seconds(), len(ours), runtime.GOMAXPROCS(0), cpuModel())
	fmt.Printf("| %-38s | %-26s | %-18s | %-8s | %-12s |\n", "measure", "Bleve (tsunagu)", "PostgreSQL ts_rank", "ratio", "target")
	fmt.Printf("|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 40), strings.Repeat("-", 28), strings.Repeat("-", 20), strings.Repeat("-", 10), strings.Repeat("-", 14))
	for _, r := range rows {
		fmt.Printf("| %-38s | %-26s | %-18s | %-8s | %-12s |\n", r.name, r.ours, r.pg, r.ratio, r.target)
	}
	fmt.Printf("(save itself, p50 %s; PostgreSQL freshness is its insert+commit; population copied into PostgreSQL in %.1f s; resident memory %.0f MiB after the reindex)\n\n",
		ms(pct(saves, 0.5)), importTime.Seconds(), reindexRSS)
	b.ReportMetric(float64(pct(ours, 0.5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(pct(ours, 0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(build.Seconds(), "build-s")
	b.ReportMetric(reindex.Seconds(), "reindex-s")
	b.ReportMetric(rss, "rss-MiB")
	b.ReportMetric(reindexPeak, "reindex-peak-MiB")
}

func copyFTS(ctx context.Context, db *postgres.DB, pop *Population) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `COPY bench_fts (id, body) FROM STDIN`)
	if err != nil {
		return err
	}
	for _, c := range pop.Candidates {
		if _, err := st.ExecContext(ctx, c.ID, CandidateText(c)); err != nil {
			return err
		}
	}
	if _, err := st.ExecContext(ctx); err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	return tx.Commit()
}

// resetPeakRSS restarts the kernel's peak resident size (VmHWM) of this
// process from its current size (Linux: clear_refs 5).
func resetPeakRSS() {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSSMiB is the peak resident size since start or the last reset.
func peakRSSMiB() float64 { return procStatusMiB("VmHWM:") }

// dirMiB is the size of the files under dir.
func dirMiB(dir string) float64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return float64(n) / (1 << 20)
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			_, v, _ := strings.Cut(l, ":")
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// importPopulation copies the population into the candidate, role and
// company tables with COPY, in one transaction.
func importPopulation(ctx context.Context, db *postgres.DB, pop *Population) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	copyRows := func(table string, cols []string, each func(add func(...any) error) error) error {
		st, err := tx.PrepareContext(ctx, "COPY "+table+" ("+strings.Join(cols, ", ")+") FROM STDIN")
		if err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
		err = each(func(v ...any) error { _, err := st.ExecContext(ctx, v...); return err })
		if err == nil {
			_, err = st.ExecContext(ctx)
		}
		if err2 := st.Close(); err == nil {
			err = err2
		}
		if err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
		return nil
	}
	err = copyRows("candidates", []string{"id", "external_id", "name", "headline", "country", "prefecture", "willing_to_relocate", "visibility"},
		func(add func(...any) error) error {
			for _, c := range pop.Candidates {
				if err := add(c.ID, c.ExternalID, c.Name, c.Headline, c.Location.Country, c.Location.Prefecture, c.WillingToRelocate, c.Visibility); err != nil {
					return err
				}
			}
			return nil
		})
	if err == nil {
		err = copyRows("candidate_skills", []string{"candidate_id", "position", "label", "esco_uri", "level", "years"}, func(add func(...any) error) error {
			for _, c := range pop.Candidates {
				for i, s := range c.Skills {
					if err := add(c.ID, i+1, s.Label, s.ESCOURI, s.Level, s.Years); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	if err == nil {
		err = copyRows("candidate_languages", []string{"candidate_id", "position", "code", "level"}, func(add func(...any) error) error {
			for _, c := range pop.Candidates {
				for i, l := range c.Languages {
					if err := add(c.ID, i+1, l.Code, l.Level); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	if err == nil {
		err = copyRows("candidate_work_history", []string{"candidate_id", "position", "title", "occupation_uri", "years"}, func(add func(...any) error) error {
			for _, c := range pop.Candidates {
				for i, w := range c.WorkHistory {
					if err := add(c.ID, i+1, w.Title, w.OccupationURI, w.Years); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	if err != nil {
		return err
	}
	companies := map[int64]bool{}
	for _, r := range pop.Roles {
		companies[r.CompanyID] = true
	}
	for id := range companies {
		if _, err := tx.ExecContext(ctx, `INSERT INTO companies (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, fmt.Sprintf("Bench company %d", id)); err != nil {
			return fmt.Errorf("insert company: %w", err)
		}
	}
	err = copyRows("roles", []string{"id", "external_id", "company_id", "title", "occupation_uri", "description", "country", "prefecture", "workplace", "employment_type", "status"},
		func(add func(...any) error) error {
			for _, r := range pop.Roles {
				if err := add(r.ID, r.ExternalID, r.CompanyID, r.Title, r.OccupationURI, r.Description, r.Location.Country, r.Location.Prefecture, r.Workplace, r.EmploymentType, r.Status); err != nil {
					return err
				}
			}
			return nil
		})
	if err == nil {
		err = copyRows("role_skills", []string{"role_id", "kind", "position", "label", "esco_uri", "level", "years"}, func(add func(...any) error) error {
			for _, r := range pop.Roles {
				for kind, ss := range map[string][]tsunagu.SkillRef{"required": r.RequiredSkills, "preferred": r.PreferredSkills} {
					for i, s := range ss {
						if err := add(r.ID, kind, i+1, s.Label, s.ESCOURI, s.Level, s.Years); err != nil {
							return err
						}
					}
				}
			}
			return nil
		})
	}
	if err == nil {
		err = copyRows("role_languages", []string{"role_id", "position", "code", "level"}, func(add func(...any) error) error {
			for _, r := range pop.Roles {
				for i, l := range r.Languages {
					if err := add(r.ID, i+1, l.Code, l.Level); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	if err != nil {
		return err
	}
	return tx.Commit()
}
