package postgres_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/seed"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestCandidateForViewerSameAsByID checks that the card page's one-trip
// load (child rows as flat text arrays) gives exactly the candidate that
// CandidateByID (child rows as JSON) gives, for every demo profile and
// for one with awkward values, and the viewer's companies.
func TestCandidateForViewerSameAsByID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.NewDB(t)
	if err := seed.Users(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := seed.Profiles(ctx, db); err != nil {
		t.Fatal(err)
	}
	odd := &tsunagu.Candidate{
		Name: "Odd", Visibility: tsunagu.VisibilityCompanies,
		Skills: []tsunagu.SkillRef{
			{Label: `quote " and \ backslash, {braces}`, Years: 0.1, Verified: "NULL"},
			{Label: "", Level: "expert", Years: 1e-7},
		},
		Languages:   []tsunagu.LanguageSkill{{Code: "ja", Level: "N1"}},
		WorkHistory: []tsunagu.WorkExperience{{Title: "日本語の職名", Years: 2.5, Employer: "a,b"}},
		Education:   []tsunagu.Education{{Level: "master", Completed: false}, {Level: "bachelor", Completed: true}},
	}
	if err := db.SaveCandidate(ctx, odd); err != nil {
		t.Fatal(err)
	}
	bare := &tsunagu.Candidate{Name: "Bare", Visibility: tsunagu.VisibilityCompanies}
	if err := db.SaveCandidate(ctx, bare); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if err := db.Select(&ids, `SELECT id FROM candidates ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	company, err := db.UserByEmail(ctx, seed.DemoUsers[1].Email)
	if err != nil {
		t.Fatal(err)
	}
	wantCompanies, err := db.CompanyIDsForUser(ctx, company.ID)
	if err != nil || len(wantCompanies) == 0 {
		t.Fatalf("demo company user's companies: %v %v", wantCompanies, err)
	}
	for _, id := range ids {
		want, err := db.CandidateByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got, companies, _, err := db.CandidateForViewer(ctx, id, company.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("candidate %d:\n got %+v\nwant %+v", id, got, want)
		}
		if !reflect.DeepEqual(companies, wantCompanies) {
			t.Errorf("candidate %d: viewer companies %v, want %v", id, companies, wantCompanies)
		}
	}
	if _, companies, _, err := db.CandidateForViewer(ctx, ids[0], 0); err != nil || companies != nil {
		t.Errorf("no viewer: companies %v, err %v", companies, err)
	}
	if _, _, _, err := db.CandidateForViewer(ctx, ids[len(ids)-1]+1000, company.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		t.Errorf("missing candidate: err = %v, want ENOTFOUND", err)
	}
}
