package tsunagu

import "time"

// RetentionMonths are the months after hire at which retention check-ins
// fall due.
var RetentionMonths = []int{1, 3, 6, 12}

// Follow-up parties: each check-in is held with the candidate and with the
// employer.
const (
	PartyCandidate = "candidate"
	PartyEmployer  = "employer"
)

// FollowupGrace is how long after its due date a check-in may stay open
// before the coordinator is alerted.
const FollowupGrace = 14 * 24 * time.Hour

// Residence-card reminders fall this many days before the card expires.
var ResidenceReminderDays = []int{90, 30}

// Followup is a retention check-in.
type Followup struct {
	ID             int64      `json:"id" db:"id"`
	CaseID         int64      `json:"case_id" db:"case_id"`
	IntroductionID int64      `json:"introduction_id" db:"introduction_id"`
	Month          int        `json:"month" db:"month"`
	Party          string     `json:"party" db:"party"`
	DueAt          time.Time  `json:"due_at" db:"due_at"`
	RemindedAt     *time.Time `json:"reminded_at,omitempty" db:"reminded_at"`
	EscalatedAt    *time.Time `json:"escalated_at,omitempty" db:"escalated_at"`
	CompletedAt    *time.Time `json:"completed_at,omitempty" db:"completed_at"`
	CompletedBy    *int64     `json:"completed_by,omitempty" db:"completed_by"`
	StillEmployed  *bool      `json:"still_employed,omitempty" db:"still_employed"`
	Satisfaction   int        `json:"satisfaction,omitempty" db:"satisfaction"`
	Issues         string     `json:"issues,omitempty" db:"issues"`

	CompanyID     int64  `json:"company_id" db:"company_id"`
	CompanyName   string `json:"company_name" db:"company_name"`
	RoleTitle     string `json:"role_title" db:"role_title"`
	CandidateUser *int64 `json:"-" db:"candidate_user_id"`
}

// Overdue reports whether the check-in is open past its grace period.
func (f *Followup) Overdue(now time.Time) bool {
	return f.CompletedAt == nil && now.After(f.DueAt.Add(FollowupGrace))
}

// Due reports whether the check-in is open and due.
func (f *Followup) Due(now time.Time) bool { return f.CompletedAt == nil && !now.Before(f.DueAt) }

// RetentionSchedule returns the check-ins of a hire on hiredAt: each month
// of RetentionMonths, with the candidate and with the employer.
func RetentionSchedule(hiredAt time.Time) []Followup {
	var out []Followup
	for _, m := range RetentionMonths {
		for _, p := range []string{PartyCandidate, PartyEmployer} {
			out = append(out, Followup{Month: m, Party: p, DueAt: hiredAt.AddDate(0, m, 0)})
		}
	}
	return out
}

// FollowupAnswer is the short check-in form.
type FollowupAnswer struct {
	StillEmployed *bool  `json:"still_employed" validate:"required"`
	Satisfaction  int    `json:"satisfaction" validate:"range=1 5" msg:"error.choice"` // 1 (poor) .. 5 (very good)
	Issues        string `json:"issues,omitempty" validate:"max=4000"`
}

// Validate checks the form per field.
func (a FollowupAnswer) Validate() error {
	return Check(a)
}
