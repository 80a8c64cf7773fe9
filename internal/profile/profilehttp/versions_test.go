package profilehttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
)

// jsonCall sends a JSON request as c (signed in) with its CSRF token and
// the extra headers given (name, value pairs).
func jsonCall(t *testing.T, c *apptest.Client, method, path, body string, headers ...string) *apptest.Response {
	t.Helper()
	req, _ := http.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF("/about"))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.Do(req)
}

// readRecord GETs path as c and returns the record and its ETag.
func readRecord(t *testing.T, c *apptest.Client, path string) (map[string]any, string) {
	t.Helper()
	r := c.Get(path)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: status %d %s", path, r.Status, r.Body)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return m, r.Header.Get("ETag")
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkConcurrentPUT has two clients read the record at path, change a
// different field each (field: value) and save the whole record back with
// If-Match: the first save is acknowledged, the second answers 409 with
// the error shape, and the record keeps the first client's field; with
// the version read only in the body (no If-Match) the same happens.
func checkConcurrentPUT(t *testing.T, a, b *apptest.Client, path, fieldA, valueA, fieldB, valueB string) {
	t.Helper()
	for _, via := range []string{"IfMatch", "BodyVersion"} {
		recA, tagA := readRecord(t, a, path)
		recB, tagB := readRecord(t, b, path)
		if via == "IfMatch" && (tagA == "" || tagA != tagB) {
			t.Errorf("%s: ETags %q and %q: want one, the same for both readers", via, tagA, tagB)
		}
		headers := func(tag string) []string {
			if via == "IfMatch" {
				return []string{"If-Match", tag}
			}
			return nil
		}
		recA[fieldA] = valueA + via
		r := jsonCall(t, a, http.MethodPut, path, mustJSON(t, recA), headers(tagA)...)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: first save: status %d %s", via, r.Status, r.Body)
		}
		if via == "IfMatch" && (r.Header.Get("ETag") == "" || r.Header.Get("ETag") == tagA) {
			t.Errorf("%s: first save answered ETag %q, want a new one (read %q)", via, r.Header.Get("ETag"), tagA)
		}
		recB[fieldB] = valueB + via
		r = jsonCall(t, b, http.MethodPut, path, mustJSON(t, recB), headers(tagB)...)
		if got, want := r.Status, http.StatusConflict; got != want {
			t.Errorf("%s: second save from the same version: status = %d, want %d (%s)", via, got, want, r.Body)
		}
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		json.Unmarshal([]byte(r.Body), &e)
		if e.Error.Code != "conflict" || e.Error.Message == "" || strings.Contains(e.Error.Message, "error.") {
			t.Errorf("%s: conflict body = %s, want code conflict and a translated message", via, r.Body)
		}
		now, _ := readRecord(t, a, path)
		if got, want := now[fieldA], valueA+via; got != want {
			t.Errorf("%s: acknowledged %s lost: %v, want %q", via, fieldA, got, want)
		}
	}
}

