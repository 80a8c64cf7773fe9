package importer_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/importer"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

const knownSkill = "http://data.europa.eu/esco/skill/known"

type vocab struct{}

func (vocab) OccupationExists(uri string) bool { return false }
func (vocab) SkillExists(uri string) bool      { return uri == knownSkill }

// noResolver resolves nothing: free text stays free text.
type noResolver struct{}

func (noResolver) ResolveSkill(context.Context, string, string) (string, bool)      { return "", false }
func (noResolver) ResolveOccupation(context.Context, string, string) (string, bool) { return "", false }

func mustService(tb testing.TB) (*postgres.DB, *profile.Service, context.Context) {
	tb.Helper()
	db := dbtest.NewDB(tb)
	svc := profile.New(db, profile.WithVocabulary(vocab{}), profile.WithResolver(noResolver{}))
	ctx := tsunagu.NewContextWithUser(context.Background(), &tsunagu.User{Role: tsunagu.RoleAdmin})
	return db, svc, ctx
}

func mustImport(tb testing.TB, ctx context.Context, svc *profile.Service, kind, input string) *importer.Summary {
	tb.Helper()
	sum, err := importer.Import(ctx, strings.NewReader(input), kind, importer.Options{Candidates: svc, Roles: svc})
	if err != nil {
		tb.Fatalf("import: %v", err)
	}
	return sum
}

func count(tb testing.TB, db *postgres.DB, q string) int {
	tb.Helper()
	var n int
	if err := db.Get(&n, q); err != nil {
		tb.Fatal(err)
	}
	return n
}

func rejectedLines(sum *importer.Summary) map[int]string {
	m := map[int]string{}
	for _, r := range sum.Rejections {
		m[r.Line] = r.Reason
	}
	return m
}

const goodCandidates = `{"id": "cand-1", "name": "Amina K.", "headline": "Bookkeeper", "location": {"country": "JP", "prefecture": "Tokyo"}, "willing_to_relocate": false, "work_history": [{"title": "Senior accountant", "years": 6}], "skills": [{"label": "financial reporting"}, {"label": "MS Excel", "esco_uri": "http://data.europa.eu/esco/skill/known"}], "languages": [{"code": "ja", "level": "N3"}, {"code": "fa", "level": "native"}], "education": [{"level": "bachelor", "field": "Accounting"}]}
{"id": "cand-2", "name": "Yusuf F.", "headline": "Welder", "location": {"country": "JP", "prefecture": "Aichi"}, "skills": [{"label": "welding"}], "languages": [{"code": "ar", "level": "native"}]}
`

