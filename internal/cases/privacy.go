package cases

import (
	"context"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// OwnFollowupView blanks what a candidate may not read of a check-in on
// their case: the employer's check-in is confidential to staff (whether
// they still employ the person, how satisfied they are, the issues they
// name, and who answered), so the candidate sees only that it exists and
// when it fell due. Their own check-in they see in full.
func OwnFollowupView(f *tsunagu.Followup) {
	if f.Party != tsunagu.PartyCandidate {
		f.StillEmployed, f.Satisfaction, f.Issues, f.CompletedBy = nil, 0, "", nil
	}
}

// Audit actions of staff reads that return identity (names): every such
// read writes one audit row, as a list of full profiles does
// (profile.AuditListFull). A list's row names in detail "ids" every
// candidate it returned, so the audit log found by person (and the trail
// on their profile page) holds it.
const (
	AuditCaseList       = "case.list"       // the board and GET /api/v1/cases
	AuditCaseView       = "case.view"       // a case page or GET /api/v1/cases/:id; subject: the candidate
	AuditCaseCandidates = "case.candidates" // the "open a case" picker: candidates without a case
)

// auditRead writes the audit row of a read by u: about one candidate
// (subject, not 0) or a list naming ids (nothing when the list is empty).
func (s *Service) auditRead(ctx context.Context, u *tsunagu.User, action string, subject int64, ids []int64, detail map[string]any) error {
	return s.DB.AuditRead(ctx, u, action, subject, ids, detail)
}

// CandidatesWithoutCase lists candidates who have no case yet, by name,
// for opening one (staff; EFORBIDDEN otherwise). The read is audited.
func (s *Service) CandidatesWithoutCase(ctx context.Context) ([]postgres.CandidateRef, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.DB.CandidatesWithoutCase(ctx, 500)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	return list, s.auditRead(ctx, u, AuditCaseCandidates, 0, ids, nil)
}