// TestConcurrentCandidateEdits: two staff save different fields of one
// profile through PUT /api/v1/candidates/:id from the same version.
func TestConcurrentCandidateEdits(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	id, _ := candidateID(t, env, "demo-cand-001")
	a, b := env.Client(), env.Client()
	a.SignInDemo("coordinator")
	b.SignInDemo("admin")
	path := fmt.Sprintf("/api/v1/candidates/%d", id)
	t.Run("ErrConflict", func(t *testing.T) {
		checkConcurrentPUT(t, a, b, path, "headline", "Senior bookkeeper ", "summary", "Six years of ledgers ")
	})
	t.Run("NoVersionAccepted", func(t *testing.T) {
		rec, _ := readRecord(t, a, path)
		delete(rec, "version")
		rec["headline"] = "Without a version"
		if r := jsonCall(t, a, http.MethodPut, path, mustJSON(t, rec)); r.Status != http.StatusOK {
			t.Errorf("PUT without If-Match or version: status %d %s, want 200 (accepted as before)", r.Status, r.Body)
		}
	})
	t.Run("ErrBadIfMatch", func(t *testing.T) {
		rec, _ := readRecord(t, a, path)
		if r := jsonCall(t, a, http.MethodPut, path, mustJSON(t, rec), "If-Match", `"yesterday"`); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("If-Match naming no version: status %d %s, want 422", r.Status, r.Body)
		}
	})
	t.Run("OwnProfile", func(t *testing.T) {
		c := env.Client()
		c.SignInDemo("candidate")
		r := c.PostForm("/me/profile", "/me/profile/edit", url.Values{"name": {"Amina K."}, "visibility": {"companies"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("create own profile: status %d", r.Status)
		}
		c2 := env.Client()
		c2.SignInDemo("candidate")
		checkConcurrentPUT(t, c, c2, "/api/v1/me/candidate", "headline", "Bookkeeper ", "summary", "Ledgers ")
	})
}

// TestConcurrentCandidateForm: a coordinator opens the edit form, someone
// else saves the profile meanwhile; the coordinator's save answers 409,
// keeps what they typed, says someone else changed the profile and shows
// the other version; saving again from there is accepted.
func TestConcurrentCandidateForm(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	id, _ := candidateID(t, env, "demo-cand-001")
	setLocale(t, env, "coordinator", "en")
	co := env.Client()
	co.SignInDemo("coordinator")
	admin := env.Client()
	admin.SignInDemo("admin")
	edit := fmt.Sprintf("/coordinator/candidates/%d/edit", id)
	save := fmt.Sprintf("/coordinator/candidates/%d", id)

	formOf := func(c *apptest.Client) url.Values {
		r := c.Get(edit)
		if r.Status != http.StatusOK {
			t.Fatalf("form: status %d", r.Status)
		}
		return formValues(r.Body)
	}
	mine := formOf(co)
	if mine.Get("version") == "" {
		t.Fatalf("the form carries no version")
	}
	theirs := formOf(admin)
	theirs.Set("headline", "Chief accountant (their edit)")
	if r := admin.PostForm(save, edit, theirs); r.Status != http.StatusSeeOther {
		t.Fatalf("their save: status %d", r.Status)
	}
	mine.Set("summary", "My summary typed meanwhile")
	views := func() (n int) {
		t.Helper()
		if err := env.App.DB.GetContext(context.Background(), &n, `SELECT count(*) FROM audit_log
			WHERE action = 'candidate.view_full' AND subject_id = $1`, fmt.Sprint(id)); err != nil {
			t.Fatal(err)
		}
		return n
	}
	mine.Set("csrf_token", co.CSRF("/about")) // not from the edit page: that GET is a view too
	before := views()
	r := co.PostForm(save, edit, mine)
	if got, want := r.Status, http.StatusConflict; got != want {
		t.Fatalf("my save from the old version: status = %d, want %d", got, want)
	}
	// The save read the profile once (one view, audited once); showing
	// the version saved meanwhile is that same read.
	if got, want := views()-before, 1; got != want {
		t.Errorf("audited views of the refused save = %d, want %d", got, want)
	}
	for _, want := range []string{"My summary typed meanwhile", "Chief accountant (their edit)", "Someone else changed"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	again := formValues(r.Body)
	if got, want := again.Get("summary"), "My summary typed meanwhile"; got != want {
		t.Errorf("summary kept = %q, want %q", got, want)
	}
	if again.Get("version") == mine.Get("version") {
		t.Errorf("the form still carries the old version %s", again.Get("version"))
	}
	if r := co.PostForm(save, edit, again); r.Status != http.StatusSeeOther {
		t.Fatalf("save again after seeing their edit: status %d", r.Status)
	}
	rec, _ := readRecord(t, co, fmt.Sprintf("/api/v1/candidates/%d", id))
	if rec["summary"] != "My summary typed meanwhile" {
		t.Errorf("summary = %v after saving again", rec["summary"])
	}
}

var (
	inputRe    = regexp.MustCompile(`(?s)<input([^>]*)>`)
	textareaRe = regexp.MustCompile(`(?s)<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	selectRe   = regexp.MustCompile(`(?s)<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	selectedRe = regexp.MustCompile(`<option value="([^"]*)"\s*selected`)
	attrRe     = regexp.MustCompile(`(\w+)(?:="([^"]*)")?`)
)

// formValues reads the fields of the forms on a page as a browser would
// submit them: inputs (checked boxes and radios only), textareas and the
// selected options; the CSRF token is left out.
func formValues(body string) url.Values {
	v := url.Values{}
	for _, m := range inputRe.FindAllStringSubmatch(body, -1) {
		attrs := map[string]string{}
		for _, a := range attrRe.FindAllStringSubmatch(m[1], -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		name, typ := attrs["name"], attrs["type"]
		if _, checked := attrs["checked"]; name == "" || name == "csrf_token" || (typ == "checkbox" || typ == "radio") && !checked {
			continue
		}
		if typ == "checkbox" && attrs["value"] == "" {
			attrs["value"] = "on"
		}
		v.Add(name, attrs["value"])
	}
	for _, m := range textareaRe.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range selectRe.FindAllStringSubmatch(body, -1) {
		if s := selectedRe.FindStringSubmatch(m[2]); s != nil {
			v.Set(m[1], html.UnescapeString(s[1]))
		}
	}
	return v
}

// TestConcurrentCompanyAndRoleEdits: two staff save different fields of
// one company (PUT /api/v1/companies/:id) and of one role (PUT
// /api/v1/roles/:id) from the same version.
func TestConcurrentCompanyAndRoleEdits(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	ctx := context.Background()
	var companyID, roleID int64
	if err := env.App.DB.GetContext(ctx, &companyID, `SELECT id FROM companies WHERE external_id = 'demo-co-01'`); err != nil {
		t.Fatal(err)
	}
	if err := env.App.DB.GetContext(ctx, &roleID, `SELECT id FROM roles WHERE external_id = 'demo-role-001'`); err != nil {
		t.Fatal(err)
	}
	a, b := env.Client(), env.Client()
	a.SignInDemo("coordinator")
	b.SignInDemo("admin")
	t.Run("Company", func(t *testing.T) {
		checkConcurrentPUT(t, a, b, fmt.Sprintf("/api/v1/companies/%d", companyID), "industry", "Logistics ", "contact_name", "Sato ")
	})
	t.Run("Role", func(t *testing.T) {
		checkConcurrentPUT(t, a, b, fmt.Sprintf("/api/v1/roles/%d", roleID), "title", "Accounting staff ", "description", "Ledgers and payroll ")
	})
}

// checkConcurrentForm has two staff open the edit form at edit, the
// second save theirs (field: theirs) and the first then save the form
// as opened with mine typed in another field: the first's save answers
// 409, keeps what they typed, says someone else changed the record and
// shows the other version; saving again from there is accepted and
// keeps both edits.
func checkConcurrentForm(t *testing.T, a, b *apptest.Client, edit, save, api, field, theirs, myField, mine string) {
	t.Helper()
	formOf := func(c *apptest.Client) url.Values {
		r := c.Get(edit)
		if r.Status != http.StatusOK {
			t.Fatalf("form %s: status %d", edit, r.Status)
		}
		return formValues(r.Body)
	}
	my := formOf(a)
	if my.Get("version") == "" {
		t.Fatalf("the form %s carries no version", edit)
	}
	their := formOf(b)
	their.Set(field, theirs)
	if r := b.PostForm(save, edit, their); r.Status != http.StatusSeeOther {
		t.Fatalf("their save: status %d", r.Status)
	}
	my.Set(myField, mine)
	r := a.PostForm(save, edit, my)
	if got, want := r.Status, http.StatusConflict; got != want {
		t.Fatalf("my save from the old version: status = %d, want %d", got, want)
	}
	for _, want := range []string{mine, theirs, "Someone else changed", `id="conflict"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	if rec, _ := readRecord(t, a, api); rec[field] != theirs {
		t.Errorf("%s = %v after the refused save, want their %q", field, rec[field], theirs)
	}
	again := formValues(r.Body)
	if got := again.Get(myField); got != mine {
		t.Errorf("%s kept = %q, want %q", myField, got, mine)
	}
	if again.Get("version") == "" || again.Get("version") == my.Get("version") {
		t.Errorf("the form carries version %q, want the one saved meanwhile (not %s)", again.Get("version"), my.Get("version"))
	}
	// Saving again replaces their version with the form as shown: the
	// person saw theirs and decides; here they take it over.
	again.Set(field, theirs)
	if r := a.PostForm(save, edit, again); r.Status != http.StatusSeeOther {
		t.Fatalf("save again after seeing their edit: status %d", r.Status)
	}
	rec, _ := readRecord(t, a, api)
	if rec[myField] != mine || rec[field] != theirs {
		t.Errorf("after saving again: %s = %v, %s = %v; want %q and %q", myField, rec[myField], field, rec[field], mine, theirs)
	}
}

// TestConcurrentCompanyAndRoleForms: a coordinator opens the edit form of
// a company (and of a role), an admin saves it meanwhile; the
// coordinator's save answers 409 with their input kept and the admin's
// edit shown.
func TestConcurrentCompanyAndRoleForms(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	ctx := context.Background()
	var companyID, roleID int64
	if err := env.App.DB.GetContext(ctx, &companyID, `SELECT id FROM companies WHERE external_id = 'demo-co-01'`); err != nil {
		t.Fatal(err)
	}
	if err := env.App.DB.GetContext(ctx, &roleID, `SELECT id FROM roles WHERE external_id = 'demo-role-001'`); err != nil {
		t.Fatal(err)
	}
	setLocale(t, env, "coordinator", "en")
	a, b := env.Client(), env.Client()
	a.SignInDemo("coordinator")
	b.SignInDemo("admin")
	t.Run("Company", func(t *testing.T) {
		checkConcurrentForm(t, a, b, fmt.Sprintf("/companies/%d/edit", companyID), fmt.Sprintf("/companies/%d", companyID),
			fmt.Sprintf("/api/v1/companies/%d", companyID), "industry", "Cold-chain logistics (their edit)", "contact_name", "Sato Hanako")
	})
	t.Run("Role", func(t *testing.T) {
		checkConcurrentForm(t, a, b, fmt.Sprintf("/roles/%d/edit", roleID), fmt.Sprintf("/roles/%d", roleID),
			fmt.Sprintf("/api/v1/roles/%d", roleID), "title", "Payroll clerk (their edit)", "description", "Ledgers and payroll, typed meanwhile")
	})
}
