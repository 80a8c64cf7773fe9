package tsunagu

import (
	"context"
	"time"
)

// Visibility says who may find a candidate.
const (
	VisibilityHidden       = "hidden"       // nobody but the candidate and staff working their case
	VisibilityCoordinators = "coordinators" // coordinators only
	VisibilityCompanies    = "companies"    // coordinators, and companies anonymised
)

// Skill levels.
const (
	LevelBeginner     = "beginner"
	LevelIntermediate = "intermediate"
	LevelAdvanced     = "advanced"
	LevelExpert       = "expert"
)

// Workplace kinds, for roles and for candidates' preferences.
const (
	WorkplaceOnsite = "onsite"
	WorkplaceHybrid = "hybrid"
	WorkplaceRemote = "remote"
)

// Location is where a person lives or a role is.
type Location struct {
	Country    string `json:"country"`    // ISO 3166-1 alpha-2
	Prefecture string `json:"prefecture"` // English prefecture name ("Tokyo") when Country is JP
}

// SkillRef is a skill as typed and as resolved: Label is what the person
// wrote (kept), ESCOURI the ESCO skill it was normalised to ("" if none).
type SkillRef struct {
	Label   string  `json:"label"`
	ESCOURI string  `json:"esco_uri,omitempty"`
	Level   string  `json:"level,omitempty"` // beginner..expert; "" if unknown
	Years   float64 `json:"years,omitempty"`
	// Verified names the training programme that verified the skill ("" if self-declared).
	Verified string `json:"verified,omitempty"`
}

// LanguageSkill is a spoken language: Code is ISO 639-1; Level is N5..N1 for
// Japanese, A1..C2 for others, or "native".
type LanguageSkill struct {
	Code  string `json:"code"`
	Level string `json:"level"`
}

// WorkExperience is one job in a candidate's history.
type WorkExperience struct {
	Title         string  `json:"title"`
	OccupationURI string  `json:"occupation_uri,omitempty"`
	Years         float64 `json:"years,omitempty"`
	Country       string  `json:"country,omitempty"`
	Employer      string  `json:"employer,omitempty"`
}

// Education is one degree or course of study.
type Education struct {
	Level       string `json:"level"` // secondary, vocational, bachelor, master, doctorate, other
	Field       string `json:"field,omitempty"`
	Institution string `json:"institution,omitempty"`
	Country     string `json:"country,omitempty"`
	Completed   bool   `json:"completed"`
}

// Candidate is a person looking for work, with everything they told us.
// It is the full, identifying record: only the candidate, coordinators and
// admins ever see it whole; companies see a CandidateCard (see View).
type Candidate struct {
	ID         int64  `json:"id"`
	ExternalID string `json:"external_id,omitempty"`
	UserID     *int64 `json:"user_id,omitempty"`

	// Identifying: never shown to a company before consent.
	Name            string     `json:"name"`
	Email           string     `json:"email,omitempty"`
	Phone           string     `json:"phone,omitempty"`
	PhotoURL        string     `json:"photo_url,omitempty"`
	Nationality     string     `json:"nationality,omitempty"` // ISO 3166-1 alpha-2
	ResidenceStatus string     `json:"residence_status,omitempty"`
	ResidenceExpiry *time.Time `json:"residence_expiry,omitempty"`

	Headline             string           `json:"headline"`
	Summary              string           `json:"summary,omitempty"`
	Location             Location         `json:"location"`
	WillingToRelocate    bool             `json:"willing_to_relocate"`
	WorkHistory          []WorkExperience `json:"work_history"`
	Skills               []SkillRef       `json:"skills"`
	Languages            []LanguageSkill  `json:"languages"`
	Education            []Education      `json:"education"`
	Certifications       []string         `json:"certifications"`
	DesiredOccupations   []string         `json:"desired_occupations"` // ESCO occupation URIs
	PreferredPrefectures []string         `json:"preferred_prefectures"`
	WorkplacePreference  string           `json:"workplace_preference,omitempty"`
	AvailableFrom        *time.Time       `json:"available_from,omitempty"`
	Visibility           string           `json:"visibility"`
	SpeakerOptIn         bool             `json:"speaker_opt_in"`
	Locale               string           `json:"locale,omitempty"` // language the candidate reads

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CandidateFilter narrows a candidate listing.
type CandidateFilter struct {
	Query      string
	Visibility string
	Offset     int
	Limit      int
}

// CandidateService manages candidate profiles. Every method checks the
// caller (from ctx) through the one permission policy.
type CandidateService interface {
	// FindCandidateByID returns the candidate as the caller may see it.
	// Returns ENOTFOUND when it does not exist or the caller may not see it.
	FindCandidateByID(ctx context.Context, id int64) (*Candidate, error)
}
