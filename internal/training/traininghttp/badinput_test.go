package traininghttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
)

type apiErr struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// TestEditProgrammeBadInput sends bad edits of a programme through PUT,
// PATCH and the edit form: each answers 4xx naming the field at fault in
// the caller's language (never a 500), and the programme is unchanged.
func TestEditProgrammeBadInput(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	tax, err := taxonomy.Load()
	if err != nil {
		t.Fatal(err)
	}
	skill, other := tax.Skills()[0].URI, tax.Skills()[1].URI

	c := env.ClientFor(t)
	c.SignInDemo("coordinator")
	r := c.PostForm("/coordinator/training/programmes", "/coordinator/training/programmes/new", url.Values{
		"title_ja": {"ビジネス日本語"}, "title_en": {"Business Japanese"}, "kind": {"soft"}, "format": {"in_person"},
		"capacity": {"5"}, "min_attendance": {"50"}, "skills": {skill}})
	mustStatus(t, r, http.StatusSeeOther, "create programme")
	progPath := r.Location
	id := lastID(t, progPath)
	api := "/api/v1/training/programmes/" + id
	before := c.Get(api)
	mustStatus(t, before, http.StatusOK, "get programme")

	long := strings.Repeat("あ", 5000)
	cases := []struct {
		name, method, body string
		status             int
		field              string // "" when the answer names no field
	}{
		{"capacity a string", "PATCH", `{"capacity":"ten"}`, 422, "capacity"},
		{"capacity a fraction", "PATCH", `{"capacity":2.5}`, 422, "capacity"},
		{"capacity absurd", "PATCH", `{"capacity":1e20}`, 422, "capacity"},
		{"capacity zero", "PATCH", `{"capacity":0}`, 422, "capacity"},
		{"capacity negative", "PATCH", `{"capacity":-3}`, 422, "capacity"},
		{"capacity huge int", "PATCH", `{"capacity":1000000000}`, 422, "capacity"},
		{"attendance a share", "PATCH", `{"min_attendance":0.5}`, 422, "min_attendance"},
		{"attendance over 100", "PATCH", `{"min_attendance":101}`, 422, "min_attendance"},
		{"attendance negative", "PATCH", `{"min_attendance":-1}`, 422, "min_attendance"},
		{"title a number", "PATCH", `{"title_en":7}`, 422, "title_en"},
		{"title huge", "PATCH", `{"title_en":"` + long + `"}`, 422, "title_en"},
		{"description huge", "PATCH", `{"description_ja":"` + strings.Repeat(long, 4) + `"}`, 422, "description_ja"},
		{"kind unknown", "PATCH", `{"kind":"magic"}`, 422, "kind"},
		{"format unknown", "PATCH", `{"format":"telepathy"}`, 422, "format"},
		{"skills not a list", "PATCH", `{"skills":"x"}`, 422, "skills"},
		{"skill unknown", "PATCH", `{"skills":[{"esco_uri":"http://data.europa.eu/esco/skill/nope"}]}`, 422, "skills"},
		{"skill not esco", "PATCH", `{"skills":[{"esco_uri":"https://example.com/x"}]}`, 422, "skills"},
		{"skills empty", "PATCH", `{"skills":[]}`, 422, "skills"},
		{"assessment a string", "PATCH", `{"assessment":"yes"}`, 422, "assessment"},
		{"archive unconfirmed", "PATCH", `{"active":false}`, 422, "active"},
		{"unknown field", "PATCH", `{"capcity":3}`, 422, "capcity"},
		{"unknown field beside a good one", "PUT", `{"title_en":"X","kind":"soft","format":"online","capacity":3,"skills":[],"colour":"red"}`, 422, "colour"},
		{"unknown field in a skill", "PATCH", `{"skills":[{"uri":"x"}]}`, 422, "uri"},
		{"unknown field in confirm", "PATCH", `{"confirm":{"archiv":true},"active":false}`, 422, "archiv"},
		{"body not json", "PATCH", `{capacity:3`, 422, ""},
		{"body empty", "PATCH", ``, 422, ""},
		// Over the body limit: 413 at the edge, before anything parses it (issue 11, item 15).
		{"body over 1 MiB", "PATCH", `{"description_en":"` + strings.Repeat("a", 2<<20) + `"}`, 413, ""},
		{"body an array", "PATCH", `[]`, 422, ""},
		{"put missing all", "PUT", `{}`, 422, "skills"},
		{"put title only", "PUT", `{"title_en":"X"}`, 422, "capacity"},
	}
	for _, lang := range []string{"en", "ja"} {
		setLang(t, c, lang)
		for _, tc := range cases {
			r := apiCall(t, c, tc.method, api, tc.body)
			if r.Status != tc.status {
				t.Errorf("%s %s: status %d, want %d\n%.300s", lang, tc.name, r.Status, tc.status, r.Body)
				continue
			}
			var e apiErr
			if err := json.Unmarshal([]byte(r.Body), &e); err != nil {
				t.Errorf("%s %s: %v", lang, tc.name, err)
				continue
			}
			if tc.field != "" {
				msg, ok := e.Error.Fields[tc.field]
				if !ok {
					t.Errorf("%s %s: no error on %s: %.300s", lang, tc.name, tc.field, r.Body)
				} else if hasJapanese(msg) != (lang == "ja") {
					t.Errorf("%s %s: field message in the wrong language: %q", lang, tc.name, msg)
				}
			}
			if hasJapanese(e.Error.Message) != (lang == "ja") {
				t.Errorf("%s %s: message in the wrong language: %q", lang, tc.name, e.Error.Message)
			}
		}
	}
	c.Lang = "en"
	if after := c.Get(api); after.Body != before.Body {
		t.Errorf("programme changed by refused edits:\nbefore %s\nafter  %s", before.Body, after.Body)
	}

	// Ids that are not a programme.
	for _, bad := range []string{"abc", "0", "-1", "99999999", "1.5", "99999999999999999999999"} {
		for _, m := range []string{"PUT", "PATCH"} {
			r := apiCall(t, c, m, "/api/v1/training/programmes/"+bad, `{"capacity":3}`)
			if r.Status != http.StatusNotFound {
				t.Errorf("%s id %q: status %d, want 404", m, bad, r.Status)
			}
		}
		for _, p := range []string{"/edit", "/archive", ""} {
			if r := c.Get("/coordinator/training/programmes/" + bad + p); r.Status != http.StatusNotFound {
				t.Errorf("GET id %q%s: status %d, want 404", bad, p, r.Status)
			}
		}
	}

	// Duplicate skills are kept once; an empty PATCH body object changes nothing.
	r = apiCall(t, c, "PATCH", api, fmt.Sprintf(`{"skills":[{"esco_uri":%q},{"esco_uri":%q},{"esco_uri":%q}]}`, skill, other, skill))
	mustStatus(t, r, http.StatusOK, "duplicate skills")
	var p struct {
		Skills []struct {
			URI string `json:"esco_uri"`
		} `json:"skills"`
		Active bool `json:"active"`
	}
	json.Unmarshal([]byte(r.Body), &p)
	if len(p.Skills) != 2 {
		t.Errorf("duplicate skills: %s", r.Body)
	}
	r = apiCall(t, c, "PATCH", api, `{}`)
	mustStatus(t, r, http.StatusOK, "empty patch")
	// The programme as GET gives it can be sent back (read-only fields ignored).
	var got struct {
		Programme json.RawMessage `json:"programme"`
	}
	json.Unmarshal([]byte(c.Get(api).Body), &got)
	for _, m := range []string{"PUT", "PATCH"} {
		mustStatus(t, apiCall(t, c, m, api, string(got.Programme)), http.StatusOK, m+" of the programme as read")
	}

	// Without a CSRF token nothing is changed.
	req, _ := http.NewRequest("PATCH", api, strings.NewReader(`{"capacity":9}`))
	req.Header.Set("Content-Type", "application/json")
	if r := c.Do(req); r.Status != http.StatusForbidden {
		t.Errorf("no CSRF: status %d, want 403", r.Status)
	}
	form := url.Values{"csrf_token": {"bogus"}, "title_en": {"X"}, "kind": {"soft"}, "format": {"in_person"}, "capacity": {"9"}, "skills": {skill}}
	req, _ = http.NewRequest("POST", progPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := c.Do(req); r.Status != http.StatusForbidden {
		t.Errorf("form with a bad CSRF token: status %d, want 403", r.Status)
	}

	// The edit form: junk numbers are errors on their field, not zero.
	before = c.Get(api)
	good := url.Values{"title_ja": {"ビジネス日本語"}, "title_en": {"Business Japanese"}, "kind": {"soft"}, "format": {"in_person"},
		"capacity": {"5"}, "min_attendance": {"50"}, "skills": {skill}}
	formCases := []struct{ name, field, value string }{
		{"capacity text", "capacity", "ten"},
		{"capacity fraction", "capacity", "2.5"},
		{"capacity negative", "capacity", "-1"},
		{"capacity absurd", "capacity", "99999999999999999999"},
		{"attendance share", "min_attendance", "0.5"},
		{"attendance percent sign", "min_attendance", "50%"},
		{"attendance text", "min_attendance", "half"},
		{"attendance over 100", "min_attendance", "150"},
		{"skill unknown", "skills", "http://data.europa.eu/esco/skill/nope"},
		{"title huge", "title_en", long},
	}
	for _, lang := range []string{"en", "ja"} {
		setLang(t, c, lang)
		for _, tc := range formCases {
			f := url.Values{}
			for k, v := range good {
				f[k] = v
			}
			f.Set(tc.field, tc.value)
			r := c.PostForm(progPath, progPath+"/edit", f)
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("form %s %s: status %d, want 422", lang, tc.name, r.Status)
				continue
			}
			if !strings.Contains(r.Body, tc.field+"-error") {
				t.Errorf("form %s %s: no error shown on %s", lang, tc.name, tc.field)
			}
		}
	}
	// A junk number still lets the other fields' errors show.
	setLang(t, c, "en")
	f := url.Values{}
	for k, v := range good {
		f[k] = v
	}
	f.Set("min_attendance", "0.5")
	f.Set("skills", "http://data.europa.eu/esco/skill/nope")
	r = c.PostForm(progPath, progPath+"/edit", f)
	mustStatus(t, r, http.StatusUnprocessableEntity, "junk number and unknown skill")
	mustContain(t, r.Body, "Enter a number from 0 to 100.", "is not an ESCO skill", `value="0.5"`)
	// Creating one with a junk number creates nothing.
	f.Set("skills", skill)
	f.Set("min_attendance", "half")
	r = c.PostForm("/coordinator/training/programmes", "/coordinator/training/programmes/new", f)
	mustStatus(t, r, http.StatusUnprocessableEntity, "create with a junk number")
	mustContain(t, r.Body, "Enter a number from 0 to 100.")
	var n int
	env.App.DB.GetContext(context.Background(), &n, `SELECT count(*) FROM training_programmes`)
	if n != 1 {
		t.Errorf("%d programmes after a refused create, want 1", n)
	}
	if after := c.Get(api); after.Body != before.Body {
		t.Errorf("programme changed by refused form edits:\nbefore %s\nafter  %s", before.Body, after.Body)
	}
}

