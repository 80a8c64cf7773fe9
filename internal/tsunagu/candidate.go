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
	Country    string `json:"country" validate:"required_with=Prefecture,iso_country"` // ISO 3166-1 alpha-2
	Prefecture string `json:"prefecture" validate:"max=200,line"`                      // English prefecture name ("Tokyo") when Country is JP
}

// SkillRef is a skill as typed and as resolved: Label is what the person
// wrote (kept), ESCOURI the ESCO skill it was normalised to ("" if none).
type SkillRef struct {
	Label   string  `json:"label" validate:"required_without=ESCOURI,max=300,line"`
	ESCOURI string  `json:"esco_uri,omitempty" validate:"esco_skill"`
	Level   string  `json:"level,omitempty" validate:"skill_level"` // beginner..expert; "" if unknown
	Years   float64 `json:"years,omitempty" validate:"range=0 60"`
	// Verified names the training programme that verified the skill ("" if self-declared).
	Verified string `json:"verified,omitempty" validate:"max=200,line"`
}

// LanguageSkill is a spoken language: Code is ISO 639-1; Level is N5..N1 for
// Japanese, A1..C2 for others, or "native".
type LanguageSkill struct {
	Code  string `json:"code" validate:"required,iso_language"`
	Level string `json:"level" validate:"required"` // fits Code: a struct-level rule
}

// WorkExperience is one job in a candidate's history.
type WorkExperience struct {
	Title         string  `json:"title" validate:"required,max=200,line"`
	OccupationURI string  `json:"occupation_uri,omitempty" validate:"esco_occupation"`
	Years         float64 `json:"years,omitempty" validate:"range=0 60"`
	Country       string  `json:"country,omitempty" validate:"iso_country"`
	Employer      string  `json:"employer,omitempty" validate:"max=200,line"`
}

// Education is one degree or course of study.
type Education struct {
	Level       string `json:"level" validate:"required,education_level"` // secondary, vocational, bachelor, master, doctorate, other
	Field       string `json:"field,omitempty" validate:"max=200,line"`
	Institution string `json:"institution,omitempty" validate:"max=200,line"`
	Country     string `json:"country,omitempty" validate:"iso_country"`
	Completed   bool   `json:"completed"`
}

// Candidate is a person looking for work, with everything they told us.
// It is the full, identifying record: only the candidate, coordinators and
// admins ever see it whole; companies see a CandidateCard (see View).
type Candidate struct {
	// Fields tagged form:"-" are never read from a form (see http.BindForm).
	ID         int64  `json:"id" form:"-"`
	ExternalID string `json:"external_id,omitempty" validate:"max=200,line"` // staff only
	UserID     *int64 `json:"user_id,omitempty" form:"-"`

	// Identifying: never shown to a company before consent.
	Name            string     `json:"name" validate:"required,max=200,line"`
	Email           string     `json:"email,omitempty" validate:"email_addr"`
	Phone           string     `json:"phone,omitempty" validate:"phone"`
	PhotoURL        string     `json:"photo_url,omitempty" validate:"http_url"`
	Nationality     string     `json:"nationality,omitempty" validate:"nationality"` // ISO 3166-1 alpha-2
	ResidenceStatus string     `json:"residence_status,omitempty" validate:"residence_status"`
	ResidenceExpiry *time.Time `json:"residence_expiry,omitempty" validate:"omitnil,date"`

	Headline             string           `json:"headline" validate:"max=200,line"`
	Summary              string           `json:"summary,omitempty" validate:"max=5000,text"`
	Location             Location         `json:"location"`
	WillingToRelocate    bool             `json:"willing_to_relocate"`
	WorkHistory          []WorkExperience `json:"work_history" validate:"max=50,dive"`
	Skills               []SkillRef       `json:"skills" validate:"max=200,dive"`
	Languages            []LanguageSkill  `json:"languages" validate:"max=50,dive"` // each code once: a struct-level rule
	Education            []Education      `json:"education" validate:"max=50,dive"`
	Certifications       []string         `json:"certifications" validate:"max=50,dive,max=200,line"`
	DesiredOccupations   []string         `json:"desired_occupations" validate:"max=20,dive,esco_occupation"` // ESCO occupation URIs
	PreferredPrefectures []string         `json:"preferred_prefectures" validate:"dive,prefecture"`           // each once: a struct-level rule
	WorkplacePreference  string           `json:"workplace_preference,omitempty" validate:"workplace"`
	AvailableFrom        *time.Time       `json:"available_from,omitempty" validate:"omitnil,date"`
	Visibility           string           `json:"visibility" validate:"required,visibility"`
	SpeakerOptIn         bool             `json:"speaker_opt_in"`
	Locale               string           `json:"locale,omitempty" validate:"max=20,line"` // language the candidate reads

	// The yes/no facts the pool is filtered on.
	CandidateFacts

	// Version is bumped by every save; a save that gives the version it
	// read (not 0) fails with Stale if someone saved meanwhile. A form
	// carries it in a hidden field.
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at" form:"-"`
	UpdatedAt time.Time `json:"updated_at" form:"-"`
}

// CandidateFilter narrows a candidate listing.
type CandidateFilter struct {
	Query      string
	Visibility string
	Offset     int
	Limit      int
	// Fields are what Query may match (nil: every SearchField). The
	// service sets them from the viewer's visibility: a company gets
	// CardSearchFields, so a search finds no one by what their card does
	// not show.
	Fields []SearchField
	// HiddenFor, when not 0, lists hidden candidates only when this
	// (staff) user coordinates their case (tsunagu.Can's WorksCase).
	HiddenFor int64
}

// SearchField names a part of a profile a free-text search may match.
type SearchField string

