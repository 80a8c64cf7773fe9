package profilehttp_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestCompanySignUpIsVetted: a company that signs up by itself waits for the
// programme's check before its members see any candidate (pages and API
// answer 403 with a message that says why), and sees them once verified.
func TestCompanySignUpIsVetted(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	existing := &tsunagu.Company{Name: "Sakura Logistics"}
	if err := env.App.DB.SaveCompany(ctx, existing); err != nil {
		t.Fatal(err)
	}
	cand := &tsunagu.Candidate{Name: "Amina K.", Headline: "Bookkeeper", Visibility: tsunagu.VisibilityCompanies}
	if err := env.App.DB.SaveCandidate(ctx, cand); err != nil {
		t.Fatal(err)
	}

	signUp := func(t *testing.T, c *apptest.Client, email, company string) *apptest.Response {
		t.Helper()
		return c.PostForm("/signup", "", url.Values{
			"role": {"company"}, "display_name": {"Kenji"}, "email": {email}, "company_name": {company},
			"password": {"correct horse 42"}, "password_confirm": {"correct horse 42"},
		})
	}

	t.Run("ErrCompanyNameRequired", func(t *testing.T) {
		r := signUp(t, env.ClientFor(t), "noname@example.org", "")
		if got, want := r.Status, http.StatusUnprocessableEntity; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		if !strings.Contains(r.Body, `id="company_name-error"`) {
			t.Fatalf("no error on company_name")
		}
	})

	t.Run("ErrCompanyNameTaken", func(t *testing.T) {
		r := signUp(t, env.ClientFor(t), "taken@example.org", "SAKURA LOGISTICS")
		if got, want := r.Status, http.StatusUnprocessableEntity; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		if !strings.Contains(r.Body, `id="company_name-error"`) {
			t.Fatalf("no error on company_name")
		}
		if _, err := env.App.DB.UserByEmail(ctx, "taken@example.org"); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Fatalf("account created although its company was refused (err %v)", err)
		}
	})

	t.Run("PendingSeesNoCandidateUntilVerified", func(t *testing.T) {
		c := env.ClientFor(t)
		if r := signUp(t, c, "kenji@newco.example", "Newco Trading"); r.Status != http.StatusSeeOther {
			t.Fatalf("sign-up status = %d; body %s", r.Status, r.Body)
		}
		company, err := env.App.DB.CompanyByName(ctx, "Newco Trading")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := company.Status, tsunagu.CompanyPending; got != want {
			t.Fatalf("status = %q, want %q", got, want)
		}
		r := c.Get("/api/v1/candidate-cards")
		if got, want := r.Status, http.StatusForbidden; got != want {
			t.Fatalf("cards before verification: status = %d, want %d; body %s", got, want, r.Body)
		}
		if !strings.Contains(r.Body, "still being checked") {
			t.Fatalf("403 does not say why: %s", r.Body)
		}
		if r := c.Get("/api/v1/candidates/" + strconv.FormatInt(cand.ID, 10) + "/card"); r.Status < 400 {
			t.Fatalf("one card before verification: status = %d", r.Status)
		}

		home := c.Get("/company")
		if home.Status != http.StatusOK || !strings.Contains(home.Body, "Your company is being checked") || !strings.Contains(home.Body, "Newco Trading") {
			t.Fatalf("company home does not say what happens next: status %d", home.Status)
		}
		path := "/companies/" + strconv.FormatInt(company.ID, 10)
		if r := c.PostForm(path+"/verify", path, url.Values{"verification_note": {"self-verified"}}); r.Status < 400 {
			t.Fatalf("a company member verified its own company: status %d", r.Status)
		}

		staff := env.ClientFor(t)
		staff.SignInDemo("coordinator")
		staff.PostForm(path+"/verify", path, url.Values{"verification_note": {"  "}})
		if co, _ := env.App.DB.CompanyByID(ctx, company.ID); co.Status != tsunagu.CompanyPending {
			t.Fatalf("verified without a note of what was checked")
		}
		if r := staff.PostForm(path+"/verify", path, url.Values{"verification_note": {"Registry entry checked; called the office"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("verify: status %d", r.Status)
		}
		co, err := env.App.DB.CompanyByID(ctx, company.ID)
		if err != nil {
			t.Fatal(err)
		}
		if co.Status != tsunagu.CompanyVerified || co.VerifiedBy == nil || co.VerifiedAt == nil || co.VerificationNote == "" {
			t.Fatalf("verification not recorded: %+v", co)
		}
		if v := staff.Get(path); !strings.Contains(v.Body, "Registry entry checked") {
			t.Fatalf("company page does not show the verification")
		}
		if got := c.Get("/company"); strings.Contains(got.Body, "Your company is being checked") {
			t.Fatalf("verified company still told it is pending")
		}
		r = c.Get("/api/v1/candidate-cards")
		if got, want := r.Status, http.StatusOK; got != want {
			t.Fatalf("cards after verification: status = %d, want %d", got, want)
		}
		if !strings.Contains(r.Body, `"total":1`) {
			t.Fatalf("no card after verification: %s", r.Body)
		}
	})
}
