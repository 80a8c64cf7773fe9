package http_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

var inviteLinkRe = regexp.MustCompile(`/invitations/([A-Za-z0-9_-]{43})`)

// lastMailLink returns the invitation link of the newest mail to addr as
// its recipient gets it (the development outbox keeps the real text in
// memory; the stored copy holds none).
func lastMailLink(t *testing.T, env *apptest.Env, addr string) (token string, stored tsunagu.Mail) {
	t.Helper()
	ms, err := env.App.DB.ListMail(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.To != addr {
			continue
		}
		stored = m
		if inviteLinkRe.MatchString(m.Body) {
			t.Fatalf("the stored copy of the mail holds a usable link: %s", m.Body)
		}
		real := []tsunagu.Mail{m}
		env.App.Auth.DevOutbox.Reveal(real)
		sm := inviteLinkRe.FindStringSubmatch(real[0].Body)
		if sm == nil {
			t.Fatalf("mail to %s has no link: %s", addr, real[0].Body)
		}
		return sm[1], stored
	}
	t.Fatalf("no mail to %s", addr)
	return "", stored
}

func countCandidates(t *testing.T, env *apptest.Env) int {
	t.Helper()
	var n int
	if err := env.App.DB.GetContext(context.Background(), &n, `SELECT count(*) FROM candidates`); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestInviteCandidate: a coordinator invites the person behind a profile
// without an account, by e-mail in the candidate's language or by a link
// shown once; following the link sets a password, claims that profile and
// signs in; the link works once; tokens are stored hashed and never shown
// in the admin outbox.
func TestInviteCandidate(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	cand := &tsunagu.Candidate{Name: "Amina Karimi", Email: "amina@example.org", Headline: "Bookkeeper", Locale: "fr", Visibility: tsunagu.VisibilityCoordinators}
	if err := env.App.DB.SaveCandidate(ctx, cand); err != nil {
		t.Fatal(err)
	}
	noMail := &tsunagu.Candidate{Name: "Olena P.", Locale: "uk", Visibility: tsunagu.VisibilityCoordinators}
	if err := env.App.DB.SaveCandidate(ctx, noMail); err != nil {
		t.Fatal(err)
	}
	coord := env.Client()
	coord.SignInDemo("coordinator")
	path := "/coordinator/candidates/" + strconv.FormatInt(cand.ID, 10) + "/invite"

	t.Run("ErrNotStaff", func(t *testing.T) {
		c := env.ClientFor(t)
		c.SignInDemo("company")
		if r := c.Get(path); r.Status != http.StatusForbidden {
			t.Fatalf("company opened the invitation page: %d", r.Status)
		}
	})
	t.Run("ErrNoEmailToMail", func(t *testing.T) {
		p := "/coordinator/candidates/" + strconv.FormatInt(noMail.ID, 10) + "/invite"
		r := coord.PostForm(p, p, url.Values{"how": {"email"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="email-error"`) {
			t.Fatalf("status %d, want 422 with an error on email", r.Status)
		}
		if r := coord.PostForm(p, p, url.Values{"how": {"pigeon"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="how-error"`) {
			t.Fatalf("bad how: status %d", r.Status)
		}
	})

	for _, lang := range []string{"ja", "en"} {
		coord.Lang = lang
		if r := coord.Get(path); r.Status != http.StatusOK || !strings.Contains(r.Body, "Amina Karimi") {
			t.Fatalf("%s: invitation page status %d", lang, r.Status)
		}
	}
	coord.Lang = "en"
	if r := coord.PostForm(path, path, url.Values{"how": {"email"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("invite by e-mail: status %d %s", r.Status, r.Body)
	}
	mailed, stored := lastMailLink(t, env, "amina@example.org")
	if !strings.Contains(stored.Subject, "invitation") || !strings.Contains(stored.Subject, "Tsunagu :") {
		t.Fatalf("mail not in the candidate's language (fr): %q", stored.Subject)
	}
	r := coord.PostForm(path, path, url.Values{"how": {"link"}})
	sm := inviteLinkRe.FindStringSubmatch(r.Body)
	if r.Status != http.StatusCreated || sm == nil {
		t.Fatalf("invite by link: status %d, no link shown", r.Status)
	}
	token := sm[1]

	t.Run("StoredHashedNotInOutbox", func(t *testing.T) {
		var n int
		env.App.DB.GetContext(ctx, &n, `SELECT count(*) FROM invitations WHERE token_hash = $1 OR token_hash = $2`, []byte(token), []byte(mailed))
		if n != 0 {
			t.Fatalf("a token is stored in clear")
		}
		admin := env.ClientFor(t)
		admin.SignInDemo("admin")
		if o := admin.Get("/admin/outbox"); strings.Contains(o.Body, token) {
			t.Fatalf("the outbox shows the handed-over link")
		}
	})

	before := countCandidates(t, env)
	visitor := env.Client()
	if p := visitor.Get("/invitations/" + token); p.Status != http.StatusOK || !strings.Contains(p.Body, "Amina Karimi") {
		t.Fatalf("invitation page: status %d", p.Status)
	}
	bad := visitor.PostForm("/invitations/"+token, "", url.Values{"display_name": {""}, "password": {"short"}, "password_confirm": {"short"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `id="password-error"`) || !strings.Contains(bad.Body, `id="display_name-error"`) {
		t.Fatalf("bad input: status %d", bad.Status)
	}
	pw := "Green tea & rice 2026"
	ok := visitor.PostForm("/invitations/"+token, "", url.Values{"display_name": {"Amina"}, "password": {pw}, "password_confirm": {pw}})
	if ok.Status != http.StatusSeeOther || ok.Location != "/me" {
		t.Fatalf("accept: status %d → %q %s", ok.Status, ok.Location, regexp.MustCompile(`role="alert">[^<]*`).FindAllString(ok.Body, -1))
	}
	u, err := env.App.DB.UserByEmail(ctx, "amina@example.org")
	if err != nil || u.Role != tsunagu.RoleCandidate {
		t.Fatalf("no candidate account: %v", err)
	}
	own, err := env.App.DB.CandidateByUserID(ctx, u.ID)
	if err != nil || own.ID != cand.ID {
		t.Fatalf("the account does not hold the invited profile: %v", err)
	}
	if got := countCandidates(t, env); got != before {
		t.Fatalf("candidates = %d, want %d (no second profile)", got, before)
	}
	if p := visitor.Get("/me/profile"); p.Status != http.StatusOK || !strings.Contains(p.Body, "Bookkeeper") {
		t.Fatalf("the candidate does not see their profile: status %d", p.Status)
	}

	t.Run("ErrSingleUse", func(t *testing.T) {
		for _, tok := range []string{token, mailed} {
			again := env.ClientFor(t)
			if p := again.Get("/invitations/" + tok); p.Status != http.StatusNotFound {
				t.Fatalf("used link page: status %d", p.Status)
			}
			r := again.PostForm("/invitations/"+tok, "/signin", url.Values{"display_name": {"X"}, "email": {"x@example.org"}, "password": {pw}, "password_confirm": {pw}})
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("used link accepted again: status %d", r.Status)
			}
		}
		if r := coord.PostForm(path, path, url.Values{"how": {"link"}}); r.Status != http.StatusConflict && r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("invited a profile that has an account: status %d", r.Status)
		}
	})
}

// TestSignUpClaimsProfile: signing up with the e-mail of a profile without
// an account creates no account and no second profile; a mailed link
// verifies the address and then claims that profile.
func TestSignUpClaimsProfile(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	cand := &tsunagu.Candidate{Name: "Yusuf Haidari", Email: "yusuf@example.org", Headline: "Civil engineer", Visibility: tsunagu.VisibilityCoordinators}
	if err := env.App.DB.SaveCandidate(ctx, cand); err != nil {
		t.Fatal(err)
	}
	before := countCandidates(t, env)
	c := env.Client()
	pw := "Blue river stone 77!"
	r := c.PostForm("/signup", "", url.Values{"role": {"candidate"}, "display_name": {"Yusuf"}, "email": {"Yusuf@example.org"},
		"password": {pw}, "password_confirm": {pw}})
	if r.Status != http.StatusSeeOther || r.Location != "/signin" {
		t.Fatalf("sign-up: status %d → %q", r.Status, r.Location)
	}
	if _, err := env.App.DB.UserByEmail(ctx, "yusuf@example.org"); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		t.Fatalf("an account was created before the address was verified (err %v)", err)
	}
	if got := countCandidates(t, env); got != before {
		t.Fatalf("candidates = %d, want %d", got, before)
	}
	token, _ := lastMailLink(t, env, "Yusuf@example.org")
	ok := c.PostForm("/invitations/"+token, "", url.Values{"display_name": {"Yusuf"}, "password": {pw}, "password_confirm": {pw}})
	if ok.Status != http.StatusSeeOther {
		t.Fatalf("claim: status %d", ok.Status)
	}
	u, err := env.App.DB.UserByEmail(ctx, "yusuf@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if own, err := env.App.DB.CandidateByUserID(ctx, u.ID); err != nil || own.ID != cand.ID {
		t.Fatalf("the account does not hold the profile: %v", err)
	}
	if got := countCandidates(t, env); got != before {
		t.Fatalf("candidates = %d, want %d (never a second profile)", got, before)
	}
}

// TestCompanyAdminManagesMembers: the member who signed the company up is
// its admin; they invite a colleague, who joins through the link; they
// remove the colleague, whose access (cards, and a consented identity)
// ends at once. A plain member manages no one.
func TestCompanyAdminManagesMembers(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	admin := env.Client()
	pw := "company pass 2026!"
	if r := admin.PostForm("/signup", "", url.Values{"role": {"company"}, "display_name": {"Kenji"}, "email": {"kenji@newco.example"},
		"company_name": {"Newco Trading"}, "password": {pw}, "password_confirm": {pw}}); r.Status != http.StatusSeeOther {
		t.Fatalf("sign-up: %d", r.Status)
	}
	co, err := env.App.DB.CompanyByName(ctx, "Newco Trading")
	if err != nil {
		t.Fatal(err)
	}
	staff, _ := env.App.DB.UserByEmail(ctx, "coordinator@demo.tsunagu.jp")
	if _, err := env.App.DB.VerifyCompany(ctx, co.ID, staff.ID, "registry checked"); err != nil {
		t.Fatal(err)
	}
	cpath := "/companies/" + strconv.FormatInt(co.ID, 10)

	for _, lang := range []string{"ja", "en"} {
		admin.Lang = lang
		if p := admin.Get(cpath + "/invitations/new"); p.Status != http.StatusOK {
			t.Fatalf("%s: invite page status %d", lang, p.Status)
		}
	}
	admin.Lang = "en"
	if r := admin.PostForm(cpath+"/invitations", cpath+"/invitations/new", url.Values{"email": {"not-an-address"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="email-error"`) {
		t.Fatalf("bad e-mail: status %d", r.Status)
	}
	if r := admin.PostForm(cpath+"/invitations", cpath+"/invitations/new", url.Values{"email": {"aiko@newco.example"}, "locale": {"ja"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("invite: status %d %s", r.Status, r.Body)
	}
	token, stored := lastMailLink(t, env, "aiko@newco.example")
	if !strings.Contains(stored.Subject, "つなぐ") {
		t.Fatalf("mail not in the chosen language: %q", stored.Subject)
	}
	colleague := env.Client()
	if r := colleague.PostForm("/invitations/"+token, "", url.Values{"display_name": {"Aiko"}, "password": {pw}, "password_confirm": {pw}}); r.Status != http.StatusSeeOther || r.Location != "/company" {
		t.Fatalf("join: status %d → %q", r.Status, r.Location)
	}
	aiko, err := env.App.DB.UserByEmail(ctx, "aiko@newco.example")
	if err != nil || aiko.Role != tsunagu.RoleCompany {
		t.Fatalf("no company account: %v", err)
	}
	if r := colleague.Get("/api/v1/candidate-cards"); r.Status != http.StatusOK {
		t.Fatalf("new member cannot list cards: %d", r.Status)
	}

	// A candidate consented to Newco: the colleague sees who they are.
	cand := &tsunagu.Candidate{Name: "Identity Visible", Email: "iv@example.org", Headline: "Welder", Visibility: tsunagu.VisibilityCompanies}
	if err := env.App.DB.SaveCandidate(ctx, cand); err != nil {
		t.Fatal(err)
	}
	role := &tsunagu.JobRole{CompanyID: co.ID, Title: "Welder", Workplace: "onsite", EmploymentType: "full_time", Status: tsunagu.RoleOpen}
	if err := env.App.DB.SaveRole(ctx, role); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.DB.ExecContext(ctx, `
		WITH c AS (INSERT INTO cases (candidate_id) VALUES ($1) RETURNING id)
		INSERT INTO introductions (case_id, candidate_id, role_id, company_id, stage, consented_at)
		SELECT c.id, $1, $2, $3, 'introduced', now() FROM c`, cand.ID, role.ID, co.ID); err != nil {
		t.Fatal(err)
	}
	full := "/api/v1/candidates/" + strconv.FormatInt(cand.ID, 10)
	if r := colleague.Get(full); r.Status != http.StatusOK || !strings.Contains(r.Body, "Identity Visible") {
		t.Fatalf("consented identity not visible to the member: %d", r.Status)
	}

	t.Run("ErrPlainMemberManagesNoOne", func(t *testing.T) {
		if r := colleague.Get(cpath + "/invitations/new"); r.Status != http.StatusForbidden {
			t.Fatalf("plain member opened the invite page: %d", r.Status)
		}
		kenji, _ := env.App.DB.UserByEmail(ctx, "kenji@newco.example")
		if r := colleague.PostForm(cpath+"/members/"+strconv.FormatInt(kenji.ID, 10)+"/remove", cpath, nil); r.Status != http.StatusForbidden {
			t.Fatalf("plain member removed the admin: %d", r.Status)
		}
	})

	page := admin.Get(cpath)
	if !strings.Contains(page.Body, cpath+"/members/"+strconv.FormatInt(aiko.ID, 10)+"/remove") {
		t.Fatalf("company page offers no remove button (status %d)", page.Status)
	}
	if r := admin.PostForm(cpath+"/members/"+strconv.FormatInt(aiko.ID, 10)+"/remove", cpath, nil); r.Status != http.StatusSeeOther {
		t.Fatalf("remove: status %d", r.Status)
	}
	if r := colleague.Get(full); r.Status == http.StatusOK || strings.Contains(r.Body, "Identity Visible") {
		t.Fatalf("a removed member still sees the consented identity: %d", r.Status)
	}
	if r := colleague.Get("/api/v1/candidate-cards"); r.Status == http.StatusOK {
		t.Fatalf("a removed member still lists cards")
	}
	if es, _ := env.App.DB.ListAudit(ctx, "company", strconv.FormatInt(co.ID, 10), 20); !hasAction(es, "company.member_remove") {
		t.Fatalf("removal not audited")
	}
}
