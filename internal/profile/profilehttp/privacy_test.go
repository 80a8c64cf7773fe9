package profilehttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// cardIDs reads the ids and total of a /api/v1/candidate-cards answer.
func cardIDs(tb testing.TB, r *apptest.Response) (map[int64]bool, int) {
	tb.Helper()
	if r.Status != http.StatusOK {
		tb.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var got struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(r.Body), &got); err != nil {
		tb.Fatalf("decode: %v: %s", err, r.Body)
	}
	ids := map[int64]bool{}
	for _, it := range got.Items {
		ids[it.ID] = true
	}
	return ids, got.Total
}

// TestCompanySearchMatchesOnlyTheCard checks that a company's free-text
// search of cards cannot find a candidate by what the card never shows
// (headline, raw work-history titles, employer), while staff still can
// and a company still finds them by a skill the card shows.
func TestCompanySearchMatchesOnlyTheCard(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	ctx := context.Background()
	id, c := candidateID(t, env, "demo-cand-001")
	if c.Visibility != tsunagu.VisibilityCompanies {
		t.Fatalf("demo-cand-001 visibility %q, want companies", c.Visibility)
	}
	c.Headline = "Former Qarawiyyin Textiles foreman"
	c.WorkHistory = append(c.WorkHistory, tsunagu.WorkExperience{Title: "Zanzibarite loom master", Employer: "Qarawiyyin Textiles", Years: 2})
	c.Skills = append(c.Skills, tsunagu.SkillRef{Label: "jacquard weaving"})
	if err := env.App.DB.SaveCandidate(ctx, c); err != nil {
		t.Fatal(err)
	}
	company := env.Client()
	company.SignInDemo("company")
	for _, q := range []string{"Qarawiyyin", "Zanzibarite", "foreman"} {
		t.Run("NotFoundBy"+q, func(t *testing.T) {
			ids, _ := cardIDs(t, company.Get("/api/v1/candidate-cards?q="+q))
			if ids[id] {
				t.Errorf("q=%s finds the candidate by what the card does not show", q)
			}
			r := company.Get("/company/candidates?q=" + q)
			if r.Status != http.StatusOK {
				t.Fatalf("page status %d", r.Status)
			}
			if strings.Contains(r.Body, fmt.Sprintf("/company/candidates/%d\"", id)) {
				t.Errorf("page q=%s links the candidate's card", q)
			}
		})
	}
	t.Run("FoundByCardSkill", func(t *testing.T) {
		ids, _ := cardIDs(t, company.Get("/api/v1/candidate-cards?q=jacquard"))
		if !ids[id] {
			t.Error("a skill the card shows does not find the candidate")
		}
	})
	t.Run("StaffFindByHeadline", func(t *testing.T) {
		co := env.Client()
		co.SignInDemo("coordinator")
		ids, _ := cardIDs(t, co.Get("/api/v1/candidate-cards?q=Qarawiyyin"))
		if !ids[id] {
			t.Error("staff search does not match the headline")
		}
	})
}

// mustStaff creates a staff account of role and returns a client signed
// in as it.
func mustStaff(t *testing.T, env *apptest.Env, email string, role tsunagu.Role) (*apptest.Client, int64) {
	t.Helper()
	hash, err := auth.HashPassword("another-staff-pass-2026")
	if err != nil {
		t.Fatal(err)
	}
	u := &tsunagu.User{Email: email, DisplayName: email, PasswordHash: hash, Role: role, Locale: "en"}
	if err := env.App.DB.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	c := env.Client()
	c.SignIn(email, "another-staff-pass-2026")
	return c, u.ID
}

