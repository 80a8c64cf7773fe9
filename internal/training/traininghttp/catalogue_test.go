package traininghttp_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

var programmeLink = regexp.MustCompile(`href="/training#programme-(\d+)"`)

// section returns the element of body that opens with id="<id>", up to
// its </article> ("" when absent).
func section(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</article>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}

// TestRolesLinkToCatalogueAnchors: the training that "roles for you"
// suggests for a missing skill links to /training#programme-N, and the
// catalogue has that element for every such link, with the programme's
// open cohorts, or a line saying none is open yet.
func TestRolesLinkToCatalogueAnchors(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	admin := tsunagu.NewContextWithUser(context.Background(), &tsunagu.User{Role: tsunagu.RoleAdmin, DisplayName: "test"})
	db := env.App.DB
	tax, err := taxonomy.Load()
	if err != nil {
		t.Fatal(err)
	}
	var occ *taxonomy.Concept
	for _, c := range tax.Occupations() {
		if c.Labels["en"] == "accountant" {
			occ = c
		}
	}
	if occ == nil {
		t.Fatal("no ESCO occupation 'accountant'")
	}
	ess, _ := tax.OccupationSkills(occ.URI)
	missing := ""
	for _, u := range ess[4:] {
		related := false
		c, _ := tax.Skill(u)
		for _, h := range ess[:4] {
			hc, _ := tax.Skill(h)
			related = related || slices.Contains(c.Broader, h) || slices.Contains(hc.Broader, u)
		}
		if !related {
			missing = u
			break
		}
	}
	if missing == "" {
		t.Fatal("no essential skill of accountant unrelated to the first four")
	}
	refs := func(uris []string) []tsunagu.SkillRef {
		var out []tsunagu.SkillRef
		for _, u := range uris {
			c, _ := tax.Skill(u)
			out = append(out, tsunagu.SkillRef{Label: tax.Label(c, "en"), ESCOURI: u})
		}
		return out
	}
	svc := profile.New(db, profile.WithVocabulary(profile.TaxonomyVocabulary{T: tax}), profile.WithResolver(profile.NewLabelResolver(tax)))
	co := &tsunagu.Company{Name: "Sakura Accounting", Industry: "finance", Prefecture: "Tokyo"}
	if err := svc.SaveCompany(admin, co); err != nil {
		t.Fatal(err)
	}
	role := &tsunagu.JobRole{CompanyID: co.ID, Title: "Accountant", OccupationURI: occ.URI,
		Location: tsunagu.Location{Country: "JP", Prefecture: "Tokyo"}, Workplace: tsunagu.WorkplaceOnsite,
		EmploymentType: "full_time", Openings: 1, Status: tsunagu.RoleOpen,
		Languages:      []tsunagu.LanguageSkill{{Code: "ja", Level: "N3"}},
		RequiredSkills: refs(append(append([]string{}, ess[:4]...), missing))}
	if err := svc.SaveRole(admin, role); err != nil {
		t.Fatal(err)
	}
	candUser, err := db.UserByEmail(admin, seed.DemoUsers[0].Email)
	if err != nil {
		t.Fatal(err)
	}
	cand := &tsunagu.Candidate{Name: "Zainab", UserID: &candUser.ID, Headline: "Accountant", Locale: "en",
		Visibility: tsunagu.VisibilityCompanies, Location: tsunagu.Location{Country: "JP", Prefecture: "Tokyo"},
		WorkHistory: []tsunagu.WorkExperience{{Title: "Senior accountant", OccupationURI: occ.URI, Years: 6}},
		Skills:      refs(ess[:4]),
		Languages:   []tsunagu.LanguageSkill{{Code: "ja", Level: "N2"}, {Code: "en", Level: "C1"}}}
	if err := svc.SaveCandidate(admin, cand); err != nil {
		t.Fatal(err)
	}
	// Three programmes teach the missing skill: one with an open cohort,
	// one with none open yet, one archived (never suggested).
	prog := func(title string, active bool) string {
		var id string
		if err := db.GetContext(admin, &id, `INSERT INTO training_programmes (title_en, kind, format, capacity, active)
			VALUES ($1, 'hard', 'online', 20, $2) RETURNING id::text`, title, active); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(admin, `INSERT INTO training_programme_skills (programme_id, position, esco_uri, label) VALUES ($1, 1, $2, 'x')`, id, missing); err != nil {
			t.Fatal(err)
		}
		return id
	}
	withCohort, noCohort, archived := prog("Ledger basics", true), prog("Ledger advanced", true), prog("Old ledger", false)
	today := time.Now().UTC()
	if _, err := db.ExecContext(admin, `INSERT INTO training_cohorts (programme_id, name, starts_on, ends_on, online_url, capacity)
		VALUES ($1, 'Autumn group', $2, $3, 'https://example.org/m', 20)`, withCohort, today.AddDate(0, 0, 10), today.AddDate(0, 0, 40)); err != nil {
		t.Fatal(err)
	}
	seq, err := db.LastChangeSeq(admin)
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := env.App.Search().WaitApplied(wctx, seq); err != nil {
		t.Fatal(err)
	}

	c := env.ClientFor(t)
	c.SignInDemo("candidate")
	setLang(t, c, "en")
	r := c.Get("/me/roles")
	mustStatus(t, r, http.StatusOK, "roles for you")
	var linked []string
	for _, m := range programmeLink.FindAllStringSubmatch(r.Body, -1) {
		if !slices.Contains(linked, m[1]) {
			linked = append(linked, m[1])
		}
	}
	slices.Sort(linked)
	want := []string{withCohort, noCohort}
	slices.Sort(want)
	if !slices.Equal(linked, want) {
		t.Fatalf("roles page links programmes %v, want %v (archived %s never)", linked, want, archived)
	}

	cat := c.Get("/training")
	mustStatus(t, cat, http.StatusOK, "catalogue")
	for _, id := range linked {
		if section(cat.Body, "programme-"+id) == "" {
			t.Errorf("the catalogue has no id=\"programme-%s\" for the roles page's link", id)
		}
	}
	if s := section(cat.Body, "programme-"+withCohort); !strings.Contains(s, "Autumn group") || !strings.Contains(s, "/request") {
		t.Errorf("programme with an open cohort:\n%s", s)
	}
	if s := section(cat.Body, "programme-"+noCohort); !strings.Contains(s, "No group is open for this course yet.") {
		t.Errorf("programme with no open cohort lacks the empty line:\n%s", s)
	}
	if section(cat.Body, "programme-"+archived) != "" {
		t.Error("an archived programme is in the catalogue")
	}

	// A coordinator following the same links lands on the programme too,
	// with a link to manage it and no request button; a company may not.
	t.Run("StaffFollowTheLinksToo", func(t *testing.T) {
		co := env.ClientFor(t)
		co.SignInDemo("coordinator")
		setLang(t, co, "en")
		p := co.Get("/training")
		mustStatus(t, p, http.StatusOK, "catalogue for staff")
		for _, id := range linked {
			s := section(p.Body, "programme-"+id)
			if !strings.Contains(s, `href="/coordinator/training/programmes/`+id+`"`) || strings.Contains(s, "/request") {
				t.Errorf("staff view of programme %s:\n%s", id, s)
			}
		}
		comp := env.ClientFor(t)
		comp.SignInDemo("company")
		if r := comp.Get("/training"); r.Status != http.StatusForbidden {
			t.Errorf("company on the catalogue: %d", r.Status)
		}
	})

	// The coordinator sees, per programme, how many candidates' gaps it
	// would close: Zainab lacks the skill both active programmes teach.
	t.Run("GapReach", func(t *testing.T) {
		co := env.ClientFor(t)
		co.SignInDemo("coordinator")
		setLang(t, co, "en")
		for _, id := range []string{withCohort, noCohort} {
			p := co.Get("/coordinator/training/programmes/" + id)
			mustStatus(t, p, http.StatusOK, "programme page")
			mustContain(t, p.Body, `<li id="gap-reach">Gaps it would close: <strong>1</strong>`)
		}
		idx := co.Get("/coordinator/training")
		mustStatus(t, idx, http.StatusOK, "training index")
		row := regexp.MustCompile(`programmes/` + withCohort + `">Ledger basics</a></td>\s*<td>[^<]*</td><td>20</td>\s*<td>(\d*)</td>`).FindStringSubmatch(idx.Body)
		if row == nil || row[1] != "1" {
			t.Fatalf("index row for Ledger basics = %v, want gap reach 1", row)
		}
	})
}
