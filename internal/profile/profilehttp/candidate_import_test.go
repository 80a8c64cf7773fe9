package profilehttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/web"
)

// uploadCSV posts file as the coordinator's upload named name.
func uploadCSV(t *testing.T, co *apptest.Client, name string, file []byte) *apptest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(file)
	mw.WriteField("csrf_token", co.CSRF("/coordinator/import"))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, "/coordinator/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return co.Do(req)
}

// TestCSVImportEncodings: a Shift-JIS sheet (Excel's "CSV" in Japan) and a
// UTF-8 one with a byte order mark import with their Japanese intact; a
// file of random bytes and a workbook are refused with a clear error in the
// coordinator's language naming the file, and nothing is stored.
func TestCSVImportEncodings(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true, Worker: true})
	setLocale(t, env, "coordinator", "ja")
	co := env.Client()
	co.SignInDemo("coordinator")
	cat, err := i18n.Load(web.Locales)
	if err != nil {
		t.Fatal(err)
	}
	ja := cat.Printer("ja")
	ctx := context.Background()

	sheet := func(id, name, skill string) string {
		return "id,name,prefecture,headline,skills,languages\r\n" + id + "," + name + ",Tokyo,経理担当,簿記:advanced:5; " + skill + ",ja:N2; fa:native\r\n"
	}
	sjis, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(sheet("sjis-1", "山田 花子", "財務報告")))
	if err != nil {
		t.Fatal(err)
	}
	bom := append([]byte("\ufeff"), sheet("bom-1", "ナースィル・アフマディ", "会計ソフト")...)

	for _, tc := range []struct {
		name, file, id, want, skill string
		data                        []byte
	}{
		{"ShiftJIS", "名簿.csv", "sjis-1", "山田 花子", "財務報告", sjis},
		{"UTF8BOM", "intake-bom.csv", "bom-1", "ナースィル・アフマディ", "会計ソフト", bom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := uploadCSV(t, co, tc.file, tc.data)
			if r.Status != http.StatusOK {
				t.Fatalf("preview: status %d\n%s", r.Status, r.Body)
			}
			var jobID int64
			if err := env.App.DB.GetContext(ctx, &jobID, `SELECT max(id) FROM import_jobs`); err != nil {
				t.Fatal(err)
			}
			r = co.PostForm(fmt.Sprintf("/coordinator/import/%d/run", jobID), fmt.Sprintf("/coordinator/import/%d", jobID), url.Values{})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("run: status %d", r.Status)
			}
			var job struct {
				Job struct {
					Status   string `json:"status"`
					Imported int    `json:"imported"`
					Rejected int    `json:"rejected"`
				} `json:"job"`
			}
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
				json.Unmarshal([]byte(co.Get(fmt.Sprintf("/api/v1/imports/%d", jobID)).Body), &job)
				if job.Job.Status == "done" || job.Job.Status == "failed" {
					break
				}
			}
			if job.Job.Status != "done" || job.Job.Imported != 1 || job.Job.Rejected != 0 {
				t.Fatalf("job = %+v", job.Job)
			}
			c, err := env.App.DB.CandidateByExternalID(ctx, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			if c.Name != tc.want || c.Headline != "経理担当" || len(c.Skills) != 2 || c.Skills[1].Label != tc.skill {
				t.Errorf("imported name %q headline %q skills %+v; want %q, 経理担当, 簿記 and %s", c.Name, c.Headline, c.Skills, tc.want, tc.skill)
			}
		})
	}

	garbage := make([]byte, 2048)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"Garbage", "garbage.csv", garbage, ja.T("error.csv_encoding", map[string]any{"File": "garbage.csv", "Line": 1})},
		{"Workbook", "名簿.xlsx", append([]byte("PK\x03\x04\x14\x00\x06\x00"), garbage[:256]...), ja.T("error.csv_workbook", map[string]any{"File": "名簿.xlsx", "Line": 0})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before int
			env.App.DB.GetContext(ctx, &before, `SELECT count(*) FROM import_jobs`)
			r := uploadCSV(t, co, tc.file, tc.data)
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", r.Status, r.Body)
			}
			if body := html.UnescapeString(r.Body); !strings.Contains(body, tc.want) {
				t.Errorf("the page lacks %q", tc.want)
			}
			if !strings.Contains(tc.want, tc.file) {
				t.Errorf("the message %q does not name the file", tc.want)
			}
			var after int
			env.App.DB.GetContext(ctx, &after, `SELECT count(*) FROM import_jobs`)
			if after != before {
				t.Errorf("a refused file was stored as an upload")
			}
		})
	}
}
