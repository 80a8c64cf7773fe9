package tsunagu

import (
	"context"
	"time"
)

// Role posting statuses.
const (
	RoleDraft  = "draft"
	RoleOpen   = "open"
	RoleClosed = "closed"
)

// Company is an employer on the platform.
type Company struct {
	ID           int64  `json:"id" form:"-"`
	ExternalID   string `json:"external_id,omitempty" validate:"max=200,line" form:"-"`
	Name         string `json:"name" validate:"required,max=200,line"`
	Industry     string `json:"industry,omitempty" validate:"max=200,line"`
	Size         string `json:"size,omitempty" validate:"company_size"` // 1-9, 10-49, 50-249, 250-999, 1000+
	Prefecture   string `json:"prefecture,omitempty" validate:"prefecture"`
	ContactName  string `json:"contact_name,omitempty" validate:"max=200,line"`
	ContactEmail string `json:"contact_email,omitempty" validate:"email_addr"`
	ContactPhone string `json:"contact_phone,omitempty" validate:"phone"`
	// Status is CompanyVerified or CompanyPending; only members of a
	// verified company see candidates (see CompanyService.VerifyCompany).
	// None of the vetting is read from a form (form:"-"): only
	// VerifyCompany sets it.
	Status           CompanyStatus `json:"status" form:"-"`
	VerifiedBy       *int64        `json:"verified_by,omitempty" form:"-"`
	VerifiedAt       *time.Time    `json:"verified_at,omitempty" form:"-"`
	VerificationNote string        `json:"verification_note,omitempty" form:"-"`
	Version          int64         `json:"version"` // see Candidate.Version
	CreatedAt        time.Time     `json:"created_at" form:"-"`
	UpdatedAt        time.Time     `json:"updated_at" form:"-"`
}

// CompanyStatus is where a company stands in the programme's vetting.
type CompanyStatus string

// Company statuses. A company that signs up by itself is pending until a
// coordinator has checked it; companies staff enter are verified.
const (
	CompanyPending  CompanyStatus = "pending"
	CompanyVerified CompanyStatus = "verified"
)

// JobRole is a position a company posts ("role" in the interchange format;
// named JobRole here so as not to be confused with a user's Role).
type JobRole struct {
	ID            int64  `json:"id" form:"-"`
	ExternalID    string `json:"external_id,omitempty" validate:"max=200,line" form:"-"`
	CompanyID     int64  `json:"company_id"` // read from a form when the role is new
	CompanyName   string `json:"company,omitempty" validate:"required_if=CompanyID 0,max=200,line" form:"-"`
	Title         string `json:"title" validate:"required,max=200,line"`
	OccupationURI string `json:"occupation_uri,omitempty" validate:"esco_occupation"`
	Description   string `json:"description" validate:"max=20000,text"`
	// Translations are the title and description in other page
	// languages, as the author wrote them (TitleIn, DescriptionIn).
	Translations    Translations    `json:"translations,omitempty" validate:"max=6,dive"`
	RequiredSkills  []SkillRef      `json:"required_skills" validate:"max=200,dive"`
	PreferredSkills []SkillRef      `json:"preferred_skills" validate:"max=200,dive"`
	Languages       []LanguageSkill `json:"languages" validate:"max=50,dive"` // Japanese ("ja") among them, with its JLPT level
	Location        Location        `json:"location"`
	Workplace       string          `json:"workplace" validate:"required,workplace"`             // onsite, hybrid, remote
	EmploymentType  string          `json:"employment_type" validate:"required,employment_type"` // full_time, part_time, contract, internship
	SalaryMin       int             `json:"salary_min,omitempty" validate:"range=0 100000000"`   // yen a year
	SalaryMax       int             `json:"salary_max,omitempty" validate:"range=0 100000000"`   // not below SalaryMin: a struct-level rule
	VisaSupport     bool            `json:"visa_support"`
	Openings        int             `json:"openings" validate:"range=0 1000"`
	Status          string          `json:"status" validate:"required,role_status"`
	Version         int64           `json:"version"` // see Candidate.Version
	CreatedAt       time.Time       `json:"created_at" form:"-"`
	UpdatedAt       time.Time       `json:"updated_at" form:"-"`

	// OccupationGuesses are the ESCO occupations the title (and
	// description) most likely name, best first, with the normaliser's
	// score: computed when the role is saved, never read from a form. An
	// author who confirms one sets OccupationURI.
	OccupationGuesses []OccupationGuess `json:"occupation_guesses,omitempty" validate:"max=10,dive" form:"-"`
}

// OccupationGuess is an ESCO occupation a text probably names and how sure
// the guess is (0..1).
type OccupationGuess struct {
	URI   string  `json:"uri" validate:"esco_occupation"`
	Score float64 `json:"score"`
}

// TitleIn returns the role's title in lang when its author translated it,
// and as written otherwise.
func (r *JobRole) TitleIn(lang string) string {
	if t := r.Translations.In(lang).Title; t != "" {
		return t
	}
	return r.Title
}

// DescriptionIn returns the role's description in lang when its author
// translated it, and as written otherwise.
func (r *JobRole) DescriptionIn(lang string) string {
	if d := r.Translations.In(lang).Description; d != "" {
		return d
	}
	return r.Description
}

// JapaneseLevel returns the role's required Japanese level ("" if none).
func (r *JobRole) JapaneseLevel() string {
	for _, l := range r.Languages {
		if l.Code == "ja" {
			return l.Level
		}
	}
	return ""
}

// RoleFilter narrows a role listing.
type RoleFilter struct {
	CompanyID int64  // 0: every company
	Status    string // "": every status the caller may see
	Query     string // matches title and description
	Offset    int
	Limit     int
}

// RoleService manages the roles companies post. Every method checks the
// caller (from ctx) through tsunagu.Can.
type RoleService interface {
	// FindRoleByID returns a role: open roles to anyone signed in, drafts
	// and closed roles to staff and the company's members. Returns ENOTFOUND.
	FindRoleByID(ctx context.Context, id int64) (*JobRole, error)
	// ListRoles lists the roles the caller may see.
	ListRoles(ctx context.Context, f RoleFilter) ([]*JobRole, int, error)
	// SaveRole validates, normalises title and skills to ESCO and saves r
	// (ID 0 creates). Returns EINVALID, EFORBIDDEN, ENOTFOUND.
	SaveRole(ctx context.Context, r *JobRole) error
	// DeleteRole removes a role. Returns ENOTFOUND, EFORBIDDEN.
	DeleteRole(ctx context.Context, id int64) error
	// ImportRole creates or updates the role with r.ExternalID, creating
	// its company (by r.CompanyName) when missing (staff). Returns
	// ImportUnchanged when nothing changed. Errors as SaveRole.
	ImportRole(ctx context.Context, r *JobRole) (ImportOutcome, error)
}
