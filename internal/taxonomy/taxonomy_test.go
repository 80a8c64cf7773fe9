package taxonomy

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	uriSoftwareDeveloper = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
	uriSpreadsheets      = "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be"
)

func mustLoad(tb testing.TB) *Taxonomy {
	tb.Helper()
	t, err := Load()
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func TestLoad(t *testing.T) {
	start := time.Now()
	tx := mustLoad(t)
	t.Logf("Load: %v", time.Since(start)) // a benchmark figure, not a check
	if got, want := len(tx.Occupations()), 3007; got != want {
		t.Errorf("occupations = %d, want %d", got, want)
	}
	if got, want := len(tx.Skills()), 13896; got != want {
		t.Errorf("skills = %d, want %d", got, want)
	}
	t.Run("OK", func(t *testing.T) {
		c, ok := tx.Occupation(uriSoftwareDeveloper)
		if !ok {
			t.Fatal("software developer not found")
		}
		if got, want := tx.Label(c, "en"), "software developer"; got != want {
			t.Errorf("label = %q, want %q", got, want)
		}
		if got, want := c.ISCOGroup, "2512"; got != want {
			t.Errorf("ISCO = %q, want %q", got, want)
		}
		if len(c.AltLabels) == 0 {
			t.Error("no alternative labels")
		}
		ess, opt := tx.OccupationSkills(c.URI)
		if len(ess) == 0 || len(opt) == 0 {
			t.Errorf("skills: %d essential, %d optional", len(ess), len(opt))
		}
		for _, u := range ess {
			if _, ok := tx.Skill(u); !ok {
				t.Fatalf("essential skill %s not found", u)
			}
		}
	})
	t.Run("Arabic", func(t *testing.T) {
		c, _ := tx.Occupation(uriSoftwareDeveloper)
		ar := tx.Label(c, "ar")
		if ar == "" || ar == c.Labels["en"] || !strings.ContainsRune(ar, 'م') {
			t.Errorf("Arabic label = %q", ar)
		}
		if got := tx.Label(c, "fr"); got != c.Labels["en"] {
			t.Errorf("fr falls back to %q, want English", got)
		}
	})
	t.Run("SkillHierarchy", func(t *testing.T) {
		c, ok := tx.Skill(uriSpreadsheets)
		if !ok {
			t.Fatal("spreadsheets skill not found")
		}
		if c.SkillType == "" || c.ReuseLevel == "" || len(c.Broader) == 0 {
			t.Errorf("skill = %+v", c)
		}
		if anc := tx.Ancestors(c); len(anc) == 0 {
			t.Error("no ancestors")
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, ok := tx.Occupation(uriSpreadsheets); ok {
			t.Error("a skill URI resolved as an occupation")
		}
		if _, ok := tx.Skill("http://example.com/nope"); ok {
			t.Error("unknown URI resolved")
		}
	})
}

func TestOccupations(t *testing.T) {
	n := testNormalizer(t)
	ctx := context.Background()
	for _, tc := range []struct{ name, q, want string }{
		{"Seniority", "Sr. Java developer", "software developer"},
		{"Abbreviation", "jr software dev", "software developer"},
		{"Typo", "sofware develper", "software developer"},
		{"GenderMark", "Softwareentwickler / Software Developer (m/w/d)", "software developer"},
		{"AltLabel", "bookkeeping clerk", "bookkeeper"},
		{"Plural", "accountants", "accountant"},
		{"Malay", "Pemandu Lori", "cargo vehicle driver"},
		{"Tool", "ServiceNow Developer", "software developer"},
		{"MixedScript", "Lorry Driver 【急聘】", "cargo vehicle driver"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := n.Occupations(ctx, tc.q, "en", 5)
			if err != nil {
				t.Fatal(err)
			}
			if !hasLabel(res, tc.want) {
				t.Errorf("%q: %v, want %q among them", tc.q, labels(res), tc.want)
			}
		})
	}
	t.Run("Long", func(t *testing.T) {
		q := strings.Repeat("experienced software developer with many skills ", 200)
		if _, err := n.Occupations(ctx, q, "en", 5); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		res, err := n.Occupations(ctx, "  ", "en", 5)
		if err != nil || len(res) != 0 {
			t.Errorf("got %v, %v; want nothing", res, err)
		}
	})
	t.Run("ArabicLabels", func(t *testing.T) {
		res, err := n.Occupations(ctx, "software developer", "ar", 1)
		if err != nil || len(res) == 0 {
			t.Fatalf("got %v, %v", res, err)
		}
		if script(res[0].Label) != "ar" {
			t.Errorf("label %q is not Arabic", res[0].Label)
		}
	})
	t.Run("ArabicQuery", func(t *testing.T) {
		c, _ := n.t.Occupation(uriSoftwareDeveloper)
		res, err := n.Occupations(ctx, c.Labels["ar"], "ar", 5)
		if err != nil {
			t.Fatal(err)
		}
		if !hasURI(res, uriSoftwareDeveloper) {
			t.Errorf("Arabic query %q: %v", c.Labels["ar"], labels(res))
		}
	})
}

func TestSkills(t *testing.T) {
	n := testNormalizer(t)
	ctx := context.Background()
	for _, tc := range []struct{ name, q, wantURI string }{
		{"ONetTechnology", "MS Excel", uriSpreadsheets},
		{"ONetTechnologyFull", "Microsoft Excel", uriSpreadsheets},
		{"Preferred", "use spreadsheets software", uriSpreadsheets},
		{"Typo", "spreadsheats", uriSpreadsheets},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := n.Skills(ctx, tc.q, "en", 5)
			if err != nil {
				t.Fatal(err)
			}
			if !hasURI(res, tc.wantURI) {
				t.Errorf("%q: %v", tc.q, labels(res))
			}
		})
	}
	t.Run("ProgrammingLanguage", func(t *testing.T) {
		res, err := n.Skills(ctx, "C#", "en", 3)
		if err != nil || len(res) == 0 {
			t.Fatalf("got %v, %v", res, err)
		}
		if got := res[0].Label; got != "C#" {
			t.Errorf("C# -> %v", labels(res))
		}
	})
	t.Run("Prefix", func(t *testing.T) {
		res, err := n.Skills(ctx, "spreadsh", "en", 10)
		if err != nil {
			t.Fatal(err)
		}
		if !hasURI(res, uriSpreadsheets) {
			t.Errorf("prefix: %v", labels(res))
		}
	})
}

