package casehttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/seed"
)

// demo links the demo candidate account to a candidate and the demo company
// account to a company with an open role; returns candidate and role ids.
func demo(t *testing.T, env *apptest.Env) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	db := env.App.DB
	var candUser, compUser, cand, co, role int64
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.GetContext(ctx, &candUser, `SELECT id FROM users WHERE email = $1`, seed.DemoUsers[0].Email))
	must(db.GetContext(ctx, &compUser, `SELECT id FROM users WHERE email = $1`, seed.DemoUsers[1].Email))
	must(db.GetContext(ctx, &cand, `INSERT INTO candidates (name, user_id, headline, locale) VALUES ('Amina K.', $1, 'Bookkeeper', 'fr') RETURNING id`, candUser))
	must(db.GetContext(ctx, &co, `INSERT INTO companies (name) VALUES ('Sakura Logistics Test') RETURNING id`))
	_, err := db.ExecContext(ctx, `INSERT INTO company_members (company_id, user_id) VALUES ($1, $2)`, co, compUser)
	must(err)
	must(db.GetContext(ctx, &role, `INSERT INTO roles (company_id, title, workplace, status) VALUES ($1, 'Accounting staff', 'onsite', 'open') RETURNING id`, co))
	return cand, role
}

func setLang(t *testing.T, c *apptest.Client, lang string) {
	t.Helper()
	mustStatus(t, c.PostForm("/lang", "/about", url.Values{"lang": {lang}}), http.StatusSeeOther, "set language")
}

var caseLink = regexp.MustCompile(`/coordinator/cases/(\d+)`)

func mustStatus(t *testing.T, r *apptest.Response, want int, what string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, want, r.Body)
	}
}

