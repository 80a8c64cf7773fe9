package profile_test

import (
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/search"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestRoleOccupationGuesses saves roles with the search resolver as the
// occupation guesser (as the app does): the likeliest occupations are
// stored with the role, best first, whatever the caller sent.
func TestRoleOccupationGuesses(t *testing.T) {
	tax, err := taxonomy.Load()
	if err != nil {
		t.Fatalf("load taxonomy: %v", err)
	}
	res := search.NewResolver(tax)
	f := mustFixture(t)
	svc := profile.New(f.db, profile.WithVocabulary(profile.TaxonomyVocabulary{T: tax}),
		profile.WithResolver(profile.NewLabelResolver(tax)), profile.WithOccupationGuesser(res))

	t.Run("OKStoredBestFirstWithTheTitlesOccupation", func(t *testing.T) {
		r := &tsunagu.JobRole{
			CompanyID: f.company.ID, Title: "Senior welder (TIG)",
			RequiredSkills: []tsunagu.SkillRef{{Label: "welding techniques"}, {Label: "use welding equipment"}},
			Workplace:      tsunagu.WorkplaceOnsite, Status: tsunagu.RoleOpen,
			// Sent by a client: never stored as they are.
			OccupationGuesses: []tsunagu.OccupationGuess{{URI: "http://data.europa.eu/esco/occupation/not-this", Score: 1}},
		}
		if err := svc.SaveRole(as(f.companyUser), r); err != nil {
			t.Fatalf("save: %v", err)
		}
		got, err := svc.FindRoleByID(as(f.companyUser), r.ID)
		if err != nil {
			t.Fatalf("find: %v", err)
		}
		if len(got.OccupationGuesses) == 0 || len(got.OccupationGuesses) > 3 {
			t.Fatalf("guesses = %+v, want 1 to 3", got.OccupationGuesses)
		}
		if best := res.OccupationLabel(got.OccupationGuesses[0].URI, "en"); !strings.Contains(best, "welder") {
			t.Errorf("best guess = %q (%+v), want a welder", best, got.OccupationGuesses)
		}
		for i, g := range got.OccupationGuesses {
			if strings.HasSuffix(g.URI, "not-this") || g.Score <= 0 || g.Score > 1 {
				t.Errorf("guess %d = %+v", i, g)
			}
			if i > 0 && g.Score > got.OccupationGuesses[i-1].Score {
				t.Errorf("guesses not best first: %+v", got.OccupationGuesses)
			}
		}
	})
	t.Run("OKConfirmedOccupationKept", func(t *testing.T) {
		// The author confirms the second guess: it is the occupation,
		// and the guesses (evidence for the page) do not override it.
		r := &tsunagu.JobRole{CompanyID: f.company.ID, Title: "Bookkeeping staff", Workplace: tsunagu.WorkplaceRemote,
			Status: tsunagu.RoleDraft}
		if err := svc.SaveRole(as(f.companyUser), r); err != nil {
			t.Fatalf("save: %v", err)
		}
		if len(r.OccupationGuesses) < 2 {
			t.Fatalf("guesses = %+v, want at least 2", r.OccupationGuesses)
		}
		second := r.OccupationGuesses[1].URI
		r.OccupationURI = second
		if err := svc.SaveRole(as(f.companyUser), r); err != nil {
			t.Fatalf("save confirmed: %v", err)
		}
		got, err := svc.FindRoleByID(as(f.companyUser), r.ID)
		if err != nil {
			t.Fatalf("find: %v", err)
		}
		if got.OccupationURI != second {
			t.Errorf("OccupationURI = %q, want the confirmed %q", got.OccupationURI, second)
		}
		if len(got.OccupationGuesses) == 0 || got.OccupationGuesses[0].URI != r.OccupationGuesses[0].URI {
			t.Errorf("guesses = %+v, want the title's, not the confirmed one", got.OccupationGuesses)
		}
	})
}
