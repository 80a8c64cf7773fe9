package cases

import "github.com/tsunagu-org/tsunagu/internal/tsunagu"

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
