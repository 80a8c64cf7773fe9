package traininghttp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// A coordinator enrols a candidate by finding their name on the cohort
// page, not by typing an id. Hidden profiles are not found, and the names
// shown are an audited read naming each of them (issue 13.4).
func TestEnrolByName(t *testing.T) {
	t.Parallel()
	env, c, tax := coordinator(t)
	ctx := context.Background()
	setLang(t, c, "en")
	progPath := createProgramme(t, c, url.Values{"format": {"in_person"}, "min_attendance": {"50"}, "skills": {tax.Skills()[0].URI}})
	cohortPath := createCohort(t, c, progPath)

	shown := &tsunagu.Candidate{Name: "Zainab Qureshi", Headline: "Forklift driver", Visibility: tsunagu.VisibilityCoordinators}
	hidden := &tsunagu.Candidate{Name: "Zainab Hidden", Headline: "Driver", Visibility: tsunagu.VisibilityHidden}
	for _, cand := range []*tsunagu.Candidate{shown, hidden} {
		if err := env.App.DB.SaveCandidate(ctx, cand); err != nil {
			t.Fatal(err)
		}
	}

	r := c.Get(cohortPath + "?find=zainab")
	mustStatus(t, r, http.StatusOK, "find by name")
	mustContain(t, r.Body, "Zainab Qureshi", fmt.Sprintf(`name="candidate_id" value="%d"`, shown.ID))
	if strings.Contains(r.Body, "Zainab Hidden") {
		t.Error("a hidden profile is offered for enrolment")
	}
	var audited int
	if err := env.App.DB.GetContext(ctx, &audited, `SELECT count(*) FROM audit_log WHERE action = 'training.enrol_candidates'
		AND detail->'ids' @> to_jsonb($1::bigint)`, shown.ID); err != nil || audited != 1 {
		t.Errorf("audit rows naming the candidate found: %d (%v), want 1", audited, err)
	}

	r = c.Get(cohortPath + "?find=nobody-by-this-name")
	mustContain(t, r.Body, "No candidate is named")

	r = c.PostForm(cohortPath+"/enrol", cohortPath+"?find=zainab", url.Values{"candidate_id": {fmt.Sprint(shown.ID)}, "required": {"1"}})
	mustStatus(t, r, http.StatusSeeOther, "enrol the one found")
	if r = c.Get(cohortPath); !strings.Contains(r.Body, "Zainab Qureshi") {
		t.Error("the cohort does not list the candidate enrolled by name")
	}
}
