package matchhttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/matching"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// fixture is a small crafted pool: two companies with an accountant role
// each (the demo company account is a member of the first), and
// candidates who fit the role: one visible to companies (the demo
// candidate account), one hidden, one visible to coordinators only, and a
// near match (Japanese N5, in Osaka, not relocating). The visible one
// lacks the role's fifth required skill, which a programme teaches.
type fixture struct {
	env                  *apptest.Env
	svc                  *profile.Service
	roleA, roleB         int64
	visible, hidden      int64
	coordOnly, near      int64
	occURI, missingURI   string
	required             []string // ESCO URIs of the required skills
	programmeID          int64
	demoCand, demoCoord  int64 // user ids
	roleATitle, roleBTit string
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func adminCtx() context.Context {
	return tsunagu.NewContextWithUser(context.Background(), &tsunagu.User{Role: tsunagu.RoleAdmin, DisplayName: "test"})
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	env := apptest.New(t, apptest.Options{Seed: true})
	f := &fixture{env: env}
	ctx := adminCtx()
	db := env.App.DB
	tax, err := taxonomy.Load()
	must(t, err)
	var occ *taxonomy.Concept
	for _, c := range tax.Occupations() {
		if c.Labels["en"] == "accountant" {
			occ = c
		}
	}
	if occ == nil {
		t.Fatal("no ESCO occupation 'accountant'")
	}
	f.occURI = occ.URI
	ess, _ := tax.OccupationSkills(occ.URI)
	if len(ess) < 5 {
		t.Fatalf("accountant has %d essential skills", len(ess))
	}
	f.missingURI = unrelatedSkill(tax, ess[:4], ess[4:])
	if f.missingURI == "" {
		t.Fatal("no essential skill of accountant unrelated to the first four")
	}
	f.required = append(append([]string{}, ess[:4]...), f.missingURI)
	skills := func(uris []string) []tsunagu.SkillRef {
		var out []tsunagu.SkillRef
		for _, u := range uris {
			c, _ := tax.Skill(u)
			out = append(out, tsunagu.SkillRef{Label: tax.Label(c, "en"), ESCOURI: u})
		}
		return out
	}
	f.svc = profile.New(db, profile.WithVocabulary(profile.TaxonomyVocabulary{T: tax}), profile.WithResolver(profile.NewLabelResolver(tax)))

	var ids [2]int64
	for i, name := range []string{"Sakura Accounting", "Fuji Ledger"} {
		c := &tsunagu.Company{Name: name, Industry: "finance", Prefecture: "Tokyo"}
		must(t, f.svc.SaveCompany(ctx, c))
		ids[i] = c.ID
	}
	compUser, err := db.UserByEmail(ctx, seed.DemoUsers[1].Email)
	must(t, err)
	must(t, db.AddCompanyMember(ctx, ids[0], compUser.ID))
	candUser, err := db.UserByEmail(ctx, seed.DemoUsers[0].Email)
	must(t, err)
	f.demoCand = candUser.ID
	coordUser, err := db.UserByEmail(ctx, seed.DemoUsers[2].Email)
	must(t, err)
	f.demoCoord = coordUser.ID

	f.roleATitle, f.roleBTit = "Accountant at Sakura", "Accountant at Fuji"
	for i, title := range []string{f.roleATitle, f.roleBTit} {
		r := &tsunagu.JobRole{CompanyID: ids[i], Title: title, OccupationURI: occ.URI,
			Location: tsunagu.Location{Country: "JP", Prefecture: "Tokyo"}, Workplace: tsunagu.WorkplaceOnsite,
			EmploymentType: "full_time", Openings: 1, Status: tsunagu.RoleOpen,
			Languages:      []tsunagu.LanguageSkill{{Code: "ja", Level: "N3"}},
			RequiredSkills: skills(f.required)}
		must(t, f.svc.SaveRole(ctx, r))
		if i == 0 {
			f.roleA = r.ID
		} else {
			f.roleB = r.ID
		}
	}
	f.visible = f.candidate(t, "Zainab Secretname", "zainab@example.org", "SY", tsunagu.VisibilityCompanies, "N2", "Tokyo", false, skills(f.required[:4]), &candUser.ID)
	f.hidden = f.candidate(t, "Hidden Person", "hidden@example.org", "AF", tsunagu.VisibilityHidden, "N1", "Tokyo", false, skills(f.required), nil)
	f.coordOnly = f.candidate(t, "Coord Only", "coord.only@example.org", "UA", tsunagu.VisibilityCoordinators, "N1", "Tokyo", false, skills(f.required), nil)
	f.near = f.candidate(t, "Near Person", "near@example.org", "MM", tsunagu.VisibilityCompanies, "N5", "Osaka", false, skills(f.required), nil)

	must(t, db.GetContext(ctx, &f.programmeID, `INSERT INTO training_programmes (title_en, title_ja, kind, format, capacity)
		VALUES ('Ledger basics', '帳簿の基礎', 'hard', 'online', 20) RETURNING id`))
	_, err = db.ExecContext(ctx, `INSERT INTO training_programme_skills (programme_id, position, esco_uri, label) VALUES ($1, 1, $2, 'x')`, f.programmeID, f.missingURI)
	must(t, err)
	f.waitIndexed(t)
	return f
}

// unrelatedSkill returns the first of from that the held skills do not
// match through a directly broader or narrower skill ("" if none).
func unrelatedSkill(tax *taxonomy.Taxonomy, held, from []string) string {
	near := map[string]bool{}
	for _, u := range held {
		near[u] = true
		c, _ := tax.Skill(u)
		for _, b := range c.Broader {
			near[b] = true
		}
	}
	for _, u := range from {
		c, ok := tax.Skill(u)
		if !ok || near[u] {
			continue
		}
		related := false
		for _, h := range held {
			related = related || slices.Contains(c.Broader, h)
		}
		if !related {
			return u
		}
	}
	return ""
}

func (f *fixture) candidate(t *testing.T, name, email, nationality, visibility, japanese, pref string, relocate bool, skills []tsunagu.SkillRef, userID *int64) int64 {
	t.Helper()
	c := &tsunagu.Candidate{Name: name, Email: email, Nationality: nationality, Headline: "Accountant",
		UserID: userID, Locale: "en", Visibility: visibility, WillingToRelocate: relocate,
		Location:    tsunagu.Location{Country: "JP", Prefecture: pref},
		WorkHistory: []tsunagu.WorkExperience{{Title: "Senior accountant", OccupationURI: f.occURI, Years: 6}},
		Skills:      skills,
		Languages:   []tsunagu.LanguageSkill{{Code: "ja", Level: japanese}, {Code: "en", Level: "C1"}},
	}
	must(t, f.svc.SaveCandidate(adminCtx(), c))
	return c.ID
}

// waitIndexed waits until this process's index has applied every change.
func (f *fixture) waitIndexed(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	seq, err := f.env.App.DB.LastChangeSeq(ctx)
	must(t, err)
	must(t, f.env.App.Search().WaitApplied(ctx, seq))
}

func mustStatus(t testing.TB, r *apptest.Response, want int, what string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, want, r.Body)
	}
}