// TestHiddenProfileOnlyForItsCoordinator: a hidden profile is read in
// full only by the candidate, the coordinator working their case and an
// admin; any other coordinator is refused, and lists leave it out.
func TestHiddenProfileOnlyForItsCoordinator(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	c := &tsunagu.Candidate{Name: "Hidden Hamid Uniquename", Email: "hamid.hidden@example.org", Nationality: "AF",
		Headline: "Translator", Locale: "en", Visibility: tsunagu.VisibilityHidden,
		Location: tsunagu.Location{Country: "JP", Prefecture: "Tokyo"}}
	if err := env.App.DB.SaveCandidate(ctx, c); err != nil {
		t.Fatal(err)
	}
	worker, workerID := mustStaff(t, env, "worker.coord@example.org", tsunagu.RoleCoordinator)
	other := env.Client()
	other.SignInDemo("coordinator")
	if _, err := env.App.DB.ExecContext(ctx, `INSERT INTO cases (candidate_id, coordinator_id) VALUES ($1, $2)`, c.ID, workerID); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/candidates/%d", c.ID)
	t.Run("OtherCoordinatorRefused", func(t *testing.T) {
		if r := other.Get(path); r.Status == http.StatusOK || strings.Contains(r.Body, c.Name) {
			t.Errorf("API: status %d; a coordinator not on the case reads the hidden profile", r.Status)
		}
		if r := other.Get(fmt.Sprintf("/coordinator/candidates/%d", c.ID)); r.Status == http.StatusOK || strings.Contains(r.Body, c.Email) {
			t.Errorf("page: status %d; a coordinator not on the case reads the hidden profile", r.Status)
		}
		if r := other.Get("/api/v1/candidates?q=Uniquename"); strings.Contains(r.Body, c.Email) {
			t.Errorf("list shows the hidden profile: %s", r.Body)
		}
	})
	t.Run("CaseCoordinatorReads", func(t *testing.T) {
		if r := worker.Get(path); r.Status != http.StatusOK || !strings.Contains(r.Body, c.Name) {
			t.Errorf("API: status %d", r.Status)
		}
		if r := worker.Get("/api/v1/candidates?q=Uniquename"); !strings.Contains(r.Body, c.Email) {
			t.Errorf("list lacks the hidden profile for its coordinator: %s", r.Body)
		}
	})
	t.Run("AdminReads", func(t *testing.T) {
		admin := env.Client()
		admin.SignInDemo("admin")
		if r := admin.Get(path); r.Status != http.StatusOK {
			t.Errorf("API: status %d", r.Status)
		}
	})
}

// TestImportJobOnlyUploaderOrAdmin: an upload (with the people it lists)
// is seen and run only by the coordinator who uploaded it, or an admin.
func TestImportJobOnlyUploaderOrAdmin(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	co := env.Client()
	co.SignInDemo("coordinator")
	csv := "id,name,email,prefecture,languages\ncsv-1,Omar S.,omar@example.org,Saitama,ja:N3\n"
	if r := uploadCSV(t, co, "intake.csv", []byte(csv)); r.Status != http.StatusOK {
		t.Fatalf("preview: status %d", r.Status)
	}
	var jobID int64
	if err := env.App.DB.Get(&jobID, `SELECT max(id) FROM import_jobs`); err != nil {
		t.Fatal(err)
	}
	other, _ := mustStaff(t, env, "other.coord@example.org", tsunagu.RoleCoordinator)
	t.Run("OtherCoordinatorNotFound", func(t *testing.T) {
		for _, p := range []string{fmt.Sprintf("/api/v1/imports/%d", jobID), fmt.Sprintf("/coordinator/import/%d", jobID)} {
			if r := other.Get(p); r.Status != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", p, r.Status)
			}
		}
		r := other.PostForm(fmt.Sprintf("/coordinator/import/%d/run", jobID), "/coordinator/import", url.Values{})
		if r.Status != http.StatusNotFound {
			t.Errorf("run: status %d, want 404", r.Status)
		}
	})
	t.Run("UploaderAndAdminSee", func(t *testing.T) {
		if r := co.Get(fmt.Sprintf("/api/v1/imports/%d", jobID)); r.Status != http.StatusOK {
			t.Errorf("uploader: status %d", r.Status)
		}
		admin := env.Client()
		admin.SignInDemo("admin")
		if r := admin.Get(fmt.Sprintf("/api/v1/imports/%d", jobID)); r.Status != http.StatusOK {
			t.Errorf("admin: status %d", r.Status)
		}
	})
}

