package profilehttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// mustSeedProfiles loads the demo profiles into env's database.
func mustSeedProfiles(tb testing.TB, env *apptest.Env) {
	tb.Helper()
	if err := seed.Profiles(context.Background(), env.App.DB); err != nil {
		tb.Fatalf("seed profiles: %v", err)
	}
}

// setLocale sets the interface language of the demo user of role.
func setLocale(tb testing.TB, env *apptest.Env, role, lang string) {
	tb.Helper()
	for _, d := range seed.DemoUsers {
		if string(d.Role) == role {
			u, err := env.App.DB.UserByEmail(context.Background(), d.Email)
			if err != nil {
				tb.Fatal(err)
			}
			if err := env.App.DB.SetUserLocale(context.Background(), u.ID, lang); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

func candidateID(tb testing.TB, env *apptest.Env, ext string) (int64, *tsunagu.Candidate) {
	tb.Helper()
	c, err := env.App.DB.CandidateByExternalID(context.Background(), ext)
	if err != nil {
		tb.Fatal(err)
	}
	return c.ID, c
}

func TestCandidateOwnProfile(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	setLocale(t, env, "candidate", "en")
	c := env.Client()
	c.SignInDemo("candidate")

	if r := c.Get("/me/profile"); r.Status != http.StatusSeeOther || r.Location != "/me/profile/edit" {
		t.Fatalf("no profile yet: status %d location %q", r.Status, r.Location)
	}
	if r := c.Get("/me/profile/edit"); r.Status != http.StatusOK || !strings.Contains(r.Body, `name="skills[0].label"`) {
		t.Fatalf("form: status %d", r.Status)
	}
	form := url.Values{
		"name": {"Amina K."}, "headline": {"Bookkeeper"}, "location.prefecture": {"Tokyo"},
		"skills[0].label": {"bookkeeping"}, "skills[0].level": {"advanced"}, "skills[0].years": {"6"},
		"languages[0].code": {"ja"}, "languages[0].level": {"N9"},
		"languages[1].code": {"fa"}, "languages[1].level": {"native"},
		"visibility": {"companies"},
	}
	t.Run("ErrFieldShownAndInputKept", func(t *testing.T) {
		r := c.PostForm("/me/profile", "/me/profile/edit", form)
		if got, want := r.Status, http.StatusUnprocessableEntity; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		if !strings.Contains(r.Body, `id="languages[0].level-error"`) || !strings.Contains(r.Body, "JLPT") {
			t.Errorf("no error next to languages[0].level:\n%s", r.Body)
		}
		if !strings.Contains(r.Body, `value="bookkeeping"`) || !strings.Contains(r.Body, `value="N9"`) {
			t.Error("typed input not kept")
		}
	})
	t.Run("ErrYearsNotANumber", func(t *testing.T) {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("languages[0].level", "N3")
		f.Set("skills[0].years", "six")
		r := c.PostForm("/me/profile", "/me/profile/edit", f)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="skills[0].years-error"`) {
			t.Errorf("status %d; want a years error", r.Status)
		}
	})
	t.Run("OK", func(t *testing.T) {
		form.Set("languages[0].level", "N3")
		r := c.PostForm("/me/profile", "/me/profile/edit", form)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("status = %d, body %s", r.Status, r.Body)
		}
		r = c.Get("/me/profile")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "Bookkeeper") || !strings.Contains(r.Body, "% complete") {
			t.Errorf("profile page: status %d\n%s", r.Status, r.Body)
		}
		r = c.Get("/api/v1/me/candidate")
		var got struct {
			Name         string               `json:"name"`
			Completeness tsunagu.Completeness `json:"completeness"`
		}
		json.Unmarshal([]byte(r.Body), &got)
		if got.Name != "Amina K." || got.Completeness.Score == 0 {
			t.Errorf("API: %s", r.Body)
		}
	})
	t.Run("PagesInEveryCandidateLanguage", func(t *testing.T) {
		for _, lang := range []string{"ja", "en", "fr", "ar", "fa", "uk"} {
			setLocale(t, env, "candidate", lang)
			r := c.Get("/me/profile/edit")
			if r.Status != http.StatusOK {
				t.Errorf("%s: status %d", lang, r.Status)
			}
			if (lang == "ar" || lang == "fa") && !strings.Contains(r.Body, `dir="rtl"`) {
				t.Errorf("%s: not right to left", lang)
			}
		}
	})
}

func TestCompanySeesCardsOnly(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	id, amina := candidateID(t, env, "demo-cand-001") // visible to companies
	company := env.Client()
	company.SignInDemo("company")

	secrets := []string{amina.Name, amina.Email, amina.Phone, "Herat", amina.Summary}
	t.Run("ListHasNoIdentity", func(t *testing.T) {
		r := company.Get("/company/candidates")
		if r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
		for _, s := range append(secrets, "@example.org") {
			if strings.Contains(r.Body, s) {
				t.Errorf("list shows %q", s)
			}
		}
	})
	t.Run("CardHasNoIdentity", func(t *testing.T) {
		r := company.Get(fmt.Sprintf("/company/candidates/%d", id))
		if r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
		for _, s := range secrets {
			if strings.Contains(r.Body, s) {
				t.Errorf("card shows %q", s)
			}
		}
		r = company.Get(fmt.Sprintf("/api/v1/candidates/%d/card", id))
		if r.Status != http.StatusOK || strings.Contains(r.Body, "Amina") || strings.Contains(r.Body, `"nationality"`) {
			t.Errorf("API card: %d %s", r.Status, r.Body)
		}
	})
	t.Run("FullProfileRefused", func(t *testing.T) {
		if r := company.Get(fmt.Sprintf("/api/v1/candidates/%d", id)); r.Status != http.StatusForbidden {
			t.Errorf("API full profile: status %d, want 403", r.Status)
		}
		if r := company.Get(fmt.Sprintf("/coordinator/candidates/%d", id)); r.Status != http.StatusForbidden {
			t.Errorf("coordinator page: status %d, want 403", r.Status)
		}
	})
	t.Run("HiddenNotFound", func(t *testing.T) {
		var hiddenID int64
		if err := env.App.DB.Get(&hiddenID, `SELECT id FROM candidates WHERE visibility = 'hidden' ORDER BY id LIMIT 1`); err != nil {
			t.Fatal(err)
		}
		if r := company.Get(fmt.Sprintf("/company/candidates/%d", hiddenID)); r.Status != http.StatusNotFound {
			t.Errorf("hidden card: status %d, want 404", r.Status)
		}
		if r := company.Get(fmt.Sprintf("/api/v1/candidates/%d", hiddenID)); r.Status != http.StatusNotFound {
			t.Errorf("hidden API: status %d, want 404", r.Status)
		}
	})
	t.Run("CoordinatorSeesAllAndIsAudited", func(t *testing.T) {
		co := env.Client()
		co.SignInDemo("coordinator")
		r := co.Get(fmt.Sprintf("/coordinator/candidates/%d", id))
		if r.Status != http.StatusOK || !strings.Contains(r.Body, amina.Name) || !strings.Contains(r.Body, amina.Email) {
			t.Fatalf("status %d", r.Status)
		}
		var n int
		env.App.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'candidate.view_full' AND subject_id = $1`, fmt.Sprint(id))
		if n != 1 {
			t.Errorf("audit rows = %d, want 1", n)
		}
	})
}

func TestCSVImport(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true, Worker: true})
	setLocale(t, env, "coordinator", "en")
	co := env.Client()
	co.SignInDemo("coordinator")

	csv := "id,name,email,prefecture,languages,skills,work_history,visibility\n" +
		"csv-1,Omar S.,omar@example.org,Saitama,ja:N3; ar:native,welding:advanced:8; forklift,Welder:8:SY,companies\n" +
		"csv-2,,x@example.org,Tokyo,ja:N2,,,\n" +
		"csv-3,Lina H.,lina@example.org,Atlantis,ja:N4,,,\n" +
		"csv-4,Olena K.,olena@example.org,Osaka,uk:native; ja:B9,,,\n" +
		"csv-5,Kyaw Z.,kyaw@example.org,Aichi,my:native,sewing:expert,,\n"
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "intake.csv")
	fw.Write([]byte(csv))
	mw.WriteField("csrf_token", co.CSRF("/coordinator/import"))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, "/coordinator/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	r := co.Do(req)
	if r.Status != http.StatusOK {
		t.Fatalf("preview: status %d %s", r.Status, r.Body)
	}
	for _, want := range []string{"5 rows: 2 ready to import, 3 with problems", "<code>name</code>: Required.", "Choose one of Japan", "<code>languages[1].level</code>"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("preview lacks %q\n%s", want, r.Body)
		}
	}
	var n int
	env.App.DB.Get(&n, `SELECT count(*) FROM candidates`)
	if n != 0 {
		t.Fatalf("preview wrote %d candidates", n)
	}
	var jobID int64
	env.App.DB.Get(&jobID, `SELECT max(id) FROM import_jobs`)
	r = co.PostForm(fmt.Sprintf("/coordinator/import/%d/run", jobID), fmt.Sprintf("/coordinator/import/%d", jobID), url.Values{})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("run: status %d", r.Status)
	}
	deadline := time.Now().Add(20 * time.Second)
	var job struct {
		Job struct {
			Status   string `json:"status"`
			Imported int    `json:"imported"`
			Rejected int    `json:"rejected"`
		} `json:"job"`
		Percent int `json:"percent"`
	}
	for time.Now().Before(deadline) {
		r = co.Get(fmt.Sprintf("/api/v1/imports/%d", jobID))
		json.Unmarshal([]byte(r.Body), &job)
		if job.Job.Status == "done" || job.Job.Status == "failed" {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if job.Job.Status != "done" || job.Job.Imported != 2 || job.Job.Rejected != 3 || job.Percent != 100 {
		t.Fatalf("job = %+v", job)
	}
	if r := co.Get(fmt.Sprintf("/coordinator/import/%d", jobID)); !strings.Contains(r.Body, "<progress") || !strings.Contains(r.Body, "<code>name</code>") {
		t.Errorf("job page lacks progress or errors")
	}
	c, err := env.App.DB.CandidateByExternalID(context.Background(), "csv-1")
	if err != nil {
		t.Fatal(err)
	}
	if c.Location.Prefecture != "Saitama" || len(c.Skills) != 2 || c.Skills[0].Years != 8 || c.WorkHistory[0].Country != "SY" {
		t.Errorf("imported = %+v", c)
	}
}

func TestRolePages(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	mustSeedProfiles(t, env)
	company := env.Client()
	company.Lang = "ja"
	company.SignInDemo("company")
	r := company.Get("/roles/new")
	if r.Status != http.StatusOK {
		t.Fatalf("form: %d", r.Status)
	}
	form := url.Values{
		"title": {"倉庫内ピッキングスタッフ"}, "description": {"入出荷作業"}, "location.prefecture": {"Tokyo"},
		"workplace": {"onsite"}, "employment_type": {"full_time"}, "salary_min": {"3,000,000"}, "salary_max": {"2000000"},
		"openings": {"2"}, "japanese_level": {"N4"}, "required_skills[0].label": {"forklift"}, "required_skills[0].free": {"on"}, "status": {"open"},
	}
	r = company.PostForm("/roles", "/roles/new", form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="salary_max-error"`) {
		t.Fatalf("salary range: status %d\n%s", r.Status, r.Body)
	}
	form.Set("salary_max", "3600000")
	r = company.PostForm("/roles", "/roles/new", form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: status %d %s", r.Status, r.Body)
	}
	r = company.Get(r.Location)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "倉庫内ピッキングスタッフ") {
		t.Errorf("role page: %d", r.Status)
	}
	cand := env.Client()
	cand.SignInDemo("candidate")
	r = cand.Get("/api/v1/roles?q=" + url.QueryEscape("ピッキング"))
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "倉庫内ピッキングスタッフ") {
		t.Errorf("API roles: %d %s", r.Status, r.Body)
	}
	if r := cand.Get("/roles/new"); r.Status != http.StatusOK {
		t.Logf("candidate role form: %d", r.Status)
	}
	r = cand.PostForm("/roles", "/roles", form)
	if r.Status == http.StatusSeeOther {
		t.Errorf("candidate posted a role")
	}
}
