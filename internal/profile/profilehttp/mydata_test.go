package profilehttp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func TestMyDataExportAndErase(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	ctx := context.Background()
	if err := seed.Profiles(ctx, env.App.DB); err != nil {
		t.Fatal(err)
	}
	u, err := env.App.DB.UserByEmail(ctx, "candidate@demo.tsunagu.jp")
	if err != nil {
		t.Fatal(err)
	}
	cand, err := env.App.DB.CandidateByUserID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := env.ClientFor(t)
	c.SignInDemo("candidate")

	t.Run("Export", func(t *testing.T) {
		r := c.Get("/me/data/export.json")
		if r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("status %d", r.Status)
		}
		var out struct {
			Tables map[string][]map[string]any `json:"tables"`
		}
		if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
			t.Fatal(err)
		}
		if got := out.Tables["candidates"]; len(got) != 1 || got[0]["name"] != cand.Name {
			t.Fatalf("candidates = %v", got)
		}
		if len(out.Tables["candidate_skills"]) == 0 {
			t.Errorf("skills not exported; tables: %v", keys(out.Tables))
		}
		if strings.Contains(r.Body, "password_hash") || strings.Contains(r.Body, "$argon2id$") {
			t.Fatal("export contains the password hash")
		}
	})

	t.Run("OtherRolesRefused", func(t *testing.T) {
		for _, role := range []string{"company", "coordinator"} {
			o := env.ClientFor(t)
			o.SignInDemo(role)
			if r := o.Get("/me/data/export.json"); r.Status != http.StatusForbidden {
				t.Errorf("%s export = %d, want 403", role, r.Status)
			}
		}
	})

	t.Run("ErrNotConfirmed", func(t *testing.T) {
		r := c.PostForm("/me/data/erase", "/me/data", url.Values{"password": {seed.DemoPassword}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="confirm-error"`) {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		r := c.PostForm("/me/data/erase", "/me/data", url.Values{"confirm": {"yes"}, "password": {"not my password"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="password-error"`) {
			t.Fatalf("status %d", r.Status)
		}
		if _, err := env.App.DB.CandidateByID(ctx, cand.ID); err != nil {
			t.Fatalf("a refused erasure deleted data: %v", err)
		}
	})
	t.Run("Erase", func(t *testing.T) {
		r := c.PostForm("/me/data/erase", "/me/data", url.Values{"confirm": {"yes"}, "password": {seed.DemoPassword}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		if _, err := env.App.DB.CandidateByID(ctx, cand.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Fatalf("candidate still there: %v", err)
		}
		if _, err := env.App.DB.UserByEmail(ctx, "candidate@demo.tsunagu.jp"); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Fatalf("account still there: %v", err)
		}
		var n int
		env.App.DB.GetContext(ctx, &n, `SELECT count(*) FROM change_log WHERE entity = 'candidate' AND entity_id = $1 AND op = 'delete'`, cand.ID)
		if n != 1 {
			t.Fatalf("change_log delete rows = %d, want 1", n)
		}
		if r := c.Get("/me"); r.Status != http.StatusSeeOther {
			t.Fatalf("still signed in after erasure: %d", r.Status)
		}
	})
}

func keys(m map[string][]map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
