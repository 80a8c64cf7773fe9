package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/importer"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// BenchmarkImport measures `tsunagu import candidates` as the command wires
// it (the profile service with the taxonomy's vocabulary and label
// resolver, acting as an admin) on TSUNAGU_BENCH_IMPORT generated lines
// (default 10,000) into an empty database, one line in a hundred bad (no
// name), and prints lines per second. Every bad line must come back
// rejected with its line number, every good one created.
//
//	TSUNAGU_BENCH_IMPORT=10000 go test -run '^$' -bench Import -benchtime 1x ./internal/bench/
func BenchmarkImport(b *testing.B) {
	ctx := context.Background()
	n := envInt("TSUNAGU_BENCH_IMPORT", 10_000)
	tax, err := taxonomy.Load()
	if err != nil {
		b.Fatal(err)
	}
	pop := Generate(tax, n, 0)
	var in bytes.Buffer
	bad := map[int]bool{}
	for i, c := range pop.Candidates {
		line := map[string]any{
			"id": fmt.Sprintf("bench-import-%06d", i), "name": c.Name, "headline": c.Headline,
			"location": c.Location, "willing_to_relocate": c.WillingToRelocate,
			"work_history": c.WorkHistory, "skills": c.Skills, "languages": c.Languages,
		}
		if i%100 == 99 {
			delete(line, "name")
			bad[i+1] = true
		}
		js, err := json.Marshal(line)
		if err != nil {
			b.Fatal(err)
		}
		in.Write(js)
		in.WriteByte('\n')
	}

	db, err := postgres.Open(ctx, dbtest.NewDatabaseURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := profile.New(db,
		profile.WithVocabulary(profile.TaxonomyVocabulary{T: tax}),
		profile.WithResolver(profile.NewLabelResolver(tax)))
	ctx = tsunagu.NewContextWithUser(ctx, &tsunagu.User{Role: tsunagu.RoleAdmin, DisplayName: "bench import"})
	t0 := time.Now()
	sum, err := importer.Import(ctx, &in, importer.KindCandidates, importer.Options{Candidates: svc, Roles: svc,
		Workers: envInt("TSUNAGU_BENCH_IMPORT_WORKERS", 0)})
	took := time.Since(t0)
	if err != nil {
		b.Fatal(err)
	}
	if sum.Rejected != len(bad) || sum.Created != n-len(bad) {
		b.Fatalf("import: %s; want %d created, %d rejected", sum, n-len(bad), len(bad))
	}
	for _, r := range sum.Rejections {
		if !bad[r.Line] || !strings.Contains(r.Reason, "name") {
			b.Fatalf("rejection %+v: not a line without a name", r)
		}
	}
	rate := float64(sum.Lines) / took.Seconds()
	fmt.Printf("\nimport candidates: %d lines (%d rejected) in %.1f s: %.0f lines/s (target >= 2,000)\n\n", sum.Lines, sum.Rejected, took.Seconds(), rate)
	b.ReportMetric(rate, "lines/s")
}
