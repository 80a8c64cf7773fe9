package apiclient_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apiclient"
	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
)

// TestJourneyWithGeneratedClient drives the API the way a program would,
// through the client generated from the OpenAPI document, against the
// real router and services: staff set up a company and a candidate, then
// a company user with a personal access token posts a role, reads its
// matches and asks to be introduced to the matched candidate. Every
// exchange is also checked against the document (apptest).
func TestJourneyWithGeneratedClient(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	staff := tokenClient(t, env, "coordinator")
	company := tokenClient(t, env, "company")

	// The company user, as the API sees them.
	me, err := company.GetMeWithResponse(ctx)
	must(t, err)
	if me.JSON200 == nil || me.JSON200.Id == nil || me.JSON200.Role == nil || *me.JSON200.Role != "company" {
		t.Fatalf("GET /me = %d %s", me.StatusCode(), me.Body)
	}

	// Staff: a company with the user as member, and a candidate who holds
	// four of the five skills the role will ask for.
	tax, err := taxonomy.Load()
	must(t, err)
	var occURI string
	for _, c := range tax.Occupations() {
		if c.Labels["en"] == "accountant" {
			occURI = c.URI
		}
	}
	skills, _ := tax.OccupationSkills(occURI)
	if occURI == "" || len(skills) < 5 {
		t.Fatalf("no ESCO occupation accountant with 5 skills (%q, %d)", occURI, len(skills))
	}
	refs := func(uris []string) *[]apiclient.SkillRef {
		var out []apiclient.SkillRef
		for _, u := range uris {
			c, _ := tax.Skill(u)
			out = append(out, apiclient.SkillRef{EscoUri: ptr(u), Label: ptr(tax.Label(c, "en"))})
		}
		return &out
	}

	co, err := staff.CreateCompanyWithResponse(ctx, apiclient.Company{Name: "Journey Accounting", Industry: ptr("finance"), Prefecture: ptr("Tokyo")})
	must(t, err)
	if co.JSON201 == nil || co.JSON201.Id == nil {
		t.Fatalf("POST /companies = %d %s", co.StatusCode(), co.Body)
	}
	companyID := *co.JSON201.Id
	if st := co.JSON201.Status; st == nil || *st != "verified" {
		v, err := staff.VerifyCompanyWithResponse(ctx, companyID, apiclient.VerifyIn{VerificationNote: "registry checked"})
		must(t, err)
		if v.JSON200 == nil {
			t.Fatalf("POST /companies/%d/verify = %d %s", companyID, v.StatusCode(), v.Body)
		}
	}
	mem, err := staff.AddCompanyMemberWithResponse(ctx, companyID, apiclient.MemberIn{UserId: *me.JSON200.Id})
	must(t, err)
	if mem.StatusCode() != http.StatusNoContent {
		t.Fatalf("POST /companies/%d/members = %d %s", companyID, mem.StatusCode(), mem.Body)
	}

	cand, err := staff.CreateCandidateWithResponse(ctx, &apiclient.CreateCandidateParams{}, apiclient.Candidate{
		Name: "Amina Journey", Email: ptr("amina.journey@example.org"), Nationality: ptr("SY"), Headline: ptr("Accountant"),
		Visibility: apiclient.CandidateVisibility("companies"), Locale: ptr("en"),
		Location:    &apiclient.Location{Country: ptr("JP"), Prefecture: ptr("Tokyo")},
		WorkHistory: &[]apiclient.WorkExperience{{Title: "Senior accountant", OccupationUri: ptr(occURI), Years: ptr(6.0)}},
		Skills:      refs(skills[:4]),
		Languages:   &[]apiclient.LanguageSkill{{Code: "ja", Level: "N2"}, {Code: "en", Level: "C1"}},
	})
	must(t, err)
	if cand.JSON201 == nil || cand.JSON201.Id == nil {
		t.Fatalf("POST /candidates = %d %s", cand.StatusCode(), cand.Body)
	}
	candID := *cand.JSON201.Id

	// The company posts a role.
	role, err := company.CreateRoleWithResponse(ctx, apiclient.JobRole{
		CompanyId: ptr(companyID), Title: "Accounting staff", OccupationUri: ptr(occURI),
		Location:  &apiclient.Location{Country: ptr("JP"), Prefecture: ptr("Tokyo")},
		Workplace: apiclient.JobRoleWorkplace("onsite"), EmploymentType: apiclient.JobRoleEmploymentType("full_time"),
		Status: apiclient.JobRoleStatus("open"), Openings: ptr(1),
		RequiredSkills: refs(skills[:5]),
		Languages:      &[]apiclient.LanguageSkill{{Code: "ja", Level: "N3"}},
	})
	must(t, err)
	if role.JSON201 == nil || role.JSON201.Id == nil {
		t.Fatalf("POST /roles = %d %s", role.StatusCode(), role.Body)
	}
	roleID := *role.JSON201.Id

	// It reads its matches once the index has caught up with the saves.
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
	defer wcancel()
	seq, err := env.App.DB.LastChangeSeq(wctx)
	must(t, err)
	must(t, env.App.Search().WaitApplied(wctx, seq))
	matches, err := company.ListRoleMatchesWithResponse(ctx, roleID, &apiclient.ListRoleMatchesParams{Limit: ptr(20)})
	must(t, err)
	if matches.JSON200 == nil || matches.JSON200.Matches == nil {
		t.Fatalf("GET /roles/%d/matches = %d %s", roleID, matches.StatusCode(), matches.Body)
	}
	var card *apiclient.Card
	for i, c := range *matches.JSON200.Matches {
		if c.CandidateId != nil && *c.CandidateId == candID {
			card = &(*matches.JSON200.Matches)[i]
		}
	}
	if card == nil {
		t.Fatalf("candidate %d not among the role's matches: %s", candID, matches.Body)
	}
	if card.MatchedSkills == nil || len(*card.MatchedSkills) < 4 || card.Score == nil || *card.Score <= 0 {
		t.Errorf("card reasons: %s", matches.Body)
	}
	if strings.Contains(string(matches.Body), "Amina") {
		t.Error("the match card names the candidate before consent")
	}

	// It asks to be introduced; the candidate is then asked to consent.
	intro, err := company.RequestIntroductionWithResponse(ctx, roleID, apiclient.IntroductionIn{CandidateId: candID, Note: ptr("We would like to meet you")})
	must(t, err)
	if intro.JSON201 == nil || intro.JSON201.Id <= 0 {
		t.Fatalf("POST /roles/%d/introductions = %d %s", roleID, intro.StatusCode(), intro.Body)
	}
	got, err := staff.GetIntroductionWithResponse(ctx, intro.JSON201.Id)
	must(t, err)
	if got.JSON200 == nil || got.JSON200.RoleId == nil || *got.JSON200.RoleId != roleID ||
		got.JSON200.CandidateId == nil || *got.JSON200.CandidateId != candID || got.JSON200.Stage == nil {
		t.Fatalf("GET /introductions/%d = %d %s", intro.JSON201.Id, got.StatusCode(), got.Body)
	}
	// Asking twice is a conflict, in the documented error shape.
	again, err := company.RequestIntroductionWithResponse(ctx, roleID, apiclient.IntroductionIn{CandidateId: candID})
	must(t, err)
	if again.JSON409 == nil || again.JSON409.Error.Code != "conflict" {
		t.Fatalf("second request = %d %s", again.StatusCode(), again.Body)
	}
}

