package profilehttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
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
