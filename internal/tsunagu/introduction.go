package tsunagu

import (
	"slices"
	"time"
)

// IntroStage is where an introduction of a candidate to a role stands.
type IntroStage string

// Introduction stages.
const (
	IntroSuggested         IntroStage = "suggested"
	IntroConsented         IntroStage = "candidate_consented"
	IntroIntroduced        IntroStage = "introduced"
	IntroInterviewing      IntroStage = "interviewing"
	IntroOffered           IntroStage = "offered"
	IntroHired             IntroStage = "hired"
	IntroDeclinedByCompany IntroStage = "declined_by_company"
	IntroDeclinedByCand    IntroStage = "declined_by_candidate"
	IntroWithdrawn         IntroStage = "withdrawn"
)

// IntroStages lists every stage, the pipeline first, then the endings.
var IntroStages = []IntroStage{IntroSuggested, IntroConsented, IntroIntroduced, IntroInterviewing, IntroOffered, IntroHired, IntroDeclinedByCompany, IntroDeclinedByCand, IntroWithdrawn}

var introMoves = map[IntroStage][]IntroStage{
	IntroSuggested:    {IntroConsented, IntroDeclinedByCand, IntroWithdrawn},
	IntroConsented:    {IntroIntroduced, IntroDeclinedByCand, IntroWithdrawn},
	IntroIntroduced:   {IntroInterviewing, IntroDeclinedByCompany, IntroDeclinedByCand, IntroWithdrawn},
	IntroInterviewing: {IntroOffered, IntroDeclinedByCompany, IntroDeclinedByCand, IntroWithdrawn},
	IntroOffered:      {IntroHired, IntroDeclinedByCompany, IntroDeclinedByCand, IntroWithdrawn},
}

// Valid reports whether s is a known stage.
func (s IntroStage) Valid() bool { return slices.Contains(IntroStages, s) }

// Final reports whether the introduction has ended.
func (s IntroStage) Final() bool { return s.Valid() && len(introMoves[s]) == 0 }

// NextStages returns the stages an introduction in s may move to.
func (s IntroStage) NextStages() []IntroStage { return introMoves[s] }

// SharesIdentity reports whether, in stage s, the company may see who the
// candidate is: from the candidate's consent until the introduction ends
// in a hire. A candidate who declines or is withdrawn is hidden again.
func (s IntroStage) SharesIdentity() bool {
	switch s {
	case IntroConsented, IntroIntroduced, IntroInterviewing, IntroOffered, IntroHired:
		return true
	}
	return false
}

// VisibleToCompany reports whether the company may see the introduction at
// all: not while it is only a suggestion, nor when the candidate declined
// before consenting (consentedAt nil).
func (s IntroStage) VisibleToCompany(consented bool) bool {
	return consented && s != IntroSuggested
}

// CheckIntroMove returns nil when an introduction may move from one stage
// to another, and otherwise an EINVALID error on "stage" naming both.
func CheckIntroMove(from, to IntroStage) error {
	data := map[string]any{"From": string(from), "To": string(to)}
	id := ""
	switch {
	case !to.Valid():
		id = "error.choice"
	case from.Final():
		id = "introduction.error.final"
	case !slices.Contains(introMoves[from], to):
		id = "introduction.error.bad_move"
	default:
		return nil
	}
	return &Error{Code: EINVALID, Message: "introduction.error.bad_move_title", Data: data,
		Fields: map[string]FieldError{"stage": {ID: id, Data: data}}}
}

