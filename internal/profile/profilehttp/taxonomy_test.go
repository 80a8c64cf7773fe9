package profilehttp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/apptest"
)

func TestTaxonomySuggestions(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, apptest.Options{Seed: true})
	c := env.ClientFor(t)
	if r := c.Get("/api/v1/taxonomy/skills?q=excel"); r.Status != http.StatusUnauthorized {
		t.Fatalf("visitor = %d, want 401", r.Status)
	}
	c.SignInDemo("candidate")
	// The index opens in the background; until then the API says 503.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := env.App.SuggestionsReady(ctx); err != nil {
		t.Fatalf("taxonomy index: %v", err)
	}

	t.Run("OK", func(t *testing.T) {
		r := c.Get("/api/v1/taxonomy/skills?q=MS+Excel&lang=en&limit=5")
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		var out struct {
			Results []struct {
				URI   string  `json:"uri"`
				Label string  `json:"label"`
				Score float64 `json:"score"`
			} `json:"results"`
		}
		if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
			t.Fatal(err)
		}
		if len(out.Results) == 0 || len(out.Results) > 5 {
			t.Fatalf("got %d results", len(out.Results))
		}
		if !strings.HasPrefix(out.Results[0].URI, "http://data.europa.eu/esco/skill/") {
			t.Fatalf("first result %+v is not an ESCO skill", out.Results[0])
		}
		if !strings.Contains(strings.ToLower(out.Results[0].Label), "spreadsheet") {
			t.Errorf("MS Excel → %q, want the spreadsheet skill first", out.Results[0].Label)
		}
	})
	t.Run("Occupations", func(t *testing.T) {
		r := c.Get("/api/v1/taxonomy/occupations?q=Sr.+Java+developer")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "http://data.europa.eu/esco/occupation/") {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("ErrQueryRequired", func(t *testing.T) {
		r := c.Get("/api/v1/taxonomy/skills?q=")
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"q"`) {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("ErrBadLimit", func(t *testing.T) {
		r := c.Get("/api/v1/taxonomy/skills?q=x&limit=999")
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"limit"`) {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("DatalistOptions", func(t *testing.T) {
		r := c.Get("/suggest/skills?skills%5B0%5D.label=teamwork")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "<option value=") {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
}