// client signs in as the demo user of role, reading English.
func (f *fixture) client(t *testing.T, role string) *apptest.Client {
	t.Helper()
	c := f.env.ClientFor(t)
	c.SignInDemo(role)
	mustStatus(t, c.PostForm("/lang", "/about", url.Values{"lang": {"en"}}), http.StatusSeeOther, "set language")
	return c
}

func cardOf(id int64) string { return fmt.Sprintf(`id="candidate-%d"`, id) }

func getJSON(t *testing.T, c *apptest.Client, path string, want int, v any) {
	t.Helper()
	r := c.Get(path)
	mustStatus(t, r, want, path)
	if v != nil {
		must(t, json.Unmarshal([]byte(r.Body), v))
	}
}

// TestCompanyMatches: a company sees anonymised cards with the reasons for
// its own role, never a hidden or coordinators-only candidate, and another
// company's role answers 404.
func TestCompanyMatches(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, "company")
	page := fmt.Sprintf("/roles/%d/matches", f.roleA)

	t.Run("OK", func(t *testing.T) {
		r := c.Get(page)
		mustStatus(t, r, http.StatusOK, "matches page")
		for _, want := range []string{cardOf(f.visible), cardOf(f.near), "Skills matched", "Required skills missing",
			"Requirements not met", "Japanese below the level asked", "Score breakdown", "Request introduction"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		for _, leak := range []string{cardOf(f.hidden), cardOf(f.coordOnly), "Zainab", "Secretname", "zainab@example.org", "Near Person"} {
			if strings.Contains(r.Body, leak) {
				t.Errorf("page shows %q", leak)
			}
		}
	})
	t.Run("Filters", func(t *testing.T) {
		r := c.Get(page + "?near=0")
		if !strings.Contains(r.Body, cardOf(f.visible)) || strings.Contains(r.Body, cardOf(f.near)) {
			t.Errorf("near=0: want only the candidate meeting every requirement")
		}
		r = c.Get(page + "?japanese=N2")
		if !strings.Contains(r.Body, cardOf(f.visible)) || strings.Contains(r.Body, cardOf(f.near)) {
			t.Errorf("japanese=N2: want only the N2 candidate")
		}
		r = c.Get(page + "?prefecture=Osaka")
		if strings.Contains(r.Body, cardOf(f.visible)) || !strings.Contains(r.Body, cardOf(f.near)) {
			t.Errorf("prefecture=Osaka: want only the candidate in Osaka")
		}
		r = c.Get(page + "?sort=japanese&near=1")
		if i, j := strings.Index(r.Body, cardOf(f.visible)), strings.Index(r.Body, cardOf(f.near)); i < 0 || j < 0 || i > j {
			t.Errorf("sort=japanese: want N2 before N5 (%d, %d)", i, j)
		}
	})
	t.Run("API", func(t *testing.T) {
		var raw struct {
			Matches []map[string]any `json:"matches"`
		}
		getJSON(t, c, "/api/v1/roles/"+fmt.Sprint(f.roleA)+"/matches", http.StatusOK, &raw)
		if len(raw.Matches) != 2 {
			t.Fatalf("matches = %d, want 2 (visible and near)", len(raw.Matches))
		}
		for _, m := range raw.Matches {
			for _, k := range []string{"name", "email", "phone", "nationality", "photo_url", "candidate_external_id", "headline"} {
				if _, ok := m[k]; ok {
					t.Errorf("card carries %q", k)
				}
			}
			for _, k := range []string{"matched_skills", "missing_skills", "unmet", "breakdown", "score"} {
				if _, ok := m[k]; !ok {
					t.Errorf("card lacks %q", k)
				}
			}
			if id := int64(m["candidate_id"].(float64)); id == f.hidden || id == f.coordOnly {
				t.Errorf("candidate %d must not appear", id)
			}
		}
		body, _ := json.Marshal(raw)
		for _, leak := range []string{"Zainab", "zainab@", "Osaka"} {
			if strings.Contains(string(body), leak) {
				t.Errorf("API shows %q", leak)
			}
		}
	})
	t.Run("ErrNotFoundOtherCompany", func(t *testing.T) {
		mustStatus(t, c.Get(fmt.Sprintf("/roles/%d/matches", f.roleB)), http.StatusNotFound, "another company's role")
		mustStatus(t, c.Get(fmt.Sprintf("/api/v1/roles/%d/matches", f.roleB)), http.StatusNotFound, "another company's role (API)")
		mustStatus(t, c.Get("/roles/999999/matches"), http.StatusNotFound, "no such role")
	})
	t.Run("ErrNotFoundCandidate", func(t *testing.T) {
		mustStatus(t, f.client(t, "candidate").Get(page), http.StatusNotFound, "a candidate on a role's matches")
	})
	t.Run("HiddenAfterViewed", func(t *testing.T) {
		// The page was just ranked (and its ranking kept); hiding the
		// candidate removes them at once the index applies it.
		c0 := c.Get(page)
		if !strings.Contains(c0.Body, cardOf(f.near)) {
			t.Fatal("near candidate not shown")
		}
		cand, err := f.env.App.DB.CandidateByID(context.Background(), f.near)
		must(t, err)
		cand.Visibility = tsunagu.VisibilityHidden
		must(t, f.svc.SaveCandidate(adminCtx(), cand))
		f.waitIndexed(t)
		if strings.Contains(c.Get(page).Body, cardOf(f.near)) {
			t.Errorf("a candidate who hid their profile still appears")
		}
	})
	t.Run("CoordinatorSeesAll", func(t *testing.T) {
		r := f.client(t, "coordinator").Get(page)
		mustStatus(t, r, http.StatusOK, "coordinator")
		if !strings.Contains(r.Body, cardOf(f.coordOnly)) || strings.Contains(r.Body, cardOf(f.hidden)) {
			t.Errorf("coordinator: want the coordinators-only candidate and never the hidden one")
		}
	})
}