func hasJapanese(s string) bool {
	for _, r := range s {
		if r >= 0x3040 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// TestEditProgrammeConcurrentAndArchived: edits racing on one programme
// never answer 500 nor leave a mix of two edits' skills; an archived
// programme can be edited and stays archived until restored.
func TestEditProgrammeConcurrentAndArchived(t *testing.T) {
	t.Parallel()
	_, c, tax := coordinator(t)
	sk := tax.Skills()
	progPath := createProgramme(t, c, url.Values{"format": {"in_person"}, "skills": {sk[0].URI}})
	api := "/api/v1/training/programmes/" + lastID(t, progPath)

	const n = 12
	sets := make([][]string, n)
	bodies := make([]string, n)
	for i := range n {
		sets[i] = []string{sk[2*i+10].URI, sk[2*i+11].URI}
		bodies[i] = fmt.Sprintf(`{"capacity":%d,"skills":[{"esco_uri":%q},{"esco_uri":%q}]}`, 10+i, sets[i][0], sets[i][1])
	}
	token := c.CSRF("/coordinator/training")
	statuses := make(chan int, n)
	for i := range n {
		go func() {
			req, _ := http.NewRequest("PATCH", api, strings.NewReader(bodies[i]))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-CSRF-Token", token)
			statuses <- c.Do(req).Status
		}()
	}
	for range n {
		if s := <-statuses; s != http.StatusOK {
			t.Errorf("concurrent PATCH: status %d", s)
		}
	}
	var got struct {
		Programme struct {
			Capacity int  `json:"capacity"`
			Active   bool `json:"active"`
			Skills   []struct {
				URI string `json:"esco_uri"`
			} `json:"skills"`
		} `json:"programme"`
	}
	r := c.Get(api)
	json.Unmarshal([]byte(r.Body), &got)
	i := got.Programme.Capacity - 10
	if i < 0 || i >= n || len(got.Programme.Skills) != 2 || got.Programme.Skills[0].URI != sets[i][0] || got.Programme.Skills[1].URI != sets[i][1] {
		t.Errorf("after concurrent edits the programme mixes them: %s", r.Body)
	}

	// Archived: PUT and the form edit it and it stays archived; restoring needs no confirmation.
	mustStatus(t, apiCall(t, c, "PATCH", api, `{"active":false,"confirm":{"archive":true}}`), http.StatusOK, "archive")
	r = apiCall(t, c, "PUT", api, fmt.Sprintf(`{"title_en":"Forklift II","kind":"hard","format":"online","capacity":7,"skills":[{"esco_uri":%q}]}`, sk[0].URI))
	mustStatus(t, r, http.StatusOK, "edit archived (PUT)")
	r = c.PostForm(progPath, progPath+"/edit", url.Values{"title_en": {"Forklift III"}, "kind": {"hard"}, "format": {"online"}, "capacity": {"7"}, "skills": {sk[0].URI}})
	mustStatus(t, r, http.StatusSeeOther, "edit archived (form)")
	r = c.Get(api)
	json.Unmarshal([]byte(r.Body), &got)
	if got.Programme.Active || !strings.Contains(r.Body, "Forklift III") {
		t.Errorf("archived programme after edits: %s", r.Body)
	}
	mustStatus(t, c.PostForm(progPath+"/archive", progPath+"/archive", nil), http.StatusSeeOther, "archive again is a no-op")
	mustStatus(t, c.PostForm(progPath+"/restore", progPath, nil), http.StatusSeeOther, "restore")
	r = c.Get(api)
	json.Unmarshal([]byte(r.Body), &got)
	if !got.Programme.Active {
		t.Errorf("restore left it archived: %s", r.Body)
	}
	// Archiving from the page without the box ticked asks again and saves nothing.
	r = c.PostForm(progPath+"/archive", progPath+"/archive", nil)
	mustStatus(t, r, http.StatusUnprocessableEntity, "archive unconfirmed")
	r = c.Get(api)
	json.Unmarshal([]byte(r.Body), &got)
	if !got.Programme.Active {
		t.Errorf("unconfirmed archive saved: %s", r.Body)
	}
}

// TestCreateCohortJunkCapacity: a cohort's capacity that is not a whole
// number is an error on the field, not the programme's capacity.
func TestCreateCohortJunkCapacity(t *testing.T) {
	t.Parallel()
	env, c, tax := coordinator(t)
	setLang(t, c, "en")
	progPath := createProgramme(t, c, url.Values{"format": {"in_person"}, "skills": {tax.Skills()[0].URI}})
	for _, bad := range []string{"ten", "2.5", "-", "99999999999999999999"} {
		r := c.PostForm(progPath+"/cohorts", progPath, url.Values{"name": {"May"}, "starts_on": {"2030-05-01"}, "ends_on": {"2030-05-31"}, "place": {"Shinjuku"}, "capacity": {bad}})
		mustStatus(t, r, http.StatusUnprocessableEntity, "cohort capacity "+bad)
		mustContain(t, r.Body, "Enter a number from 1 to 500.")
	}
	var n int
	env.App.DB.GetContext(context.Background(), &n, `SELECT count(*) FROM training_cohorts`)
	if n != 0 {
		t.Errorf("%d cohorts created from junk capacities", n)
	}
	r := c.PostForm(progPath+"/cohorts", progPath, url.Values{"name": {"May"}, "starts_on": {"2030-05-01"}, "ends_on": {"2030-05-31"}, "place": {"Shinjuku"}, "capacity": {""}})
	mustStatus(t, r, http.StatusSeeOther, "cohort with the programme's capacity")
}

// TestConcurrentPatchesKeepBoth: two PATCHes of different fields of one
// programme at the same time both take effect (neither saves the other's
// field as it was before).
func TestConcurrentPatchesKeepBoth(t *testing.T) {
	t.Parallel()
	_, c, tax := coordinator(t)
	progPath := createProgramme(t, c, url.Values{"format": {"online"}, "skills": {tax.Skills()[0].URI}})
	api := "/api/v1/training/programmes/" + lastID(t, progPath)
	token := c.CSRF("/coordinator/training")
	send := func(method, path, body string, done chan<- int) {
		req, _ := http.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", token)
		done <- c.Do(req).Status
	}
	var got struct {
		Programme struct {
			TitleEN  string `json:"title_en"`
			Capacity int    `json:"capacity"`
			Active   bool   `json:"active"`
		} `json:"programme"`
	}
	for i := range 20 {
		done := make(chan int, 2)
		go send("PATCH", api, fmt.Sprintf(`{"title_en":"T%d"}`, i), done)
		go send("PATCH", api, fmt.Sprintf(`{"capacity":%d}`, 10+i), done)
		for range 2 {
			if s := <-done; s != http.StatusOK {
				t.Fatalf("round %d: status %d", i, s)
			}
		}
		json.Unmarshal([]byte(c.Get(api).Body), &got)
		if got.Programme.TitleEN != fmt.Sprintf("T%d", i) || got.Programme.Capacity != 10+i {
			t.Fatalf("round %d: one PATCH lost: %+v", i, got.Programme)
		}
	}
	// Archiving from the page at the same time as a PATCH keeps both.
	done := make(chan int, 1)
	go send("PATCH", api, `{"title_en":"Last"}`, done)
	mustStatus(t, c.PostForm(progPath+"/archive", progPath+"/archive", url.Values{"confirm": {"1"}}), http.StatusSeeOther, "archive")
	if s := <-done; s != http.StatusOK {
		t.Fatalf("PATCH beside archiving: status %d", s)
	}
	json.Unmarshal([]byte(c.Get(api).Body), &got)
	if got.Programme.TitleEN != "Last" || got.Programme.Active {
		t.Errorf("PATCH beside archiving: %+v", got.Programme)
	}
}

// TestOutcomesCSVFormulaTitle: a programme title a spreadsheet would run
// as a formula reaches the outcomes CSV as text.
func TestOutcomesCSVFormulaTitle(t *testing.T) {
	t.Parallel()
	_, c, tax := coordinator(t)
	setLang(t, c, "en")
	for _, title := range []string{`=HYPERLINK("http://evil.example","x")`, "@SUM(A1)", "-2+3", "+A1"} {
		createProgramme(t, c, url.Values{"title_en": {title}, "format": {"online"}, "skills": {tax.Skills()[0].URI}})
	}
	r := c.Get("/coordinator/outcomes/csv/training_programmes")
	mustStatus(t, r, http.StatusOK, "csv")
	mustContain(t, r.Body, `"'=HYPERLINK(""http://evil.example"",""x"")"`, ",'@SUM(A1),", ",'-2+3,", ",'+A1,", "0.000")
}

// coordinator starts the platform with demo data and signs in its
// coordinator.
func coordinator(t *testing.T) (*apptest.Env, *apptest.Client, *taxonomy.Taxonomy) {
	t.Helper()
	env := apptest.New(t, apptest.Options{Seed: true})
	tax, err := taxonomy.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := env.ClientFor(t)
	c.SignInDemo("coordinator")
	return env, c, tax
}

// createProgramme creates a programme through the form ("Forklift", hard,
// five places, unless form says otherwise) and returns its page's path.
func createProgramme(t *testing.T, c *apptest.Client, form url.Values) string {
	t.Helper()
	f := url.Values{"title_en": {"Forklift"}, "kind": {"hard"}, "capacity": {"5"}}
	for k, v := range form {
		f[k] = v
	}
	r := c.PostForm("/coordinator/training/programmes", "/coordinator/training/programmes/new", f)
	mustStatus(t, r, http.StatusSeeOther, "create programme "+f.Get("title_en"))
	return r.Location
}
