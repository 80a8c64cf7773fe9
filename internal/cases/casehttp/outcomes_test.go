package casehttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
)

// TestOutcomesPeriodAndProgramme crafts three people and checks that the
// period and the programme change the figures, on the API, the page and
// the downloads, with days read in Japan time.
//
//	A: case opened 2026-01-10, hired 2026-02-15 into their expertise, in programme P
//	B: case opened 2026-05-10, hired 2026-06-01
//	C: case opened 2026-05-20 00:30 Japan time (2026-05-19 in UTC), in programme P
func TestOutcomesPeriodAndProgramme(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var co, role, prog, cohort int64
	must(db.GetContext(ctx, &co, `INSERT INTO companies (name) VALUES ('Outcome Test KK') RETURNING id`))
	must(db.GetContext(ctx, &role, `INSERT INTO roles (company_id, title, workplace, status) VALUES ($1, 'Clerk', 'onsite', 'open') RETURNING id`, co))
	must(db.GetContext(ctx, &prog, `INSERT INTO training_programmes (title_en, kind, format, capacity) VALUES ('Bookkeeping P', 'hard', 'online', 10) RETURNING id`))
	must(db.GetContext(ctx, &cohort, `INSERT INTO training_cohorts (programme_id, name, starts_on, ends_on, capacity) VALUES ($1, 'P-1', '2026-01-05', '2026-03-01', 10) RETURNING id`, prog))
	person := func(name, opened string, inP bool) (cand, kase int64) {
		t.Helper()
		must(db.GetContext(ctx, &cand, `INSERT INTO candidates (name) VALUES ($1) RETURNING id`, name))
		must(db.GetContext(ctx, &kase, `INSERT INTO cases (candidate_id, created_at, stage_since) VALUES ($1, $2, $2) RETURNING id`, cand, opened))
		if inP {
			_, err := db.ExecContext(ctx, `INSERT INTO training_enrolments (cohort_id, candidate_id, status, seated_at) VALUES ($1, $2, 'enrolled', $3)`, cohort, cand, opened)
			must(err)
		}
		return cand, kase
	}
	hire := func(cand, kase int64, at string, expertise bool) {
		t.Helper()
		_, err := db.ExecContext(ctx, `INSERT INTO introductions (case_id, candidate_id, role_id, company_id, stage, hired_at, uses_expertise)
			VALUES ($1, $2, $3, $4, 'hired', $5, $6)`, kase, cand, role, co, at, expertise)
		must(err)
	}
	a, ka := person("Outcome A", "2026-01-10 10:00+09", true)
	hire(a, ka, "2026-02-15 10:00+09", true)
	b, kb := person("Outcome B", "2026-05-10 10:00+09", false)
	hire(b, kb, "2026-06-01 10:00+09", false)
	person("Outcome C", "2026-05-20 00:30+09", true)

	coord := env.ClientFor(t)
	coord.SignInDemo("coordinator")
	coord.SetLanguage("en")
	type figures struct {
		Connected int `json:"people_connected"`
		Hired     int `json:"hired_total"`
		Expertise int `json:"hired_using_expertise"`
	}
	for _, tc := range []struct {
		query string
		want  figures
	}{
		{"", figures{3, 2, 1}},
		{"?from=2026-01-01&to=2026-03-31", figures{1, 1, 1}},
		{"?from=2026-04-01", figures{2, 1, 0}},
		// The last day is included, in Japan time: C opened on the 20th.
		{"?from=2026-04-01&to=2026-05-19", figures{1, 0, 0}},
		{"?from=2026-04-01&to=2026-05-20", figures{2, 0, 0}},
		{"?programme=" + itoa(prog), figures{2, 1, 1}},
		{"?programme=" + itoa(prog) + "&from=2026-04-01", figures{1, 0, 0}},
	} {
		r := coord.Get("/api/v1/outcomes" + tc.query)
		mustStatus(t, r, http.StatusOK, "outcomes "+tc.query)
		var got figures
		must(json.Unmarshal([]byte(r.Body), &got))
		if got != tc.want {
			t.Errorf("outcomes%s = %+v, want %+v", tc.query, got, tc.want)
		}
	}

	t.Run("Page", func(t *testing.T) {
		r := coord.Get("/coordinator/outcomes?from=2026-04-01&to=2026-05-19")
		mustStatus(t, r, http.StatusOK, "outcomes page")
		for _, want := range []string{`value="2026-04-01"`, `href="/coordinator/outcomes/csv/headline?from=2026-04-01&amp;to=2026-05-19"`,
			`href="/coordinator/outcomes/xlsx/funnel?from=2026-04-01&amp;to=2026-05-19"`, "Bookkeeping P"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("outcomes page lacks %s", want)
			}
		}
	})

	t.Run("CSVWithBOM", func(t *testing.T) {
		r := coord.Get("/coordinator/outcomes/csv/headline?from=2026-01-01&to=2026-03-31")
		mustStatus(t, r, http.StatusOK, "csv")
		if !strings.HasPrefix(r.Body, "\ufefffigure,value\n") || !strings.Contains(r.Body, "\npeople_connected,1\n") {
			t.Errorf("csv:\n%q", r.Body)
		}
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="tsunagu-headline-2026-01-01_2026-03-31.csv"` {
			t.Errorf("Content-Disposition %q", cd)
		}
	})

	t.Run("XLSX", func(t *testing.T) {
		r := coord.Get("/coordinator/outcomes/xlsx/headline?programme=" + itoa(prog))
		mustStatus(t, r, http.StatusOK, "xlsx")
		if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, `tsunagu-headline-programme-`+itoa(prog)+`.xlsx`) {
			t.Errorf("Content-Disposition %q", cd)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(r.Body)))
		if err != nil {
			t.Fatalf("not a workbook: %v", err)
		}
		defer f.Close()
		rows, err := f.GetRows("Sheet1")
		must(err)
		if len(rows) < 2 || strings.Join(rows[0], ",") != "figure,value" || strings.Join(rows[1], ",") != "people_connected,2" {
			t.Errorf("rows = %q", rows)
		}
		if typ, _ := f.GetCellType("Sheet1", "B2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("B2 is %v, want a number", typ)
		}
	})

	t.Run("BadFilter", func(t *testing.T) {
		for q, field := range map[string]string{
			"?from=2026-02-30":                  "from",
			"?from=2026-05-01&to=2026-04-01":    "to",
			"?programme=abc":                    "programme",
			"?programme=99999":                  "programme",
			"?to=%E2%80%AE2026-01-01":           "to",
			"?from=" + strings.Repeat("9", 500): "from",
		} {
			r := coord.Get("/api/v1/outcomes" + q)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"`+field+`"`) {
				t.Errorf("outcomes%s: %d %s, want 422 on %s", q, r.Status, r.Body, field)
			}
			p := coord.Get("/coordinator/outcomes" + q)
			if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `id="`+field+`-error"`) {
				t.Errorf("page%s: %d, want 422 with the error on %s", q, p.Status, field)
			}
		}
		if r := coord.Get("/coordinator/outcomes/pdf/headline"); r.Status != http.StatusNotFound {
			t.Errorf("pdf: %d, want 404", r.Status)
		}
	})

	t.Run("CompanyRefused", func(t *testing.T) {
		comp := env.ClientFor(t)
		comp.SignInDemo("company")
		for _, p := range []string{"/coordinator/outcomes/xlsx/headline", "/api/v1/outcomes?from=2026-01-01"} {
			if r := comp.Get(p); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
				t.Errorf("company %s: %d", p, r.Status)
			}
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestCaseExport downloads the case board as CSV (with a byte order mark)
// and XLSX, with the board's filters, times in Japan time.
func TestCaseExport(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	for _, p := range []struct{ name, stage, opened string }{
		{"Case Export Hamid", "intake", "2026-03-31 23:30+00"},
		{"Case Export Olena", "training", "2026-04-02 10:00+09"},
	} {
		var cand int64
		if err := db.GetContext(ctx, &cand, `INSERT INTO candidates (name, headline) VALUES ($1, 'Welder') RETURNING id`, p.name); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO cases (candidate_id, stage, created_at, stage_since) VALUES ($1, $2, $3, $3)`, cand, p.stage, p.opened); err != nil {
			t.Fatal(err)
		}
	}
	coord := env.ClientFor(t)
	coord.SignInDemo("coordinator")
	coord.SetLanguage("en")
	if b := coord.Get("/coordinator/cases?stage=intake"); !strings.Contains(b.Body, `href="/coordinator/cases/export/csv?stage=intake"`) {
		t.Error("the board does not link its export with its filter")
	}
	r := coord.Get("/coordinator/cases/export/csv?stage=intake")
	mustStatus(t, r, http.StatusOK, "csv")
	body, ok := strings.CutPrefix(r.Body, "\ufeff")
	if !ok || !strings.HasPrefix(body, "case_id,candidate_id,candidate_name,") {
		t.Fatalf("csv:\n%q", r.Body)
	}
	// 23:30 UTC on 31 March is 08:30 on 1 April in Japan.
	if !strings.Contains(body, "Case Export Hamid,Welder,intake,Intake,,not_started,,2026-04-01 08:30") || strings.Contains(body, "Olena") {
		t.Errorf("csv:\n%s", body)
	}
	x := coord.Get("/coordinator/cases/export/xlsx")
	f, err := excelize.OpenReader(strings.NewReader(x.Body))
	if err != nil {
		t.Fatalf("xlsx: %d %v", x.Status, err)
	}
	defer f.Close()
	if rows, _ := f.GetRows("Sheet1"); len(rows) != 3 {
		t.Errorf("xlsx rows %q", rows)
	}
	comp := env.ClientFor(t)
	comp.SignInDemo("company")
	if r := comp.Get("/coordinator/cases/export/csv"); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
		t.Errorf("company: %d", r.Status)
	}
}
