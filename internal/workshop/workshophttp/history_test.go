package workshophttp_test

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
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func mustStatus(t *testing.T, r *apptest.Response, want int, what string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, want, r.Body)
	}
}

// lecturerFixture is the demo candidate as a lecturer: a workshop
// delivered at another company (Fuji) last March, and one at the demo
// company (Sakura) taken through the pages from request to feedback; plus
// a candidate who never lectured.
type lecturerFixture struct {
	env                   *apptest.Env
	coord, comp, lecturer *apptest.Client
	cand, quiet, role     int64
	sakuraWS              string
}

const (
	fujiName    = "Fuji Foods Test"
	fujiTopic   = "Fuji onboarding secrets"
	fujiDate    = "2026-03-05"
	sakuraName  = "Sakura Logistics Test"
	sakuraTopic = "Sakura cross-cultural day"
)

var workshopLink = regexp.MustCompile(`^/workshops/(\d+)$`)

func newLecturerFixture(t *testing.T) *lecturerFixture {
	t.Helper()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	db := env.App.DB
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f := &lecturerFixture{env: env}
	var candUser, compUser, coordUser, sakura, fuji int64
	must(db.GetContext(ctx, &candUser, `SELECT id FROM users WHERE email = $1`, seed.DemoUsers[0].Email))
	must(db.GetContext(ctx, &compUser, `SELECT id FROM users WHERE email = $1`, seed.DemoUsers[1].Email))
	must(db.GetContext(ctx, &coordUser, `SELECT id FROM users WHERE email = $1`, seed.DemoUsers[2].Email))
	must(db.GetContext(ctx, &f.cand, `INSERT INTO candidates (name, user_id, headline, locale, visibility, speaker_opt_in)
		VALUES ('Amina K.', $1, 'Bookkeeper', 'en', 'companies', TRUE) RETURNING id`, candUser))
	must(db.GetContext(ctx, &f.quiet, `INSERT INTO candidates (name, headline, locale, visibility)
		VALUES ('Quiet Person', 'Welder', 'en', 'companies') RETURNING id`))
	must(db.GetContext(ctx, &sakura, `INSERT INTO companies (name) VALUES ($1) RETURNING id`, sakuraName))
	must(db.GetContext(ctx, &fuji, `INSERT INTO companies (name) VALUES ($1) RETURNING id`, fujiName))
	_, err := db.ExecContext(ctx, `INSERT INTO company_members (company_id, user_id) VALUES ($1, $2)`, sakura, compUser)
	must(err)
	must(db.GetContext(ctx, &f.role, `INSERT INTO roles (company_id, title, workplace, status) VALUES ($1, 'Accounting staff', 'onsite', 'open') RETURNING id`, sakura))

	// Fuji's workshop, delivered in the past (the pages only schedule ahead).
	at := time.Date(2026, 3, 5, 5, 0, 0, 0, time.UTC)
	w := &tsunagu.Workshop{CompanyID: fuji, Topic: fujiTopic, Audience: 25, PreferredDates: []time.Time{at}, Language: "en"}
	must(db.CreateWorkshop(ctx, w, ""))
	must(db.InTx(ctx, func(tx *postgres.Tx) error {
		if err := postgres.ProposeLecturer(ctx, tx, w.ID, f.cand, &coordUser, at.AddDate(0, 0, -20)); err != nil {
			return err
		}
		if err := postgres.SetLecturerStatus(ctx, tx, w.ID, f.cand, tsunagu.LecturerAccepted, at.AddDate(0, 0, -18)); err != nil {
			return err
		}
		if err := postgres.ScheduleWorkshop(ctx, tx, w.ID, at, "Fuji HQ", at.AddDate(0, 0, -15)); err != nil {
			return err
		}
		if err := postgres.SetWorkshopDelivered(ctx, tx, w.ID, 23, at.Add(3*time.Hour)); err != nil {
			return err
		}
		return postgres.AddWorkshopFeedback(ctx, tx, &tsunagu.WorkshopFeedback{WorkshopID: w.ID, Party: "company", Rating: 5, CreatedAt: at.AddDate(0, 0, 2)})
	}))

	f.coord, f.comp, f.lecturer = env.ClientFor(t), env.ClientFor(t), env.ClientFor(t)
	f.coord.SignInDemo("coordinator")
	f.comp.SignInDemo("company")
	f.lecturer.SignInDemo("candidate")
	for _, c := range []*apptest.Client{f.coord, f.comp, f.lecturer} {
		setLang(t, c, "en") // the demo accounts read Japanese
	}

	// Sakura's workshop through the pages: request, propose, accept,
	// schedule, deliver, feedback from both sides.
	day := time.Now().AddDate(0, 0, 14)
	r := f.comp.PostForm("/workshops", "/workshops/new", url.Values{"topic": {sakuraTopic}, "audience": {"30"},
		"language": {"ja"}, "preferred_dates": {day.Format("2006-01-02")}})
	mustStatus(t, r, http.StatusSeeOther, "request")
	if workshopLink.FindString(r.Location) == "" {
		t.Fatalf("request redirect %q", r.Location)
	}
	f.sakuraWS = r.Location
	steps := []struct {
		c    *apptest.Client
		path string
		form url.Values
	}{
		{f.coord, "/lecturers", url.Values{"candidate_id": {fmt.Sprint(f.cand)}}},
		{f.lecturer, "/respond", url.Values{"accept": {"1"}}},
		{f.coord, "/schedule", url.Values{"scheduled_at": {day.Format("2006-01-02") + "T10:00"}, "place": {"Sakura HQ"}}},
		{f.coord, "/delivered", url.Values{"participants": {"30"}}},
		{f.comp, "/feedback", url.Values{"rating": {"4"}}},
		{f.lecturer, "/feedback", url.Values{"rating": {"5"}}},
	}
	for _, s := range steps {
		mustStatus(t, s.c.PostForm(f.sakuraWS+s.path, f.sakuraWS, s.form), http.StatusSeeOther, s.path)
	}
	return f
}