// Introduction is a candidate put forward for a role.
type Introduction struct {
	ID            int64      `json:"id" db:"id"`
	CaseID        int64      `json:"case_id" db:"case_id"`
	CandidateID   int64      `json:"candidate_id" db:"candidate_id"`
	RoleID        int64      `json:"role_id" db:"role_id"`
	CompanyID     int64      `json:"company_id" db:"company_id"`
	Stage         IntroStage `json:"stage" db:"stage"`
	UsesExpertise bool       `json:"uses_expertise" db:"uses_expertise"`
	ConsentedAt   *time.Time `json:"consented_at,omitempty" db:"consented_at"`
	HiredAt       *time.Time `json:"hired_at,omitempty" db:"hired_at"`
	StageSince    time.Time  `json:"stage_since" db:"stage_since"`
	Version       int64      `json:"version" db:"version"` // see Candidate.Version
	CreatedAt     time.Time  `json:"created_at" db:"created_at"`

	RoleTitle   string `json:"role_title" db:"role_title"`
	CompanyName string `json:"company_name" db:"company_name"`
	// CandidateName is blank ("") when the viewer may not see the identity;
	// Headline is always shown.
	CandidateName string `json:"candidate_name,omitempty" db:"candidate_name"`
	Headline      string `json:"headline" db:"headline"`
	CandidateUser *int64 `json:"-" db:"candidate_user_id"`
	// Locale is the language the candidate reads (for the consent page).
	Locale string `json:"-" db:"candidate_locale"`
	// ConsentRecorded reports that the candidate's current answer was
	// given outside the platform and recorded by the programme
	// (Recorded holds it where the service loads it).
	ConsentRecorded bool             `json:"consent_recorded" db:"consent_recorded"`
	Recorded        *RecordedConsent `json:"recorded_consent,omitempty" db:"-"`
}

// IntroMove is a requested move of an introduction; Feedback is the
// company's interview verdict ("yes"/"no"), kept in the note.
type IntroMove struct {
	Stage         IntroStage `json:"stage"`
	Note          string     `json:"note,omitempty"`
	UsesExpertise *bool      `json:"uses_expertise,omitempty"` // set on hire
	// Version is the version of the introduction the move was decided on
	// (0: whatever it is now); one changed since is not moved (Stale).
	Version int64 `json:"version,omitempty"`
}

// Feedback verdicts a company gives after an interview.
const (
	FeedbackYes = "yes"
	FeedbackNo  = "no"
)

// FeedbackMove returns the move a company's verdict makes from stage s:
// yes moves forward (introduced → interviewing → offered → hired), no
// declines. ok is false when no verdict fits s.
func FeedbackMove(s IntroStage, verdict string) (IntroStage, bool) {
	if verdict == FeedbackNo {
		switch s {
		case IntroIntroduced, IntroInterviewing, IntroOffered:
			return IntroDeclinedByCompany, true
		}
		return "", false
	}
	if verdict != FeedbackYes {
		return "", false
	}
	switch s {
	case IntroIntroduced:
		return IntroInterviewing, true
	case IntroInterviewing:
		return IntroOffered, true
	case IntroOffered:
		return IntroHired, true
	}
	return "", false
}

// How a consent (or a decline) given outside the platform was obtained.
const (
	ConsentByPhone     = "phone"
	ConsentInPerson    = "in_person"
	ConsentOnPaper     = "paper"
	ConsentByMessaging = "messaging" // a messaging app
)

// ConsentMethods lists the ways a recorded consent may have been obtained.
var ConsentMethods = []string{ConsentByPhone, ConsentInPerson, ConsentOnPaper, ConsentByMessaging}

// Answers a recorded consent carries.
const (
	AnswerConsent = "consent"
	AnswerDecline = "decline"
)

// MaxConsentWords bounds the words or document reference of a recorded
// consent.
const MaxConsentWords = 2000

// RecordedConsent is a candidate's answer to an introduction, given
// outside the platform (by phone, in person, on paper, by a messaging app)
// and recorded by a coordinator: how, when it was obtained, the person's
// words or the document's reference, and who recorded it. It moves the
// introduction as the candidate's own answer would; the company is told
// the consent was recorded by the programme and gets the same rights; the
// candidate sees it when they sign in and may withdraw it.
type RecordedConsent struct {
	ID             int64     `json:"id" db:"id"`
	IntroductionID int64     `json:"introduction_id" db:"introduction_id"`
	Answer         string    `json:"answer" db:"answer" validate:"required,oneof=consent decline" msg:"error.choice"`
	Method         string    `json:"method" db:"method" validate:"required,consent_method" msg:"error.choice"`
	ObtainedAt     time.Time `json:"obtained_at" db:"obtained_at" validate:"required"`
	Words          string    `json:"words" db:"words" validate:"required,max=2000,text"`
	RecordedBy     *int64    `json:"-" db:"recorded_by"`
	RecordedByName string    `json:"recorded_by" db:"recorded_by_name"`
	RecordedAt     time.Time `json:"recorded_at" db:"recorded_at"`
}

// Stage is the introduction stage the answer moves to.
func (r *RecordedConsent) Stage() IntroStage {
	if r.Answer == AnswerConsent {
		return IntroConsented
	}
	return IntroDeclinedByCand
}
