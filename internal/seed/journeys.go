package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/auth"
	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// InvitedCandidateID is the external id of the demo candidate a
// coordinator entered without an account (issue 12.9): they were invited
// to claim their profile (the invitation waits, unused) and agreed by
// phone to an introduction to the demo company, which the coordinator
// recorded; the company sees "consent recorded by the programme" and the
// full profile from its pipeline.
const InvitedCandidateID = "demo-invited"

// Journeys adds the account-less, invited candidate with a recorded
// consent unless they are there. It runs after the cases step, through the
// cases service as the demo coordinator, so the case, the introduction,
// the record, its audit row and the notifications are what the app makes.
func Journeys(ctx context.Context, db *postgres.DB) error {
	if _, err := db.CandidateByExternalID(ctx, InvitedCandidateID); err == nil {
		return nil
	} else if tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
		return err
	}
	coord, err := db.UserByEmail(ctx, DemoUsers[2].Email)
	if err != nil {
		return fmt.Errorf("seed journeys: the demo coordinator: %w", err)
	}
	company, err := db.UserByEmail(ctx, DemoUsers[1].Email)
	if err != nil {
		return fmt.Errorf("seed journeys: the demo company: %w", err)
	}
	roles, err := caseRoles(ctx, db, &company.ID)
	if err != nil {
		return err
	}
	var roleID int64
	for _, r := range roles {
		if r.Demo {
			roleID = r.ID
			break
		}
	}
	if roleID == 0 {
		return nil // no demo company role to be introduced to
	}
	c := &tsunagu.Candidate{ExternalID: InvitedCandidateID, Name: "Farid Ahmadi", Email: "farid.ahmadi@example.org",
		Phone: "080-5555-0202", Nationality: "AF", Headline: "Accountant", Locale: "fa",
		Summary:    "Eight years as an accountant for an NGO in Herat; entered by the coordinator after an intake interview.",
		Location:   tsunagu.Location{Country: "JP", Prefecture: "東京都"},
		Skills:     []tsunagu.SkillRef{{Label: "bookkeeping", Level: tsunagu.LevelAdvanced, Years: 8}, {Label: "financial reporting", Level: tsunagu.LevelIntermediate, Years: 5}},
		Languages:  []tsunagu.LanguageSkill{{Code: "fa", Level: "native"}, {Code: "en", Level: "B2"}, {Code: "ja", Level: "N3"}},
		Visibility: tsunagu.VisibilityCompanies}
	if err := db.SaveCandidate(ctx, c); err != nil {
		return fmt.Errorf("seed invited candidate: %w", err)
	}
	ctx = tsunagu.NewContextWithUser(ctx, coord)
	svc := cases.New(db)
	caseID, err := svc.OpenCase(ctx, c.ID)
	if err != nil {
		return fmt.Errorf("seed invited candidate's case: %w", err)
	}
	for _, st := range []tsunagu.CaseStage{tsunagu.StageTraining, tsunagu.StageJobReady, tsunagu.StageJobSearch} {
		if err := svc.MoveCase(ctx, caseID, tsunagu.CaseMove{Stage: st}); err != nil {
			return fmt.Errorf("seed invited candidate's case: %w", err)
		}
	}
	introID, err := svc.Suggest(ctx, caseID, roleID, "")
	if err != nil {
		return fmt.Errorf("seed invited candidate's introduction: %w", err)
	}
	if _, err := svc.RecordConsent(ctx, introID, tsunagu.RecordedConsent{Answer: tsunagu.AnswerConsent, Method: tsunagu.ConsentByPhone,
		ObtainedAt: time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Minute),
		Words:      "「はい、紹介してください」(phone call in Dari with an interpreter)"}); err != nil {
		return fmt.Errorf("seed invited candidate's recorded consent: %w", err)
	}
	_, hash := auth.NewToken() // the link was handed over; only its hash is kept
	inv := &tsunagu.Invitation{Kind: tsunagu.InviteCandidate, Email: c.Email, Locale: c.Locale, CandidateID: &c.ID,
		InvitedBy: &coord.ID, ExpiresAt: time.Now().Add(tsunagu.InvitationTTL)}
	if err := db.CreateInvitation(ctx, inv, hash); err != nil {
		return fmt.Errorf("seed invitation: %w", err)
	}
	return nil
}