// Search fields. The first three are what a card shows (CardSearchFields).
const (
	SearchSkills      SearchField = "skills"      // skill labels
	SearchOccupations SearchField = "occupations" // ESCO labels of work-history and desired occupations
	SearchEducation   SearchField = "education"   // fields of study
	SearchHeadline    SearchField = "headline"
	SearchWorkTitles  SearchField = "work_titles" // titles as typed
	SearchName        SearchField = "name"
	SearchEmail       SearchField = "email"
	SearchExternalID  SearchField = "external_id"
)

// CardSearchFields are the fields a search may match for a viewer who sees
// only the card (AnonymizeCandidate): what the card shows, nothing else.
var CardSearchFields = []SearchField{SearchSkills, SearchOccupations, SearchEducation}

// AllSearchFields are the fields staff search.
var AllSearchFields = []SearchField{SearchSkills, SearchOccupations, SearchEducation, SearchHeadline,
	SearchWorkTitles, SearchName, SearchEmail, SearchExternalID}

// SearchFieldsFor returns what a free-text search of candidates may match
// for u: everything for staff (ActCandidateList), the card's fields for
// anyone else.
func SearchFieldsFor(u *User) []SearchField {
	if Can(u, ActCandidateList, Subject{}) {
		return AllSearchFields
	}
	return CardSearchFields
}

// ImportOutcome says what importing one record did.
type ImportOutcome string

// Import outcomes.
const (
	ImportCreated   ImportOutcome = "created"
	ImportUpdated   ImportOutcome = "updated"
	ImportUnchanged ImportOutcome = "unchanged"
)

// CandidateService manages candidate profiles. Every method checks the
// caller (from ctx) through the one permission policy, tsunagu.Can.
type CandidateService interface {
	// FindCandidateByID returns the full candidate. Every view by someone
	// other than the candidate is written to the audit log. Returns
	// ENOTFOUND when it does not exist or the caller may not even see its
	// card, EFORBIDDEN when the caller may see only the card.
	FindCandidateByID(ctx context.Context, id int64) (*Candidate, error)
	// FindCandidateCard returns the anonymised card of a candidate.
	// Returns ENOTFOUND when it does not exist or is not visible to the caller.
	FindCandidateCard(ctx context.Context, id int64) (*CandidateCard, error)
	// FindOwnCandidate returns the signed-in candidate's own profile.
	// Returns EUNAUTHORIZED for visitors, ENOTFOUND when there is none yet.
	FindOwnCandidate(ctx context.Context) (*Candidate, error)
	// ListCandidates lists full profiles (staff only; EFORBIDDEN otherwise).
	ListCandidates(ctx context.Context, f CandidateFilter) ([]*Candidate, int, error)
	// ListCandidateCards lists the cards the caller may see: companies see
	// candidates visible to companies, staff everyone but the hidden.
	ListCandidateCards(ctx context.Context, f CandidateFilter) ([]*CandidateCard, int, error)
	// SaveCandidate validates, normalises skills and titles to ESCO and
	// saves c (ID 0 creates). Returns EINVALID with per-field errors,
	// EFORBIDDEN, ENOTFOUND or ECONFLICT.
	SaveCandidate(ctx context.Context, c *Candidate) error
	// DeleteCandidate erases a candidate (staff or the candidate).
	// Returns ENOTFOUND or EFORBIDDEN.
	DeleteCandidate(ctx context.Context, id int64) error
	// ImportCandidate creates or updates the candidate with c.ExternalID.
	// keep, when not nil, is called with the stored record before the
	// comparison so the caller can carry over fields the import does not
	// set. Saving nothing when nothing changed, it returns
	// ImportUnchanged. Errors as SaveCandidate.
	ImportCandidate(ctx context.Context, c *Candidate, keep func(stored *Candidate)) (ImportOutcome, error)
}

// Completeness says how complete a profile is: Score from 0 to 100 and
// the parts still missing, as message IDs ("profile.missing.skills").
type Completeness struct {
	Score   int      `json:"score"`
	Missing []string `json:"missing"`
}

// Completeness scores the profile: each part a company or coordinator
// needs to judge a match carries a weight.
func (c *Candidate) Completeness() Completeness {
	parts := []struct {
		id     string
		weight int
		ok     bool
	}{
		{"headline", 10, c.Headline != ""},
		{"skills", 20, len(c.Skills) >= 3},
		{"skill_levels", 5, hasSkillLevels(c.Skills)},
		{"languages", 10, len(c.Languages) > 0},
		{"japanese_level", 10, hasLanguage(c.Languages, "ja")},
		{"work_history", 15, len(c.WorkHistory) > 0},
		{"education", 10, len(c.Education) > 0},
		{"location", 5, c.Location.Prefecture != ""},
		{"desired_occupations", 5, len(c.DesiredOccupations) > 0},
		{"workplace_preference", 3, c.WorkplacePreference != ""},
		{"available_from", 2, c.AvailableFrom != nil},
		{"summary", 5, c.Summary != ""},
	}
	var out Completeness
	total := 0
	for _, p := range parts {
		total += p.weight
		if p.ok {
			out.Score += p.weight
		} else {
			out.Missing = append(out.Missing, "profile.missing."+p.id)
		}
	}
	out.Score = out.Score * 100 / total
	if out.Missing == nil {
		out.Missing = []string{}
	}
	return out
}

func hasSkillLevels(skills []SkillRef) bool {
	if len(skills) == 0 {
		return false
	}
	for _, s := range skills {
		if s.Level == "" {
			return false
		}
	}
	return true
}

func hasLanguage(langs []LanguageSkill, code string) bool {
	for _, l := range langs {
		if l.Code == code {
			return true
		}
	}
	return false
}
