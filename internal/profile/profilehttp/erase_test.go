package profilehttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// erasee is a person seeded into every place the platform keeps something
// about someone, to be erased.
type erasee struct {
	name, first, email, phone string
	password                  string
	user                      *tsunagu.User
	cand                      *tsunagu.Candidate
	token                     string
	client                    *apptest.Client
}

// mustErasee creates a candidate with an account and puts them everywhere:
// a session and an API token, a password reset, mail to them and about
// them, failed sign-ins, notifications and case notes naming them, an
// introduction, a workshop they taught with their own and the company's
// feedback, an uploaded import, and audit rows.
func mustErasee(t *testing.T, env *apptest.Env, tag string) *erasee {
	t.Helper()
	ctx := context.Background()
	db := env.App.DB
	p := &erasee{
		name: "Zainab " + tag + " Haddadi", first: "Zainab", email: "zainab." + strings.ToLower(tag) + "@example.org",
		phone:    map[string]string{"Own": "090-4111-1111", "Page": "080-4222-2222", "API": "070-4333-3333"}[tag],
		password: "a long enough passphrase 42",
	}
	hash, err := auth.HashPassword(p.password)
	if err != nil {
		t.Fatal(err)
	}
	p.user = &tsunagu.User{Email: p.email, DisplayName: p.name, PasswordHash: hash, Role: tsunagu.RoleCandidate, Locale: "en"}
	if err := db.CreateUser(ctx, p.user); err != nil {
		t.Fatal(err)
	}
	p.cand = &tsunagu.Candidate{ExternalID: "erase-" + tag, UserID: &p.user.ID, Name: p.name, Email: p.email, Phone: p.phone,
		Headline: "Accountant", Visibility: tsunagu.VisibilityCompanies, Locale: "en"}
	if err := db.SaveCandidate(ctx, p.cand); err != nil {
		t.Fatal(err)
	}
	p.client = env.ClientFor(t)
	p.client.SignIn(p.email, p.password)
	if p.token, _, err = env.App.Auth.CreateAPIToken(ctx, p.user, nil, auth.TokenRequest{Name: "phone app", Scope: "read_write"}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreatePasswordReset(ctx, p.user.ID, []byte("reset-"+tag), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	coord, err := db.UserByEmail(ctx, "coordinator@demo.tsunagu.jp")
	if err != nil {
		t.Fatal(err)
	}
	mustExec := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if strings.Contains(q, "RETURNING") {
			if err := db.GetContext(ctx, &id, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return id
		}
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return 0
	}
	// Mail to them, and mail to staff about them.
	if _, err := db.QueueMail(ctx, strings.ToUpper(p.email), "Welcome", "Dear "+p.name+", welcome."); err != nil {
		t.Fatal(err)
	}
	if _, err := db.QueueMail(ctx, "coordinator@demo.tsunagu.jp", "Consent", p.name+" ("+p.email+", "+strings.ReplaceAll(p.phone, "-", " ")+") consented."); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordFailedLogin(ctx, strings.ToUpper(p.email), "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	mustExec(`INSERT INTO notifications (user_id, kind, message_id, data) VALUES ($1, 'consent', 'notify.consented', $2)`,
		coord.ID, fmt.Sprintf(`{"Name": %q, "Phone": %q}`, p.name, "+81 "+strings.TrimPrefix(p.phone, "0")))
	mustExec(`INSERT INTO notifications (user_id, kind, message_id) VALUES ($1, 'hello', 'notify.hello')`, p.user.ID)
	// A case, an introduction and a case note naming them.
	company := mustExec(`INSERT INTO companies (name) VALUES ($1) RETURNING id`, "Erase Co "+tag)
	role := mustExec(`INSERT INTO roles (company_id, title, workplace) VALUES ($1, 'Bookkeeper', 'onsite') RETURNING id`, company)
	caseID := mustExec(`INSERT INTO cases (candidate_id) VALUES ($1) RETURNING id`, p.cand.ID)
	mustExec(`INSERT INTO introductions (case_id, candidate_id, role_id, company_id) VALUES ($1, $2, $3, $4)`, caseID, p.cand.ID, role, company)
	mustExec(`INSERT INTO case_events (case_id, kind, note) VALUES ($1, 'note', $2)`, caseID, "Called "+p.name+" on "+p.phone)
	// A workshop they taught: their feedback, and the company's naming them.
	ws := mustExec(`INSERT INTO workshops (company_id, topic, audience, language) VALUES ($1, 'Syria today', 20, 'en') RETURNING id`, company)
	mustExec(`INSERT INTO workshop_lecturers (workshop_id, candidate_id) VALUES ($1, $2)`, ws, p.cand.ID)
	mustExec(`INSERT INTO workshop_feedback (workshop_id, party, author_id, rating, comment) VALUES ($1, 'lecturer', $2, 5, $3)`, ws, p.user.ID, "I am "+p.name+", it went well")
	mustExec(`INSERT INTO workshop_feedback (workshop_id, party, author_id, rating, comment) VALUES ($1, 'company', $2, 5, $3)`, ws, coord.ID, p.first+" was great; "+strings.ToUpper(p.first)+" answered every question.")
	// An upload with their line and someone else's.
	other := fmt.Sprintf(`{"id":"keep-%s","name":"Keep Me %s","email":"keep.%s@example.org"}`, tag, tag, strings.ToLower(tag))
	mine := fmt.Sprintf(`{"id":"upload-%s","name":%q,"email":%q,"phone":%q}`, tag, p.name, p.email, p.phone)
	job := &postgres.ImportJob{Kind: "candidates", Filename: "people.csv", CreatedBy: &coord.ID, Content: []byte(other + "\n" + mine + "\n"), Total: 2,
		Errors: json.RawMessage(fmt.Sprintf(`[{"line": 2, "field": "email", "value": %q}]`, p.email))}
	if err := db.CreateImportJob(ctx, job); err != nil {
		t.Fatal(err)
	}
	// Audit rows: a view by staff, with a note naming them.
	if err := db.Audit(ctx, coord.ID, "candidate.view_full", "candidate", fmt.Sprint(p.cand.ID), []byte(fmt.Sprintf(`{"note": "asked by %s"}`, p.name))); err != nil {
		t.Fatal(err)
	}
	mustExec(`INSERT INTO saved_searches (user_id, name, query) VALUES ($1, 'mine', 'bookkeeping')`, p.user.ID)
	if r := p.client.Get("/me/profile"); r.Status != http.StatusOK {
		t.Fatalf("erasee cannot see their profile before: %d", r.Status)
	}
	if r := bearer(env, p.token, "/api/v1/me/data"); r != http.StatusOK {
		t.Fatalf("erasee token refused before: %d", r)
	}
	return p
}

func bearer(env *apptest.Env, token, path string) int {
	req, _ := http.NewRequest(http.MethodGet, env.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return env.ClientFor(env.TB).Do(req).Status
}

// mustBeGone checks every table of the schema (from the catalogue, so a
// table added later is checked too) for the person's e-mail, name or phone,
// in any column, and that their account, sessions and tokens ended.
func mustBeGone(t *testing.T, env *apptest.Env, p *erasee) {
	t.Helper()
	ctx := context.Background()
	db := env.App.DB
	var tables []string
	if err := db.SelectContext(ctx, &tables, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	if len(tables) < 20 {
		t.Fatalf("only %d tables listed", len(tables))
	}
	digits := strings.ReplaceAll(p.phone, "-", "")
	needles := []string{strings.ToLower(p.email), strings.ToLower(p.name), p.phone, digits, strings.ReplaceAll(p.phone, "-", " "), "81 " + strings.TrimPrefix(p.phone, "0"),
		strings.ToLower(p.first) + " was great"}
	for _, table := range tables {
		var bytea []string
		db.SelectContext(ctx, &bytea, `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND data_type = 'bytea'`, table)
		for _, n := range needles {
			q := fmt.Sprintf(`SELECT count(*) FROM %s t WHERE strpos(lower(t::text), $1) > 0`, pq.QuoteIdentifier(table))
			for _, col := range bytea {
				q += fmt.Sprintf(` OR strpos(lower(encode(%s, 'escape')), $1) > 0`, pq.QuoteIdentifier(col)) // needles are ASCII
			}
			var count int
			if err := db.GetContext(ctx, &count, q, n); err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			if count != 0 {
				t.Errorf("table %s: %d rows still hold %q", table, count, n)
			}
		}
	}
	if _, err := db.UserByID(ctx, p.user.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		t.Errorf("account still there: %v", err)
	}
	if _, err := db.CandidateByID(ctx, p.cand.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		t.Errorf("profile still there: %v", err)
	}
	if r := p.client.Get("/me/profile"); r.Status == http.StatusOK {
		t.Errorf("session still works after erasure")
	}
	if r := bearer(env, p.token, "/api/v1/me/data"); r != http.StatusUnauthorized {
		t.Errorf("API token after erasure: %d, want 401", r)
	}
	var n int
	db.GetContext(ctx, &n, `SELECT count(*) FROM change_log WHERE entity = 'candidate' AND entity_id = $1 AND op = 'delete'`, p.cand.ID)
	if n != 1 {
		t.Errorf("change_log delete rows = %d, want 1", n)
	}
	db.GetContext(ctx, &n, `SELECT count(*) FROM audit_log WHERE action = 'candidate.erased' AND subject_id = $1`, fmt.Sprint(p.cand.ID))
	if n != 1 {
		t.Errorf("erasure audit rows = %d, want 1", n)
	}
	// What belongs to others stays.
	var content string
	db.GetContext(ctx, &content, `SELECT convert_from(content, 'UTF8') FROM import_jobs WHERE strpos(convert_from(content, 'UTF8'), $1) > 0`, "keep-"+p.cand.ExternalID[len("erase-"):])
	if !strings.Contains(content, "Keep Me") {
		t.Errorf("the other person's upload line is gone")
	}
	db.GetContext(ctx, &n, `SELECT count(*) FROM workshop_feedback WHERE party = 'company' AND comment LIKE '%answered every question%'`)
	if n == 0 {
		t.Errorf("the company's feedback was deleted instead of anonymised")
	}
}

func TestEraseLeavesNothing(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	staff := env.ClientFor(t)
	staff.SignInDemo("coordinator")

	t.Run("OwnErasure", func(t *testing.T) {
		p := mustErasee(t, env, "Own")
		// The export holds what is kept about them, including who viewed
		// their profile.
		if r := staff.Get(fmt.Sprintf("/coordinator/candidates/%d", p.cand.ID)); r.Status != http.StatusOK {
			t.Fatalf("staff view: %d", r.Status)
		}
		r := p.client.Get("/me/data/export.json")
		if r.Status != http.StatusOK {
			t.Fatalf("export: %d", r.Status)
		}
		var out struct {
			Tables map[string][]map[string]any `json:"tables"`
		}
		if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
			t.Fatal(err)
		}
		viewed := false
		for _, a := range out.Tables["audit_log"] {
			if a["action"] == "candidate.view_full" && a["actor_role"] == "coordinator" && a["actor_name"] == "田中 一郎" {
				viewed = true
			}
		}
		if !viewed {
			t.Errorf("export does not say who viewed the profile: %v", out.Tables["audit_log"])
		}
		for _, table := range []string{"mail_outbox", "login_attempts", "workshop_feedback", "sessions", "api_tokens", "introductions", "saved_searches"} {
			if len(out.Tables[table]) == 0 {
				t.Errorf("export lacks %s; has %v", table, keys(out.Tables))
			}
		}
		if strings.Contains(r.Body, "token_hash") || strings.Contains(r.Body, "csrf_token") {
			t.Errorf("export holds session or token secrets")
		}
		r = p.client.PostForm("/me/data/erase", "/me/data", url.Values{"confirm": {"yes"}, "password": {p.password}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("erase: %d %s", r.Status, r.Body)
		}
		mustBeGone(t, env, p)
	})
	t.Run("CoordinatorPage", func(t *testing.T) {
		p := mustErasee(t, env, "Page")
		path := fmt.Sprintf("/coordinator/candidates/%d/delete", p.cand.ID)
		if r := staff.Get(path); r.Status != http.StatusOK || !strings.Contains(r.Body, `name="confirm"`) {
			t.Fatalf("confirmation page: %d", r.Status)
		}
		if r := staff.PostForm(path, path, nil); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="confirm-error"`) {
			t.Fatalf("unconfirmed erase: %d, want 422 with the field error", r.Status)
		}
		if _, err := env.App.DB.CandidateByID(context.Background(), p.cand.ID); err != nil {
			t.Fatalf("an unconfirmed erase deleted the profile: %v", err)
		}
		if r := staff.PostForm(path, path, url.Values{"confirm": {"yes"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("erase: %d %s", r.Status, r.Body)
		}
		mustBeGone(t, env, p)
	})
	t.Run("API", func(t *testing.T) {
		p := mustErasee(t, env, "API")
		coord, _ := env.App.DB.UserByEmail(context.Background(), "coordinator@demo.tsunagu.jp")
		tok, _, err := env.App.Auth.CreateAPIToken(context.Background(), coord, nil, auth.TokenRequest{Name: "erase test", Scope: "read_write"})
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodDelete, fmt.Sprintf("%s/api/v1/candidates/%d", env.URL, p.cand.ID), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		if r := env.ClientFor(t).Do(req); r.Status != http.StatusNoContent {
			t.Fatalf("DELETE: %d %s", r.Status, r.Body)
		}
		mustBeGone(t, env, p)
	})
}
