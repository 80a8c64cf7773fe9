package seed

import (
	"context"
	"fmt"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// DuplicatePair external ids: one person entered twice, once from a CSV in
// Latin letters and once by hand in Katakana, with one phone number written
// two ways (issue 12.9: demo data shows a duplicate pair).
const (
	DuplicateFirstID  = "demo-dup-latin"
	DuplicateSecondID = "demo-dup-katakana"
)

// Duplicates adds the duplicate pair unless it is there, and runs the
// duplicate scan so that the coordinators' review page lists it.
func Duplicates(ctx context.Context, db *postgres.DB) error {
	pair := []*tsunagu.Candidate{
		{ExternalID: DuplicateFirstID, Name: "Amal Haddad", Email: "amal.haddad@example.org", Phone: "080-5555-0101",
			Nationality: "SY", Headline: "Pharmacist", Visibility: tsunagu.VisibilityCoordinators, Locale: "ar"},
		{ExternalID: DuplicateSecondID, Name: "アマル・ハッダード", Phone: "+81 80 5555 0101",
			Nationality: "SY", Headline: "薬剤師", Visibility: tsunagu.VisibilityCoordinators, Locale: "ja"},
	}
	for _, c := range pair {
		if _, err := db.CandidateByExternalID(ctx, c.ExternalID); err == nil {
			continue
		} else if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			return err
		}
		if err := db.SaveCandidate(ctx, c); err != nil {
			return fmt.Errorf("seed duplicate %s: %w", c.ExternalID, err)
		}
	}
	if _, err := profile.New(db).ScanDuplicates(ctx); err != nil {
		return fmt.Errorf("seed duplicates: %w", err)
	}
	return nil
}