// TestIdentityReadsAudited: a list of full profiles (API and page)
// writes one audit row naming the candidates it returned; the
// coordinator's candidate page shows who read the profile, by name; an
// admin filters the audit log by person, actor and date.
func TestIdentityReadsAudited(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	setLocale(t, env, "coordinator", "en")
	setLocale(t, env, "admin", "en")
	id, amina := candidateID(t, env, "demo-cand-001")
	co := env.Client()
	co.SignInDemo("coordinator")
	listRows := func() int {
		var n int
		if err := env.App.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'candidate.list' AND detail->'ids' @> to_jsonb($1::bigint)`, id); err != nil {
			t.Fatal(err)
		}
		return n
	}
	t.Run("ListAPI", func(t *testing.T) {
		before := listRows()
		if r := co.Get("/api/v1/candidates?q=" + strings.Fields(amina.Name)[0]); r.Status != http.StatusOK || !strings.Contains(r.Body, amina.Email) {
			t.Fatalf("status %d", r.Status)
		}
		if got, want := listRows(), before+1; got != want {
			t.Errorf("audit rows naming the candidate = %d, want %d", got, want)
		}
	})
	t.Run("ListPage", func(t *testing.T) {
		before := listRows()
		if r := co.Get("/coordinator/candidates?q=" + strings.Fields(amina.Name)[0]); r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
		if got, want := listRows(), before+1; got != want {
			t.Errorf("audit rows naming the candidate = %d, want %d", got, want)
		}
	})
	t.Run("TrailOnCandidatePage", func(t *testing.T) {
		r := co.Get(fmt.Sprintf("/coordinator/candidates/%d", id))
		if r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
		if !strings.Contains(r.Body, `id="audit-trail"`) || !strings.Contains(r.Body, "田中 一郎") {
			t.Errorf("the page lacks the audit trail with the reader's name")
		}
	})
	t.Run("AdminFilters", func(t *testing.T) {
		admin := env.Client()
		admin.SignInDemo("admin")
		var coordID, otherID int64
		env.App.DB.Get(&coordID, `SELECT id FROM users WHERE email = 'coordinator@demo.tsunagu.jp'`)
		otherID, _ = candidateID(t, env, "demo-cand-002")
		r := admin.Get(fmt.Sprintf("/admin/audit?person=%d", id))
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "candidate.view_full") || !strings.Contains(r.Body, "candidate.list") {
			t.Fatalf("person filter: status %d, want the view and the list rows", r.Status)
		}
		if r := admin.Get(fmt.Sprintf("/admin/audit?person=%d", otherID+100000)); strings.Contains(r.Body, "candidate.view_full") {
			t.Errorf("person filter shows another person's rows")
		}
		if r := admin.Get(fmt.Sprintf("/admin/audit?actor=%d", coordID+100000)); strings.Contains(r.Body, "candidate.view_full") {
			t.Errorf("actor filter shows another actor's rows")
		}
		if r := admin.Get(fmt.Sprintf("/admin/audit?actor=%d&from=2000-01-01&to=2999-12-31", coordID)); !strings.Contains(r.Body, "candidate.view_full") {
			t.Errorf("actor and date filter lacks the coordinator's rows")
		}
		if r := admin.Get(fmt.Sprintf("/admin/audit?actor=%d&to=2000-01-01", coordID)); strings.Contains(r.Body, "candidate.view_full") {
			t.Errorf("date filter shows later rows")
		}
		if r := admin.Get("/admin/audit?from=yesterday"); r.Status >= 500 {
			t.Errorf("bad date: status %d", r.Status)
		}
	})
}

// TestCardLanguagesKeepTheRegion: a native language spoken in only one or
// two countries of the candidate's region (Tigrinya for Eritrea, in East
// Africa; Ukrainian in Eastern Europe) would name the country the card
// hides behind the region; the card, its API and the card list show it as
// "another language", at its level, while languages common across the
// region, world languages learnt and Japanese stay; staff see them all
// (issue 11.4).
func TestCardLanguagesKeepTheRegion(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	ctx := context.Background()
	id, c := candidateID(t, env, "demo-cand-001")
	if c.Visibility != tsunagu.VisibilityCompanies {
		t.Fatalf("demo-cand-001 visibility %q, want companies", c.Visibility)
	}
	c.Nationality = "ER"
	c.Languages = []tsunagu.LanguageSkill{{Code: "ti", Level: "native"}, {Code: "ja", Level: "N3"},
		{Code: "en", Level: "B2"}, {Code: "sw", Level: "B1"}, {Code: "am", Level: "C1"}}
	if err := env.App.DB.SaveCandidate(ctx, c); err != nil {
		t.Fatal(err)
	}
	company := env.Client()
	company.SignInDemo("company")
	company.SetLanguage("en")

	r := company.Get(fmt.Sprintf("/api/v1/candidates/%d/card", id))
	if r.Status != http.StatusOK {
		t.Fatalf("card api: status %d", r.Status)
	}
	var card tsunagu.CandidateCard
	if err := json.Unmarshal([]byte(r.Body), &card); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range card.Languages {
		got[l.Code] = l.Level
	}
	want := map[string]string{"other": "native", "ja": "N3", "en": "B2", "sw": "B1"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("card languages = %v, want %v", got, want)
	}
	if card.OriginRegion != "East Africa" {
		t.Errorf("origin region %q", card.OriginRegion)
	}

	page := company.Get(fmt.Sprintf("/company/candidates/%d", id))
	if page.Status != http.StatusOK {
		t.Fatalf("card page: status %d", page.Status)
	}
	for _, leak := range []string{"Tigrinya", "ትግርኛ", "Amharic", "አማርኛ"} {
		if strings.Contains(page.Body, leak) {
			t.Errorf("card page names %q", leak)
		}
	}
	if !strings.Contains(page.Body, "Another language") {
		t.Errorf("card page lacks 'Another language'")
	}
	list := company.Get("/company/candidates?q=")
	if list.Status != http.StatusOK || strings.Contains(list.Body, "Tigrinya") || strings.Contains(list.Body, "ትግርኛ") {
		t.Errorf("card list: status %d or names Tigrinya", list.Status)
	}

	t.Run("CommonLanguageStays", func(t *testing.T) {
		c.Nationality = "SY"
		c.Languages = []tsunagu.LanguageSkill{{Code: "ar", Level: "native"}, {Code: "ku", Level: "native"}, {Code: "ja", Level: "N2"}}
		if err := env.App.DB.SaveCandidate(ctx, c); err != nil {
			t.Fatal(err)
		}
		r := company.Get(fmt.Sprintf("/api/v1/candidates/%d/card", id))
		if !strings.Contains(r.Body, `"code":"ar"`) || !strings.Contains(r.Body, `"code":"ku"`) || strings.Contains(r.Body, `"other"`) {
			t.Errorf("Middle East card: %s", r.Body)
		}
	})
	t.Run("StaffSeeAll", func(t *testing.T) {
		c.Nationality = "UA"
		c.Languages = []tsunagu.LanguageSkill{{Code: "uk", Level: "native"}, {Code: "ru", Level: "native"}}
		if err := env.App.DB.SaveCandidate(ctx, c); err != nil {
			t.Fatal(err)
		}
		r := company.Get(fmt.Sprintf("/api/v1/candidates/%d/card", id))
		if strings.Contains(r.Body, `"code":"uk"`) || !strings.Contains(r.Body, `"code":"ru"`) || !strings.Contains(r.Body, `"code":"other"`) {
			t.Errorf("Eastern Europe card: %s", r.Body)
		}
		co := env.Client()
		co.SignInDemo("coordinator")
		if r := co.Get(fmt.Sprintf("/api/v1/candidates/%d", id)); !strings.Contains(r.Body, `"code":"uk"`) {
			t.Errorf("staff lack the full languages: %d", r.Status)
		}
	})
}
