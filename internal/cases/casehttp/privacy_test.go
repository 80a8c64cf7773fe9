package casehttp_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/seed"
)

// TestCandidateCaseHoldsOnlyTheirs: a hired candidate's own case (API and
// page) and data export carry their own check-in answers, never the
// employer's confidential answers nor staff-only notes.
func TestCandidateCaseHoldsOnlyTheirs(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	if err := seed.Profiles(ctx, db); err != nil {
		t.Fatal(err)
	}
	var candID, roleID, companyID int64
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.Get(&candID, `SELECT c.id FROM candidates c JOIN users u ON u.id = c.user_id WHERE u.email = $1`, seed.DemoUsers[0].Email))
	must(db.Get(&roleID, `SELECT id FROM roles ORDER BY id LIMIT 1`))
	must(db.Get(&companyID, `SELECT company_id FROM roles WHERE id = $1`, roleID))
	var caseID, introID int64
	must(db.Get(&caseID, `INSERT INTO cases (candidate_id, stage) VALUES ($1, 'retention') RETURNING id`, candID))
	must(db.Get(&introID, `INSERT INTO introductions (case_id, candidate_id, role_id, company_id, stage, hired_at)
		VALUES ($1, $2, $3, $4, 'hired', now()) RETURNING id`, caseID, candID, roleID, companyID))
	_, err := db.Exec(`INSERT INTO followups (case_id, introduction_id, month, party, due_at, completed_at, still_employed, satisfaction, issues) VALUES
		($1, $2, 1, 'candidate', now(), now(), true, 4, 'MY-OWN-ANSWER about the team'),
		($1, $2, 1, 'employer', now(), now(), true, 2, 'EMPLOYER-CONFIDENTIAL attitude concerns')`, caseID, introID)
	must(err)
	_, err = db.Exec(`INSERT INTO case_events (case_id, kind, note) VALUES ($1, 'note', 'STAFF-ONLY-NOTE family at risk'), ($1, 'alert', 'STAFF-ONLY-ALERT')`, caseID)
	must(err)

	c := env.Client()
	c.SignInDemo("candidate")
	for _, p := range []string{fmt.Sprintf("/api/v1/cases/%d", caseID), "/me/case", "/api/v1/me/data"} {
		t.Run(strings.ReplaceAll(p, "/", "_"), func(t *testing.T) {
			r := c.Get(p)
			if r.Status != http.StatusOK {
				t.Fatalf("status %d: %.300s", r.Status, r.Body)
			}
			for _, leak := range []string{"EMPLOYER-CONFIDENTIAL", "STAFF-ONLY-NOTE", "STAFF-ONLY-ALERT"} {
				if strings.Contains(r.Body, leak) {
					t.Errorf("shows %q", leak)
				}
			}
			if p != "/me/case" && !strings.Contains(r.Body, "MY-OWN-ANSWER") {
				t.Errorf("lacks the candidate's own answer")
			}
		})
	}
	t.Run("StaffSeeAll", func(t *testing.T) {
		co := env.Client()
		co.SignInDemo("coordinator")
		r := co.Get(fmt.Sprintf("/api/v1/cases/%d", caseID))
		if !strings.Contains(r.Body, "EMPLOYER-CONFIDENTIAL") || !strings.Contains(r.Body, "STAFF-ONLY-NOTE") {
			t.Errorf("staff lack the employer's answer or the note: %d", r.Status)
		}
	})
}

// TestCaseReadsAudited: every staff read that names a candidate on the
// case pages writes an audit row naming them: the board and its API (one
// row per list, the candidates in detail "ids"), the case page and its
// API (one row about the candidate), the "open a case" picker; the
// candidate reading their own case writes none (issue 11.5).
func TestCaseReadsAudited(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	if err := seed.Profiles(ctx, db); err != nil {
		t.Fatal(err)
	}
	var candID, other, caseID int64
	if err := db.Get(&candID, `SELECT c.id FROM candidates c JOIN users u ON u.id = c.user_id WHERE u.email = $1`, seed.DemoUsers[0].Email); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&caseID, `INSERT INTO cases (candidate_id, stage) VALUES ($1, 'intake') RETURNING id`, candID); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&other, `SELECT id FROM candidates c WHERE NOT EXISTS (SELECT 1 FROM cases WHERE candidate_id = c.id) ORDER BY id LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	rows := func(action string, id int64) int {
		var n int
		if err := db.Get(&n, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_type = 'candidate'
			AND (subject_id = $2::text OR detail->'ids' @> to_jsonb($2::bigint))`, action, id); err != nil {
			t.Fatal(err)
		}
		return n
	}
	co := env.Client()
	co.SignInDemo("coordinator")
	reads := []struct {
		name, path, action string
		who                *int64
	}{
		{"Board", "/coordinator/cases", "case.list", &candID},
		{"BoardAPI", "/api/v1/cases", "case.list", &candID},
		{"CasePage", fmt.Sprintf("/coordinator/cases/%d", caseID), "case.view", &candID},
		{"CaseAPI", fmt.Sprintf("/api/v1/cases/%d", caseID), "case.view", &candID},
		{"NewCasePicker", "/coordinator/cases/new", "case.candidates", &other},
	}
	for _, rd := range reads {
		t.Run(rd.name, func(t *testing.T) {
			before := rows(rd.action, *rd.who)
			if r := co.Get(rd.path); r.Status != http.StatusOK {
				t.Fatalf("status %d", r.Status)
			}
			if got, want := rows(rd.action, *rd.who), before+1; got != want {
				t.Errorf("audit rows %s naming the candidate = %d, want %d", rd.action, got, want)
			}
		})
	}
	t.Run("OwnCaseNotAudited", func(t *testing.T) {
		c := env.Client()
		c.SignInDemo("candidate")
		before := rows("case.view", candID)
		if r := c.Get(fmt.Sprintf("/api/v1/cases/%d", caseID)); r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
		if got := rows("case.view", candID); got != before {
			t.Errorf("the candidate's own read was audited (%d rows, was %d)", got, before)
		}
	})
}