func TestImportCandidates(t *testing.T) {
	t.Run("OKImportTwiceChangesNothing", func(t *testing.T) {
		db, svc, ctx := mustService(t)
		sum := mustImport(t, ctx, svc, importer.KindCandidates, goodCandidates)
		if got, want := sum.Created, 2; got != want {
			t.Errorf("Created = %d, want %d (%+v)", got, want, sum.Rejections)
		}
		logBefore := count(t, db, `SELECT count(*) FROM change_log`)
		var updatedBefore string
		db.Get(&updatedBefore, `SELECT max(updated_at)::text FROM candidates`)
		sum = mustImport(t, ctx, svc, importer.KindCandidates, goodCandidates)
		if got, want := sum.Unchanged, 2; got != want {
			t.Errorf("second import Unchanged = %d, want %d (%+v)", got, want, sum)
		}
		if got, want := count(t, db, `SELECT count(*) FROM change_log`), logBefore; got != want {
			t.Errorf("change_log rows = %d, want %d", got, want)
		}
		var updatedAfter string
		db.Get(&updatedAfter, `SELECT max(updated_at)::text FROM candidates`)
		if updatedAfter != updatedBefore {
			t.Errorf("updated_at moved: %s -> %s", updatedBefore, updatedAfter)
		}
		c, err := db.CandidateByExternalID(ctx, "cand-1")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.Skills[0].Label, "financial reporting"; got != want {
			t.Errorf("Skills[0].Label = %q, want %q", got, want)
		}
		if got, want := c.Visibility, importer.DefaultVisibility; got != want {
			t.Errorf("Visibility = %q, want %q", got, want)
		}
	})
	t.Run("OKReimportKeepsWhatTheLineDoesNotSay", func(t *testing.T) {
		db, svc, ctx := mustService(t)
		mustImport(t, ctx, svc, importer.KindCandidates, goodCandidates)
		c, _ := db.CandidateByExternalID(ctx, "cand-2")
		c.Email, c.Nationality, c.Visibility = "yusuf@example.org", "SY", tsunagu.VisibilityCompanies
		if err := svc.SaveCandidate(ctx, c); err != nil {
			t.Fatal(err)
		}
		sum := mustImport(t, ctx, svc, importer.KindCandidates, strings.Replace(goodCandidates, `"Welder"`, `"Welder (TIG)"`, 1))
		if sum.Updated != 1 || sum.Unchanged != 1 {
			t.Errorf("summary = %+v, want 1 updated and 1 unchanged", sum)
		}
		c, _ = db.CandidateByExternalID(ctx, "cand-2")
		if c.Headline != "Welder (TIG)" || c.Email != "yusuf@example.org" || c.Nationality != "SY" || c.Visibility != tsunagu.VisibilityCompanies {
			t.Errorf("after reimport: %+v", c)
		}
	})
	t.Run("BadLinesRejectedGoodLinesImported", func(t *testing.T) {
		db, svc, ctx := mustService(t)
		input := strings.Join([]string{
			`{"id": "ok-1", "name": "A", "languages": [{"code": "ja", "level": "N2"}]}`,
			"{\"id\": \"bad-utf8\", \"name\": \"B\xff\xfe\"}",
			`{"id": "no-name"}`,
			`{"id": "bad-uri", "name": "C", "skills": [{"label": "x", "esco_uri": "http://data.europa.eu/esco/skill/unknown"}]}`,
			``,
			`{"id": "bad-level", "name": "D", "languages": [{"code": "ja", "level": "C3"}]}`,
			`not json at all`,
			`{"id": "ok-2", "name": "E", "unknown_field": [1, 2, 3]}`,
		}, "\n")
		sum := mustImport(t, ctx, svc, importer.KindCandidates, input)
		rej := rejectedLines(sum)
		for line, want := range map[int]string{
			2: "invalid UTF-8",
			3: "name: required",
			4: "not a known ESCO skill",
			6: "languages[0].level",
			7: "not a JSON object",
		} {
			if !strings.Contains(rej[line], want) {
				t.Errorf("line %d: reason %q, want it to contain %q", line, rej[line], want)
			}
		}
		if got, want := sum.Rejected, 5; got != want {
			t.Errorf("Rejected = %d, want %d: %v", got, want, rej)
		}
		if got, want := sum.Created, 2; got != want {
			t.Errorf("Created = %d, want %d", got, want)
		}
		if got, want := sum.Lines, 7; got != want {
			t.Errorf("Lines = %d, want %d (blank line skipped)", got, want)
		}
		if got, want := count(t, db, `SELECT count(*) FROM candidates`), 2; got != want {
			t.Errorf("candidates = %d, want %d", got, want)
		}
		if got := rejectedIDs(sum)[4]; got != "bad-uri" {
			t.Errorf("line 4 id = %q, want bad-uri", got)
		}
	})
	t.Run("TenMegabyteLineRejected", func(t *testing.T) {
		db, svc, ctx := mustService(t)
		var b bytes.Buffer
		b.WriteString(`{"id": "ok-1", "name": "A"}` + "\n")
		b.WriteString(`{"id": "huge", "name": "` + strings.Repeat("x", 10<<20) + `"}` + "\n")
		b.WriteString(`{"id": "ok-2", "name": "B"}`) // no final newline
		sum, err := importer.Import(ctx, &b, importer.KindCandidates, importer.Options{Candidates: svc})
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		if got := rejectedLines(sum)[2]; !strings.Contains(got, "longer than") {
			t.Errorf("line 2 reason = %q, want too long", got)
		}
		if got, want := sum.Created, 2; got != want {
			t.Errorf("Created = %d, want %d", got, want)
		}
		if got, want := count(t, db, `SELECT count(*) FROM candidates`), 2; got != want {
			t.Errorf("candidates = %d, want %d", got, want)
		}
	})
	t.Run("DuplicateIDsLastWins", func(t *testing.T) {
		db, svc, ctx := mustService(t)
		input := `{"id": "dup", "name": "First"}
{"id": "other", "name": "Other"}
{"id": "dup", "name": "Last"}
`
		sum := mustImport(t, ctx, svc, importer.KindCandidates, input)
		if got, want := len(sum.Duplicates), 1; got != want {
			t.Fatalf("Duplicates = %v, want one", sum.Duplicates)
		}
		if d := sum.Duplicates[0]; d.ID != "dup" || len(d.Lines) != 2 || d.Lines[0] != 1 || d.Lines[1] != 3 {
			t.Errorf("Duplicates[0] = %+v, want dup on lines 1 and 3", d)
		}
		c, err := db.CandidateByExternalID(ctx, "dup")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.Name, "Last"; got != want {
			t.Errorf("Name = %q, want %q", got, want)
		}
		if got, want := count(t, db, `SELECT count(*) FROM candidates`), 2; got != want {
			t.Errorf("candidates = %d, want %d", got, want)
		}
	})
	t.Run("ErrNotAllowed", func(t *testing.T) {
		_, svc, _ := mustService(t)
		ctx := tsunagu.NewContextWithUser(context.Background(), &tsunagu.User{ID: 9, Role: tsunagu.RoleCompany})
		_, err := importer.Import(ctx, strings.NewReader(goodCandidates), importer.KindCandidates, importer.Options{Candidates: svc})
		if got, want := tsunagu.ErrorCode(err), tsunagu.EFORBIDDEN; got != want {
			t.Errorf("code = %q, want %q (err %v)", got, want, err)
		}
	})
	t.Run("ProgressReported", func(t *testing.T) {
		_, svc, ctx := mustService(t)
		var progress bytes.Buffer
		var b strings.Builder
		for i := 0; i < 25; i++ {
			b.WriteString(`{"id": "p-` + string(rune('a'+i)) + `", "name": "P"}` + "\n")
		}
		_, err := importer.Import(ctx, strings.NewReader(b.String()), importer.KindCandidates, importer.Options{Candidates: svc, Progress: &progress, ProgressEvery: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Count(progress.String(), "\n"), 2; got != want {
			t.Errorf("progress lines = %d, want %d:\n%s", got, want, progress.String())
		}
	})
}

func rejectedIDs(sum *importer.Summary) map[int]string {
	m := map[int]string{}
	for _, r := range sum.Rejections {
		m[r.Line] = r.ID
	}
	return m
}

func TestImportRoles(t *testing.T) {
	db, svc, ctx := mustService(t)
	input := `{"id": "role-1", "company": "Sakura Logistics", "title": "Accounting staff", "description": "", "location": {"country": "JP", "prefecture": "Tokyo"}, "workplace": "onsite", "required_skills": [{"label": "bookkeeping"}], "preferred_skills": [{"label": "accounting software"}], "languages": [{"code": "ja", "level": "N2"}]}
{"id": "role-2", "company": "sakura logistics", "title": "Driver", "workplace": "onsite"}
{"id": "role-3", "company": "Fuji Foods", "title": "Line worker", "workplace": "on the moon"}
{"id": "role-4", "title": "Orphan", "workplace": "remote"}
`
	sum := mustImport(t, ctx, svc, importer.KindRoles, input)
	if got, want := sum.Created, 2; got != want {
		t.Errorf("Created = %d, want %d (%+v)", got, want, sum.Rejections)
	}
	rej := rejectedLines(sum)
	if !strings.Contains(rej[3], "workplace") || !strings.Contains(rej[4], "company") {
		t.Errorf("rejections = %v", rej)
	}
	if got, want := count(t, db, `SELECT count(*) FROM companies`), 1; got != want {
		t.Errorf("companies = %d, want %d (same name in another case is one company; a rejected line creates none)", got, want)
	}
	r, err := db.RoleByExternalID(ctx, "role-1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != tsunagu.RoleOpen || r.JapaneseLevel() != "N2" || len(r.RequiredSkills) != 1 || len(r.PreferredSkills) != 1 {
		t.Errorf("role = %+v", r)
	}
	sum = mustImport(t, ctx, svc, importer.KindRoles, input)
	if got, want := sum.Unchanged, 2; got != want {
		t.Errorf("second import Unchanged = %d, want %d", got, want)
	}
}