// TestIntakeToHiredThroughPages takes a person from intake to hired with
// the pages alone (no JavaScript): board buttons, consent in French,
// company feedback; then the check-ins and the outcomes page show it.
func TestIntakeToHiredThroughPages(t *testing.T) {
	env := apptest.New(t, apptest.Options{Seed: true})
	cand, role := demo(t, env)
	coord := env.Client()
	coord.SignInDemo("coordinator")
	setLang(t, coord, "en")

	r := coord.PostForm("/coordinator/cases", "/coordinator/cases/new", url.Values{"candidate_id": {fmt.Sprint(cand)}})
	mustStatus(t, r, http.StatusSeeOther, "open case")
	m := caseLink.FindStringSubmatch(r.Location)
	if m == nil {
		t.Fatalf("redirect %q", r.Location)
	}
	caseID := m[1]

	// A skip is refused with a clear message and nothing changes.
	r = coord.PostForm("/coordinator/cases/"+caseID+"/move", "/coordinator/cases/"+caseID, url.Values{"stage": {"settled"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "skip to settled")
	if !strings.Contains(r.Body, "A case cannot move from Intake to Settled.") {
		t.Errorf("no clear error on the page:\n%s", r.Body)
	}
	for _, st := range []string{"training", "job_ready", "job_search"} {
		r = coord.PostForm("/coordinator/cases/move", "/coordinator/cases", url.Values{"one": {caseID + ":" + st}})
		mustStatus(t, r, http.StatusOK, "board move to "+st)
		if !strings.Contains(r.Body, "✓") {
			t.Fatalf("board move to %s not reported:\n%s", st, r.Body)
		}
	}
	r = coord.PostForm("/coordinator/cases/"+caseID+"/introductions", "/coordinator/cases/"+caseID, url.Values{"role_id": {fmt.Sprint(role)}})
	mustStatus(t, r, http.StatusSeeOther, "suggest")

	// The company sees nothing before consent.
	company := env.Client()
	company.SignInDemo("company")
	setLang(t, company, "en")
	r = company.Get("/company/pipeline")
	mustStatus(t, r, http.StatusOK, "pipeline")
	if strings.Contains(r.Body, "Amina") || strings.Contains(r.Body, "Accounting staff") {
		t.Fatal("company sees a suggestion before consent")
	}

	candidate := env.Client()
	candidate.Lang = "fr"
	candidate.SignInDemo("candidate")
	setLang(t, candidate, "fr")
	var introID int64
	env.App.DB.GetContext(context.Background(), &introID, `SELECT id FROM introductions WHERE case_id = $1`, caseID)
	page := fmt.Sprintf("/me/introductions/%d", introID)
	r = candidate.Get(page)
	mustStatus(t, r, http.StatusOK, "consent page")
	if !strings.Contains(r.Body, "Acceptez-vous") {
		t.Errorf("consent page not in French:\n%s", r.Body)
	}
	r = candidate.PostForm(page+"/consent", page, url.Values{"answer": {"yes"}})
	mustStatus(t, r, http.StatusSeeOther, "consent")

	r = coord.PostForm(fmt.Sprintf("/coordinator/introductions/%d/move", introID), "/coordinator/cases/"+caseID, url.Values{"stage": {"introduced"}})
	mustStatus(t, r, http.StatusSeeOther, "introduce")
	r = company.Get("/company/pipeline")
	if !strings.Contains(r.Body, "Amina K.") {
		t.Fatalf("company does not see the consented candidate:\n%s", r.Body)
	}
	for i := 0; i < 3; i++ {
		r = company.PostForm(fmt.Sprintf("/company/introductions/%d/feedback", introID), "/company/pipeline", url.Values{"verdict": {"yes"}, "note": {"good"}})
		mustStatus(t, r, http.StatusSeeOther, "feedback")
	}
	r = coord.Get("/coordinator/cases/" + caseID)
	mustStatus(t, r, http.StatusOK, "case page")
	if got := strings.Count(r.Body, "Planned"); got != 8 {
		t.Errorf("planned check-ins on the case page: %d, want 8", got)
	}
	if !strings.Contains(r.Body, "Job search → Hired") {
		t.Errorf("timeline lacks the hire")
	}
	r = coord.PostForm(fmt.Sprintf("/coordinator/introductions/%d/expertise", introID), "/coordinator/cases/"+caseID, url.Values{"uses_expertise": {"1"}})
	mustStatus(t, r, http.StatusSeeOther, "mark expertise")
	r = coord.Get("/api/v1/outcomes")
	mustStatus(t, r, http.StatusOK, "outcomes api")
	var o struct {
		HiredTotal int `json:"hired_total"`
		Expertise  int `json:"hired_using_expertise"`
		Connected  int `json:"people_connected"`
	}
	json.Unmarshal([]byte(r.Body), &o)
	if o.HiredTotal != 1 || o.Connected != 1 || o.Expertise != 1 {
		t.Errorf("outcomes: %+v", o)
	}
	r = coord.Get("/coordinator/outcomes")
	mustStatus(t, r, http.StatusOK, "outcomes page")
	if !strings.Contains(r.Body, "<svg") {
		t.Error("no chart")
	}
	r = coord.Get("/coordinator/outcomes/csv/funnel")
	mustStatus(t, r, http.StatusOK, "csv")
	if !strings.HasPrefix(r.Body, "\ufeffstage,stage_name,reached,now\n") || !strings.Contains(r.Body, "hired,Hired,1,1") {
		t.Errorf("csv:\n%s", r.Body)
	}
}

func TestOperationsEndpoints(t *testing.T) {
	env := apptest.New(t, apptest.Options{Seed: true})
	visitor := env.Client()
	visitor.Get("/about")
	r := visitor.Get("/metrics")
	mustStatus(t, r, http.StatusOK, "metrics")
	for _, want := range []string{"tsunagu_http_requests_total", `go_sql_open_connections{db_name="tsunagu"}`, "tsunagu_outbox_pending", "tsunagu_change_log_seq"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	coord := env.Client()
	coord.SignInDemo("coordinator")
	mustStatus(t, coord.Get("/admin/queues"), http.StatusForbidden, "queues as coordinator")
	mustStatus(t, visitor.Get("/admin/queues"), http.StatusSeeOther, "queues as visitor")
	admin := env.Client()
	admin.SignInDemo("admin")
	r = admin.Get("/admin/queues")
	mustStatus(t, r, http.StatusOK, "queues as admin")
	r = admin.Get("/admin/queues/api/queues")
	mustStatus(t, r, http.StatusOK, "queues api as admin")
}

func TestPagesForbidden(t *testing.T) {
	env := apptest.New(t, apptest.Options{Seed: true})
	company := env.Client()
	company.SignInDemo("company")
	for _, p := range []string{"/coordinator/cases", "/coordinator/outcomes", "/coordinator/outcomes/csv/funnel"} {
		mustStatus(t, company.Get(p), http.StatusForbidden, p)
	}
	mustStatus(t, company.Get("/api/v1/outcomes"), http.StatusForbidden, "outcomes api")
	mustStatus(t, company.Get("/api/v1/cases"), http.StatusForbidden, "cases api")
}

// TestPagesWithDemoData renders every page over the demo data.
func TestPagesWithDemoData(t *testing.T) {
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	if err := seed.Profiles(ctx, env.App.DB); err != nil {
		t.Fatal(err)
	}
	if err := seed.Cases(ctx, env.App.DB); err != nil {
		t.Fatal(err)
	}
	var caseIDs []int64
	env.App.DB.SelectContext(ctx, &caseIDs, `SELECT id FROM cases ORDER BY id`)
	coord := env.Client()
	coord.SignInDemo("coordinator")
	pages := []string{"/coordinator/cases", "/coordinator/cases?overdue=1", "/coordinator/cases?coordinator=me&stage=retention",
		"/coordinator/cases/new", "/coordinator/outcomes", "/notifications", "/api/v1/cases", "/api/v1/outcomes"}
	for _, id := range caseIDs {
		pages = append(pages, fmt.Sprintf("/coordinator/cases/%d", id), fmt.Sprintf("/api/v1/cases/%d", id))
	}
	for _, p := range pages {
		mustStatus(t, coord.Get(p), http.StatusOK, p)
	}
	for _, tc := range []struct{ role, page string }{
		{"company", "/company/pipeline"}, {"company", "/api/v1/introductions"}, {"company", "/followups"},
		{"candidate", "/me/case"}, {"candidate", "/me/introductions"}, {"candidate", "/followups"}, {"candidate", "/api/v1/introductions"},
	} {
		c := env.Client()
		c.SignInDemo(tc.role)
		mustStatus(t, c.Get(tc.page), http.StatusOK, tc.role+" "+tc.page)
	}
	company := env.Client()
	company.SignInDemo("company")
	if r := company.Get("/company/pipeline"); !strings.Contains(r.Body, "/feedback") {
		t.Error("the demo company's pipeline has nothing to give feedback on")
	}
	candidate := env.Client()
	candidate.SignInDemo("candidate")
	if r := candidate.Get("/me/introductions"); !strings.Contains(r.Body, "/me/introductions/") {
		t.Error("the demo candidate has no introduction to answer")
	}
}

// TestAPIPermissions: through the JSON API, a company sees only its own
// consented introductions and a candidate only their own case.
func TestAPIPermissions(t *testing.T) {
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	if err := seed.Profiles(ctx, env.App.DB); err != nil {
		t.Fatal(err)
	}
	if err := seed.Cases(ctx, env.App.DB); err != nil {
		t.Fatal(err)
	}
	db := env.App.DB
	var ownCase, otherCase, otherIntro int64
	db.GetContext(ctx, &ownCase, `SELECT c.id FROM cases c JOIN candidates cand ON cand.id = c.candidate_id JOIN users u ON u.id = cand.user_id WHERE u.email = $1`, seed.DemoUsers[0].Email)
	db.GetContext(ctx, &otherCase, `SELECT id FROM cases WHERE id <> $1 ORDER BY id LIMIT 1`, ownCase)
	// An introduction to a company the demo company user is not a member of,
	// consented and under way.
	db.GetContext(ctx, &otherIntro, `
		SELECT i.id FROM introductions i JOIN users u ON u.email = $1
		WHERE i.stage = 'interviewing' AND NOT EXISTS (SELECT 1 FROM company_members m WHERE m.company_id = i.company_id AND m.user_id = u.id)
		ORDER BY i.id LIMIT 1`, seed.DemoUsers[1].Email)
	if ownCase == 0 || otherCase == 0 || otherIntro == 0 {
		t.Fatalf("demo data lacks what the test needs: %d %d %d", ownCase, otherCase, otherIntro)
	}
	candidate := env.Client()
	candidate.SignInDemo("candidate")
	mustStatus(t, candidate.Get(fmt.Sprintf("/api/v1/cases/%d", ownCase)), http.StatusOK, "own case")
	mustStatus(t, candidate.Get(fmt.Sprintf("/api/v1/cases/%d", otherCase)), http.StatusNotFound, "another's case")
	mustStatus(t, candidate.Get(fmt.Sprintf("/api/v1/introductions/%d", otherIntro)), http.StatusNotFound, "another's introduction")

	company := env.Client()
	company.SignInDemo("company")
	mustStatus(t, company.Get(fmt.Sprintf("/api/v1/introductions/%d", otherIntro)), http.StatusNotFound, "another company's introduction")
	mustStatus(t, company.Get(fmt.Sprintf("/api/v1/cases/%d", otherCase)), http.StatusNotFound, "a case")
	r := company.Get("/api/v1/introductions")
	mustStatus(t, r, http.StatusOK, "pipeline")
	var p struct {
		Introductions []struct {
			ID        int64  `json:"id"`
			CompanyID int64  `json:"company_id"`
			Stage     string `json:"stage"`
			Name      string `json:"candidate_name"`
		} `json:"introductions"`
	}
	if err := json.Unmarshal([]byte(r.Body), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Introductions) == 0 {
		t.Fatal("empty pipeline")
	}
	var companies []int64
	db.SelectContext(ctx, &companies, `SELECT m.company_id FROM company_members m JOIN users u ON u.id = m.user_id WHERE u.email = $1`, seed.DemoUsers[1].Email)
	for _, in := range p.Introductions {
		if !slices.Contains(companies, in.CompanyID) {
			t.Errorf("introduction %d of company %d in the pipeline", in.ID, in.CompanyID)
		}
		if in.Stage == "suggested" {
			t.Errorf("suggestion %d shown to the company", in.ID)
		}
		shares := in.Stage == "candidate_consented" || in.Stage == "introduced" || in.Stage == "interviewing" || in.Stage == "offered" || in.Stage == "hired"
		if (in.Name != "") != shares {
			t.Errorf("introduction %d in %s: name shown = %v", in.ID, in.Stage, in.Name != "")
		}
	}
	r = company.Do(jsonPost(t, fmt.Sprintf("/api/v1/introductions/%d/feedback", otherIntro), `{"verdict": "yes"}`, company))
	mustStatus(t, r, http.StatusNotFound, "feedback on another company's introduction")
}

func jsonPost(t *testing.T, path, body string, c *apptest.Client) *http.Request {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF("/about"))
	return req
}