// tokenClient signs in as the demo user of role, creates a personal access
// token through the generated client (session cookie and CSRF header) and
// returns a client that authenticates with that token only.
func tokenClient(t *testing.T, env *apptest.Env, role string) *apiclient.ClientWithResponses {
	t.Helper()
	browser := env.ClientFor(t)
	browser.SignInDemo(role)
	csrf := browser.CSRF("/account/tokens")
	session, err := apiclient.NewClientWithResponses(env.URL+"/api/v1", apiclient.WithHTTPClient(browser.HTTP),
		apiclient.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("X-CSRF-Token", csrf)
			return nil
		}))
	must(t, err)
	tok, err := session.CreateTokenWithResponse(context.Background(), apiclient.CreateTokenJSONRequestBody{Name: "journey " + role, Scope: ptr(apiclient.ReadWrite)})
	must(t, err)
	if tok.JSON201 == nil || !strings.HasPrefix(tok.JSON201.Token, "tsu_") {
		t.Fatalf("POST /tokens as %s = %d %s", role, tok.StatusCode(), tok.Body)
	}
	c, err := apiclient.NewClientWithResponses(env.URL+"/api/v1", apiclient.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}),
		apiclient.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+tok.JSON201.Token)
			return nil
		}))
	must(t, err)
	return c
}

func ptr[T any](v T) *T { return &v }

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