func setLang(t *testing.T, c *apptest.Client, lang string) {
	t.Helper()
	mustStatus(t, c.PostForm("/lang", "/about", url.Values{"lang": {lang}}), http.StatusSeeOther, "set language")
}

func mustContain(t *testing.T, body, what string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func mustNotContain(t *testing.T, body, what string, leaks ...string) {
	t.Helper()
	for _, l := range leaks {
		if strings.Contains(body, l) {
			t.Errorf("%s shows %q", what, l)
		}
	}
}

// section returns the "Workshops given" section of a page.
func section(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `<section aria-labelledby="workshops-given-h">`)
	if i < 0 {
		t.Fatalf("no workshops section:\n%s", body)
	}
	j := strings.Index(body[i:], "</section>")
	return body[i : i+j]
}

// TestLecturerWorkshopsOnProfileAndCase: the lecturer and a coordinator
// see every workshop with its company, date and participants; the case
// timeline shows the milestones in date order; a company sees only a
// summary that cannot identify the person until the candidate consents to
// an introduction, then the list with only its own company named.
func TestLecturerWorkshopsOnProfileAndCase(t *testing.T) {
	f := newLecturerFixture(t)
	card := fmt.Sprintf("/company/candidates/%d", f.cand)

	t.Run("LecturerSeesOwn", func(t *testing.T) {
		r := f.lecturer.Get("/me/profile")
		mustStatus(t, r, http.StatusOK, "own profile")
		s := section(t, r.Body)
		mustContain(t, s, "own profile", "Workshops given", fujiTopic, fujiName, fujiDate, "23 participants",
			sakuraTopic, sakuraName, "30 participants", "Participants in delivered workshops: 53", `href="`+f.sakuraWS+`"`)
		setLang(t, f.lecturer, "ja")
		r = f.lecturer.Get("/me/profile")
		setLang(t, f.lecturer, "en")
		mustContain(t, section(t, r.Body), "own profile in Japanese", "登壇したワークショップ", "参加者23人")
	})

	t.Run("CoordinatorSeesProfile", func(t *testing.T) {
		r := f.coord.Get(fmt.Sprintf("/coordinator/candidates/%d", f.cand))
		mustStatus(t, r, http.StatusOK, "coordinator profile")
		mustContain(t, section(t, r.Body), "coordinator profile", fujiTopic, fujiName, fujiDate, sakuraTopic, sakuraName)
	})

	t.Run("CompanyBeforeConsent", func(t *testing.T) {
		r := f.comp.Get(card)
		mustStatus(t, r, http.StatusOK, "card")
		s := section(t, r.Body)
		// Only Fuji's is counted: Sakura knows who taught its own.
		mustContain(t, s, "card", "Workshops given at other companies: 1", "English")
		mustNotContain(t, s, "card", "日本語")
		mustNotContain(t, r.Body, "card", "Amina", fujiName, fujiTopic, fujiDate, sakuraTopic, "23 participants", "/workshops/")
		r = f.comp.Get(fmt.Sprintf("/api/v1/candidates/%d/workshops", f.cand))
		mustStatus(t, r, http.StatusOK, "api before consent")
		var h tsunagu.LecturerHistory
		if err := json.Unmarshal([]byte(r.Body), &h); err != nil {
			t.Fatal(err)
		}
		if h.Full || h.Workshops != nil || h.Card == nil || h.Card.Delivered != 1 || !slices.Equal(h.Card.Languages, []string{"en"}) {
			t.Errorf("api before consent = %s", r.Body)
		}
		mustNotContain(t, r.Body, "api before consent", "Fuji", "Sakura", "2026")
		mustStatus(t, f.env.ClientFor(t).Get(fmt.Sprintf("/api/v1/candidates/%d/workshops", f.cand)), http.StatusUnauthorized, "api as a visitor")
		mustStatus(t, f.comp.Get("/api/v1/candidates/999999/workshops"), http.StatusNotFound, "api for no candidate")
		var n int
		f.env.App.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'candidate.view_workshops'`)
		if n != 0 {
			t.Errorf("summary view audited as a full one (%d rows)", n)
		}
	})

	t.Run("HostCannotPickTheCard", func(t *testing.T) {
		// Sakura was told its lecturer's name; the candidate id would
		// tie that name to the anonymised card (and to "Candidate #N" on
		// its match page), which the card summary leaves Sakura's own
		// workshop out of for that very reason.
		m := workshopLink.FindStringSubmatch(f.sakuraWS)
		if m == nil {
			t.Fatalf("workshop link %q", f.sakuraWS)
		}
		r := f.comp.Get("/api/v1/workshops/" + m[1])
		mustStatus(t, r, http.StatusOK, "host's workshop api")
		mustContain(t, r.Body, "host's workshop api", "Amina")
		mustNotContain(t, r.Body, "host's workshop api", fmt.Sprintf(`"candidate_id":%d`, f.cand))
	})

	t.Run("HostGetsNoHeadline", func(t *testing.T) {
		// Issue 11.3: the headline is free text the card leaves out;
		// beside the name it links the lecturer to their card by what it
		// says. The host learns the name, not the headline, until the
		// candidate consents to an introduction to it (CompanyAfterConsent).
		m := workshopLink.FindStringSubmatch(f.sakuraWS)
		r := f.comp.Get("/api/v1/workshops/" + m[1])
		mustStatus(t, r, http.StatusOK, "host's workshop api")
		mustContain(t, r.Body, "host's workshop api", "Amina")
		mustNotContain(t, r.Body, "host's workshop api", "Bookkeeper")
		r = f.comp.Get(f.sakuraWS)
		mustStatus(t, r, http.StatusOK, "host's workshop page")
		mustContain(t, r.Body, "host's workshop page", "Amina K.")
		mustNotContain(t, r.Body, "host's workshop page", "Bookkeeper", "Amina K. — ")
		r = f.coord.Get(f.sakuraWS)
		mustContain(t, r.Body, "coordinator's workshop page", "Amina K. — Bookkeeper")
	})

	t.Run("EmptyState", func(t *testing.T) {
		r := f.coord.Get(fmt.Sprintf("/coordinator/candidates/%d", f.quiet))
		mustStatus(t, r, http.StatusOK, "quiet profile")
		mustContain(t, section(t, r.Body), "quiet profile", "No workshops given yet.")
		r = f.comp.Get(fmt.Sprintf("/company/candidates/%d", f.quiet))
		mustStatus(t, r, http.StatusOK, "quiet card")
		mustContain(t, section(t, r.Body), "quiet card", "No workshops given at other companies.")
	})

	// The coordinator opens the case; its timeline carries the workshop
	// milestones among the case's own events, oldest first.
	r := f.coord.PostForm("/coordinator/cases", "/coordinator/cases/new", url.Values{"candidate_id": {fmt.Sprint(f.cand)}})
	mustStatus(t, r, http.StatusSeeOther, "open case")
	casePath := r.Location

	t.Run("CaseTimeline", func(t *testing.T) {
		r := f.coord.Get(casePath)
		mustStatus(t, r, http.StatusOK, "case page")
		i := strings.Index(r.Body, `<ol class="timeline">`)
		if i < 0 {
			t.Fatalf("no timeline:\n%s", r.Body)
		}
		tl := r.Body[i:]
		order := []string{
			"Proposed as a lecturer for “" + fujiTopic + "” (" + fujiName + ")",
			"Agreed to lecture at “" + fujiTopic + "” and to be named to " + fujiName,
			"Workshop session “" + fujiTopic + "” at " + fujiName + ", Fuji HQ",
			"Workshop “" + fujiTopic + "” delivered at " + fujiName + ": 23 participants",
			"Feedback from " + fujiName + " on “" + fujiTopic + "”: 5/5",
			"Proposed as a lecturer for “" + sakuraTopic + "” (" + sakuraName + ")",
			"Agreed to lecture at “" + sakuraTopic + "”",
			"Workshop “" + sakuraTopic + "” delivered at " + sakuraName + ": 30 participants",
			"Feedback from " + sakuraName + " on “" + sakuraTopic + "”: 4/5",
			"feedback on “" + sakuraTopic + "”: 5/5",
			"Case opened", // opened after the fixture's workshops
			"Workshop session “" + sakuraTopic + "” at " + sakuraName + ", Sakura HQ", // two weeks ahead
		}
		last := -1
		for _, want := range order {
			at := strings.Index(tl, want)
			if at < 0 {
				t.Errorf("timeline lacks %q", want)
				continue
			}
			if at < last {
				t.Errorf("timeline shows %q out of date order", want)
			}
			last = at
		}
		if t.Failed() {
			t.Logf("timeline:\n%s", tl)
		}
	})

	t.Run("CompanyAfterConsent", func(t *testing.T) {
		caseID := strings.TrimPrefix(casePath, "/coordinator/cases/")
		r := f.coord.PostForm(casePath+"/introductions", casePath, url.Values{"role_id": {fmt.Sprint(f.role)}})
		mustStatus(t, r, http.StatusSeeOther, "suggest")
		var intro int64
		if err := f.env.App.DB.Get(&intro, `SELECT id FROM introductions WHERE case_id = $1`, caseID); err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/me/introductions/%d", intro)
		mustStatus(t, f.lecturer.PostForm(page+"/consent", page, url.Values{"answer": {"yes"}}), http.StatusSeeOther, "consent")

		r = f.comp.Get(card)
		mustStatus(t, r, http.StatusOK, "card after consent")
		s := section(t, r.Body)
		mustContain(t, s, "card after consent", fujiDate, "23 participants", sakuraTopic, sakuraName,
			"another company", "Workshop at another company", `href="`+f.sakuraWS+`"`)
		// Fuji's name and its topic (its own free text) are Fuji's to give,
		// not the lecturer's.
		mustNotContain(t, s, "card after consent", fujiName, fujiTopic)
		// Consented: the host may now link its lecturer to the profile.
		m := workshopLink.FindStringSubmatch(f.sakuraWS)
		r = f.comp.Get("/api/v1/workshops/" + m[1])
		mustContain(t, r.Body, "host's workshop api after consent", "Bookkeeper", fmt.Sprintf(`"candidate_id":%d`, f.cand))
		var n int
		f.env.App.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'candidate.view_workshops' AND subject_id = $1`, fmt.Sprint(f.cand))
		if n != 1 {
			t.Errorf("audit rows of the company's full view = %d, want 1", n)
		}
	})
}
