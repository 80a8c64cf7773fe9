package profilehttp_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/importer"
)

// TestImportTemplate downloads the candidate spreadsheet template in
// Japanese and English: UTF-8 with a byte order mark, every column labelled
// in the language with its name in brackets, and an example row. Saved by
// Excel in Shift-JIS and uploaded unchanged, it previews with its one row
// accepted.
func TestImportTemplate(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	co := env.Client()
	co.SignInDemo("coordinator")
	for lang, first := range map[string]string{"ja": "管理ID (id)", "en": "Record ID (id)"} {
		t.Run(lang, func(t *testing.T) {
			r := co.Get("/coordinator/import/template.csv?lang=" + lang)
			if r.Status != http.StatusOK {
				t.Fatalf("status %d", r.Status)
			}
			if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, `tsunagu-candidates-template-`+lang+`.csv`) {
				t.Errorf("Content-Disposition %q", cd)
			}
			body, ok := strings.CutPrefix(r.Body, "\ufeff")
			if !ok {
				t.Fatal("no byte order mark")
			}
			rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil || len(rows) != 2 {
				t.Fatalf("rows %q, %v", rows, err)
			}
			if rows[0][0] != first {
				t.Errorf("first header %q, want %q", rows[0][0], first)
			}
			for i, col := range importer.CSVColumns {
				if importer.ColumnName(rows[0][i]) != col || rows[0][i] == col {
					t.Errorf("header %d = %q, want a label and (%s)", i, rows[0][i], col)
				}
			}
			if lang == "ja" && !strings.Contains(body, "氏名 (name)") {
				t.Errorf("Japanese header lacks 氏名 (name): %q", rows[0])
			}

			sjis, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			r = uploadCSV(t, co, "template-"+lang+".csv", sjis)
			if r.Status != http.StatusOK {
				t.Fatalf("preview: status %d\n%s", r.Status, r.Body)
			}
			var job struct {
				Total    int `db:"total"`
				Rejected int `db:"rejected"`
			}
			if err := env.App.DB.GetContext(context.Background(), &job, `SELECT total, rejected FROM import_jobs WHERE filename = $1`, "template-"+lang+".csv"); err != nil {
				t.Fatal(err)
			}
			if job.Total != 1 || job.Rejected != 0 {
				t.Errorf("preview of the template: %+v, want its example row accepted", job)
			}
		})
	}
	if r := co.Get("/coordinator/import"); !strings.Contains(r.Body, `href="/coordinator/import/template.csv?lang=ja"`) {
		t.Error("the import page does not offer the template")
	}
	comp := env.Client()
	comp.SignInDemo("company")
	if r := comp.Get("/coordinator/import/template.csv"); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
		t.Errorf("company: status %d", r.Status)
	}
}
