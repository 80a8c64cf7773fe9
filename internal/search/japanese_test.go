package search

import (
	"context"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func terms(tb testing.TB, analyzer, s string) []string {
	tb.Helper()
	a, err := registry.NewCache().AnalyzerNamed(analyzer)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, t := range a.Analyze([]byte(s)) {
		out = append(out, string(t.Term))
	}
	return out
}

func TestJapaneseAnalyzer(t *testing.T) {
	for _, c := range []struct {
		text      string
		want, not []string
	}{
		{"ソフトウェアの開発を担当しました", []string{"ソフトウェア", "開発", "担当"}, []string{"の", "を", "し", "する", "まし", "た"}},
		{"東京都に住んでいます", []string{"東京", "都", "住む"}, []string{"京都", "に", "住ん", "いる"}},
		{"Ｅｘｃｅｌで集計しました", []string{"excel", "集計"}, []string{"Ｅｘｃｅｌ", "で"}},
		{"日本語能力試験N2", []string{"日本語", "能力", "試験", "n", "2"}, nil},
		{"N2 level", []string{"n", "2", "level"}, nil}, // ASCII: no dictionary needed, split as kagome would
		{"チームのteam's rehearsals", []string{"チーム", "team", "s", "rehearsals"}, []string{"'", "の"}},
	} {
		got := terms(t, japaneseAnalyzer, c.text)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: terms %q lack %q", c.text, got, w)
			}
		}
		for _, n := range c.not {
			if slices.Contains(got, n) {
				t.Errorf("%s: terms %q hold %q", c.text, got, n)
			}
		}
	}
	// The bigrams it replaces read 京都 (Kyoto) inside 東京都 (Tokyo).
	if got := terms(t, cjk.AnalyzerName, "東京都に住んでいます"); !slices.Contains(got, "京都") {
		t.Errorf("CJK bigrams of 東京都 = %q; the case this guards against is gone", got)
	}
}

func TestJapaneseSearch(t *testing.T) {
	ctx := context.Background()
	r := mustResolver(t)
	f := mustFixture(t, r)
	dev := candidate(1, f.occ.Labels["en"], refs(f.skills[:2]...))
	dev.Summary, dev.Locale = "ソフトウェアの開発を担当しました", "ja"
	tokyo := candidate(2, f.occ.Labels["en"], refs(f.skills[2:4]...))
	tokyo.Summary, tokyo.Locale = "東京都で経理を担当しました", "ja"
	english := candidate(3, f.occ.Labels["en"], refs(f.skills[:3]...))
	english.Summary = "Developed software for a logistics company"
	cands := []*tsunagu.Candidate{dev, tokyo, english}

	search := func(t *testing.T, e *Engine, q string) []int64 {
		t.Helper()
		hits, err := e.SearchCandidates(ctx, q, Filters{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, h := range hits {
			out = append(out, h.CandidateID)
		}
		return out
	}
	built, err := buildIndex(ctx, r, t.TempDir()+"/idx", Records{Candidates: cands}, false)
	if err != nil {
		t.Fatal(err)
	}
	bulk := newEngine(r, built.idx)
	t.Cleanup(func() { bulk.Close() })
	for name, e := range map[string]*Engine{"Applied": mustEngine(t, cands, nil), "Built": bulk} {
		t.Run(name, func(t *testing.T) {
			for _, c := range []struct {
				q    string
				want []int64
			}{
				{"開発", []int64{1}},
				{"ソフトウェア開発", []int64{1}},
				{"東京", []int64{2}},
				{"京都", nil}, // a bigram of 東京都, not a word of it
				{"経理", []int64{2}},
			} {
				if got := search(t, e, c.q); !slices.Equal(got, c.want) {
					t.Errorf("search %q = %v, want %v", c.q, got, c.want)
				}
			}
		})
	}
}