func TestJapanese(t *testing.T) {
	n := testNormalizer(t)
	ctx := context.Background()
	// Take a concept that has a Japanese label, whichever the data holds.
	var c *Concept
	for _, o := range n.t.Occupations() {
		if o.Labels["ja"] != "" {
			c = o
			break
		}
	}
	if c == nil {
		t.Skip("no Japanese labels in the data")
	}
	ja := c.Labels["ja"]
	res, err := n.Occupations(ctx, ja, "ja", 5)
	if err != nil {
		t.Fatal(err)
	}
	if !hasURI(res, c.URI) {
		t.Errorf("%q: %v, want %s", ja, labels(res), c.URI)
	}
	if len(res) > 0 && res[0].URI == c.URI && res[0].Label != ja {
		t.Errorf("label = %q, want %q", res[0].Label, ja)
	}
	// A partial query (the first characters typed) still finds it.
	if r := []rune(ja); len(r) >= 4 {
		res, err := n.Occupations(ctx, string(r[:len(r)-1]), "ja", 10)
		if err != nil {
			t.Fatal(err)
		}
		if !hasURI(res, c.URI) {
			t.Errorf("partial %q: %v", string(r[:len(r)-1]), labels(res))
		}
	}
}

func TestIndexReopen(t *testing.T) {
	tx := mustLoad(t)
	dir := t.TempDir()
	if testing.Short() {
		t.Skip("builds a second index")
	}
	// A build whose context has ended (a server stopping during its first
	// run) gives up with that error and leaves no stamped index behind.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if n, err := OpenNormalizerContext(ctx, dir, tx); !errors.Is(err, context.Canceled) || n != nil {
		t.Fatalf("cancelled open: %v, %v; want context.Canceled", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "taxonomy-occupation.version")); !os.IsNotExist(err) {
		t.Errorf("a cancelled build left a version stamp: %v", err)
	}
	n, err := OpenNormalizer(dir, tx)
	if err != nil {
		t.Fatal(err)
	}
	n.Close()
	path := filepath.Join(dir, "taxonomy-occupation.bleve")
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err = OpenNormalizer(dir, tx)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Error("the index was rebuilt instead of reused")
	}
	res, err := n.Occupations(context.Background(), "software developer", "en", 1)
	if err != nil || len(res) == 0 || res[0].URI != uriSoftwareDeveloper {
		t.Errorf("after reopen: %v, %v", res, err)
	}
	n.Close()
	// An index stamped with another data version is rebuilt.
	if err := os.WriteFile(filepath.Join(dir, "taxonomy-occupation.version"), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	n, err = OpenNormalizer(dir, tx)
	if err != nil {
		t.Fatal(err)
	}
	rebuilt, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(after, rebuilt) {
		t.Error("an index of another version was reused")
	}
	if err := n.Close(); err != nil {
		t.Error(err)
	}
}

func TestPrepareQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Sr. Java Dev (m/w/d)", "java developer"},
		{"Asst. Mgr", "assistant manager"},
		{"Intern", "intern"},
		{"Exec Eng - Urgent!", "executive engineer"},
		{"C# developer", "csharp developer"},
		{"Tukang Jahit dan Kerani", "tailor clerk"},
		{"Marketing Executive (Intern)", "marketing executive assistant"},
	} {
		var got []string
		for _, t := range prepareQuery(tc.in, true) {
			got = append(got, t.raw)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("prepareQuery(%q) = %q, want %q", tc.in, strings.Join(got, " "), tc.want)
		}
	}
}

func BenchmarkSuggest(b *testing.B) {
	n := testNormalizer(b)
	ctx := context.Background()
	// What a user types, keystroke by keystroke.
	var qs []string
	for _, full := range []string{"software developer", "accountant", "nurse", "warehouse worker", "Sr. Java dev"} {
		for i := 3; i <= len(full); i++ {
			qs = append(qs, full[:i])
		}
	}
	b.ResetTimer()
	var worst time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := n.Occupations(ctx, qs[i%len(qs)], "en", 10); err != nil {
			b.Fatal(err)
		}
		if d := time.Since(start); d > worst {
			worst = d
		}
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
}

func BenchmarkSuggestSkills(b *testing.B) {
	n := testNormalizer(b)
	ctx := context.Background()
	qs := []string{"ex", "exc", "excel", "proj", "project man", "project management", "jav", "java", "custo", "customer service"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := n.Skills(ctx, qs[i%len(qs)], "en", 10); err != nil {
			b.Fatal(err)
		}
	}
}

func hasLabel(res []Result, label string) bool {
	for _, r := range res {
		if r.Label == label {
			return true
		}
	}
	return false
}

func hasURI(res []Result, uri string) bool {
	for _, r := range res {
		if r.URI == uri {
			return true
		}
	}
	return false
}

func labels(res []Result) []string {
	var out []string
	for _, r := range res {
		out = append(out, r.Label+" <"+r.Matched+">")
	}
	return out
}