// TestRequestIntroduction: a company asks for an introduction from the
// matches; the candidate is asked to consent; asking twice, for another
// company's role, or for a hidden candidate is refused.
func TestRequestIntroduction(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, "company")
	page := fmt.Sprintf("/roles/%d/matches", f.roleA)
	ctx := context.Background()
	db := f.env.App.DB

	t.Run("OK", func(t *testing.T) {
		r := c.PostForm(fmt.Sprintf("/roles/%d/matches/%d/introduction", f.roleA, f.visible), page, url.Values{"note": {"We would like to meet them."}})
		mustStatus(t, r, http.StatusSeeOther, "request")
		if r.Location != page {
			t.Errorf("redirect = %q, want %q", r.Location, page)
		}
		var stage string
		must(t, db.GetContext(ctx, &stage, `SELECT stage FROM introductions WHERE candidate_id = $1 AND role_id = $2`, f.visible, f.roleA))
		if got, want := stage, string(tsunagu.IntroSuggested); got != want {
			t.Errorf("stage = %q, want %q", got, want)
		}
		var n int
		must(t, db.GetContext(ctx, &n, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = $2`, f.demoCand, tsunagu.NotifyIntroduction))
		if n != 1 {
			t.Errorf("candidate notifications = %d, want 1 (asked to consent)", n)
		}
		if body := c.Get(page).Body; !strings.Contains(body, "Introduction requested") {
			t.Errorf("no notice after the request")
		}
		// The candidate sees it to consent.
		if body := f.client(t, "candidate").Get("/me/introductions").Body; !strings.Contains(body, f.roleATitle) {
			t.Errorf("candidate's introductions lack the role")
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		r := c.PostForm(fmt.Sprintf("/roles/%d/matches/%d/introduction", f.roleA, f.visible), page, nil)
		mustStatus(t, r, http.StatusSeeOther, "request again")
		if body := c.Get(page).Body; !strings.Contains(body, "already under way") {
			t.Errorf("no notice that it is already under way")
		}
	})
	t.Run("ErrNotFoundOtherCompany", func(t *testing.T) {
		r := c.PostForm(fmt.Sprintf("/roles/%d/matches/%d/introduction", f.roleB, f.near), page, nil)
		mustStatus(t, r, http.StatusNotFound, "another company's role")
	})
	t.Run("ErrNotFoundHidden", func(t *testing.T) {
		r := c.PostForm(fmt.Sprintf("/roles/%d/matches/%d/introduction", f.roleA, f.hidden), page, nil)
		mustStatus(t, r, http.StatusNotFound, "hidden candidate")
		r = c.PostForm(fmt.Sprintf("/roles/%d/matches/%d/introduction", f.roleA, f.coordOnly), page, nil)
		mustStatus(t, r, http.StatusNotFound, "coordinators-only candidate")
	})
	var n int
	must(t, db.GetContext(ctx, &n, `SELECT count(*) FROM introductions`))
	if n != 1 {
		t.Errorf("introductions = %d, want 1", n)
	}
}

// TestCandidateRoles: the candidate sees the roles that fit, what each
// misses, and the skill that would open them with the programme teaching it.
func TestCandidateRoles(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, "candidate")
	r := c.Get("/me/roles")
	mustStatus(t, r, http.StatusOK, "roles for you")
	for _, want := range []string{f.roleATitle, f.roleBTit, "You are missing", "Skills that would open the most roles",
		fmt.Sprintf("/training#programme-%d", f.programmeID), "Ledger basics"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	var out struct {
		Roles []struct {
			Role    struct{ ID int64 }
			Missing []struct{ URI string }
		}
		Openings []struct {
			URI        string
			Roles      int
			Completes  int
			Programmes []struct{ ID int64 }
		}
	}
	getJSON(t, c, "/api/v1/me/roles", http.StatusOK, &out)
	if len(out.Roles) != 2 {
		t.Fatalf("roles = %d, want 2", len(out.Roles))
	}
	for _, rf := range out.Roles {
		if len(rf.Missing) != 1 || rf.Missing[0].URI != f.missingURI {
			t.Errorf("role %d missing = %+v, want the fifth required skill", rf.Role.ID, rf.Missing)
		}
	}
	if len(out.Openings) == 0 || out.Openings[0].URI != f.missingURI || out.Openings[0].Roles != 2 || out.Openings[0].Completes != 2 {
		t.Fatalf("openings = %+v, want the missing skill opening 2 roles", out.Openings)
	}
	if ps := out.Openings[0].Programmes; len(ps) != 1 || ps[0].ID != f.programmeID {
		t.Errorf("programmes = %+v, want %d", ps, f.programmeID)
	}
	mustStatus(t, f.client(t, "company").Get("/api/v1/me/roles"), http.StatusForbidden, "a company on /me/roles")
}

// TestCoordinatorSearch: free text plus filters over the whole pool; hidden
// candidates never appear; companies may not search.
func TestCoordinatorSearch(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, "coordinator")
	r := c.Get("/coordinator/search?q=accountant&japanese=4")
	mustStatus(t, r, http.StatusOK, "search page")
	for id, want := range map[int64]bool{f.visible: true, f.coordOnly: true, f.near: false, f.hidden: false} {
		if got := strings.Contains(r.Body, fmt.Sprintf(`/coordinator/candidates/%d"`, id)); got != want {
			t.Errorf("candidate %d listed = %v, want %v", id, got, want)
		}
	}
	var out struct {
		Items []struct {
			CandidateID int64 `json:"candidate_id"`
		}
	}
	getJSON(t, c, "/api/v1/candidates/search?q=accountant&prefecture=Osaka", http.StatusOK, &out)
	if len(out.Items) != 1 || out.Items[0].CandidateID != f.near {
		t.Errorf("prefecture=Osaka: %+v, want only %d", out.Items, f.near)
	}
	getJSON(t, c, "/api/v1/candidates/search?q=accountant&workplace=remote", http.StatusOK, &out)
	if len(out.Items) != 0 {
		t.Errorf("workplace=remote: %+v, want nobody", out.Items)
	}
	mustStatus(t, f.client(t, "company").Get("/api/v1/candidates/search?q=accountant"), http.StatusForbidden, "a company searching the pool")
	mustStatus(t, f.client(t, "company").Get("/coordinator/search"), http.StatusForbidden, "a company on the search page")

	// The process's index is open and following: /readyz says so.
	if r := f.env.Client().Get("/readyz"); r.Status != http.StatusOK || !strings.Contains(r.Body, `"index":"ok"`) {
		t.Errorf("readyz %d %s", r.Status, r.Body)
	}
	if got := f.env.App.Search().Applied(); got == 0 {
		t.Errorf("index applied sequence 0 after the fixture's saves")
	}
}

// TestSavedSearchNotifiesOnce: a saved search notifies its owner once per
// new match however often the job runs, and not of those found when saved.
func TestSavedSearchNotifiesOnce(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, "coordinator")
	ctx := context.Background()
	r := c.PostForm("/coordinator/searches", "/coordinator/search?q=accountant", url.Values{"name": {"Accountants"}, "q": {"accountant"}})
	mustStatus(t, r, http.StatusSeeOther, "save search")
	count := func() int {
		t.Helper()
		var n int
		must(t, f.env.App.DB.GetContext(ctx, &n, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = $2`, f.demoCoord, tsunagu.NotifySavedSearch))
		return n
	}
	// The periodic task, as the worker delivers it (scheduled by the app).
	if got, want := f.env.App.Tasks.Periodic[matching.TaskSavedSearches], matching.SavedSearchesEvery; got != want {
		t.Errorf("saved searches scheduled every %v, want %v", got, want)
	}
	var handle func(context.Context, *asynq.Task) error
	for _, h := range f.env.App.Tasks.Handlers {
		if h.Type == matching.TaskSavedSearches {
			handle = h.Func
		}
	}
	if handle == nil {
		t.Fatal("no handler for the saved-search task")
	}
	run := func() {
		t.Helper()
		if err := handle(ctx, matching.NewSavedSearchesTask()); err != nil {
			t.Fatal(err)
		}
	}
	run()
	if got := count(); got != 0 {
		t.Fatalf("notifications before any new match = %d, want 0", got)
	}
	f.candidate(t, "New Person", "new@example.org", "SD", tsunagu.VisibilityCompanies, "N3", "Tokyo", true, nil, nil)
	f.waitIndexed(t)
	// Delivered twice at once (two workers), then once more.
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := handle(ctx, matching.NewSavedSearchesTask()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	run()
	if got := count(); got != 1 {
		t.Fatalf("notifications after one new match and three runs = %d, want 1", got)
	}
	if body := c.Get("/notifications").Body; !strings.Contains(body, "1 new candidates match your saved search “Accountants”") {
		i := strings.Index(body, "<ul")
		t.Errorf("notification text missing: %s", body[max(i, 0):min(len(body), max(i, 0)+1500)])
	}
	f.candidate(t, "Hidden New", "hnew@example.org", "SD", tsunagu.VisibilityHidden, "N3", "Tokyo", true, nil, nil)
	f.waitIndexed(t)
	run()
	if got := count(); got != 1 {
		t.Errorf("a hidden candidate was notified: %d notifications", got)
	}

	t.Run("API", func(t *testing.T) {
		var list struct {
			Items []tsunagu.SavedSearch
		}
		getJSON(t, c, "/api/v1/saved-searches", http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0].Name != "Accountants" || list.Items[0].LastRunAt == nil {
			t.Fatalf("saved searches = %+v", list.Items)
		}
		id := list.Items[0].ID
		getJSON(t, c, fmt.Sprintf("/api/v1/saved-searches/%d", id), http.StatusOK, nil)
		mustStatus(t, f.client(t, "admin").Get(fmt.Sprintf("/api/v1/saved-searches/%d", id)), http.StatusNotFound, "another's saved search")
		r := c.PostForm(fmt.Sprintf("/coordinator/searches/%d/delete", id), "/coordinator/search", nil)
		mustStatus(t, r, http.StatusSeeOther, "delete")
		getJSON(t, c, fmt.Sprintf("/api/v1/saved-searches/%d", id), http.StatusNotFound, nil)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		r := c.PostForm("/coordinator/searches", "/coordinator/search?q=x", url.Values{"name": {""}, "q": {"x"}})
		mustStatus(t, r, http.StatusUnprocessableEntity, "no name")
		if !strings.Contains(r.Body, "Required.") {
			t.Errorf("no field error")
		}
	})
}
