package tsunagu

import "time"

// Role posting statuses.
const (
	RoleDraft  = "draft"
	RoleOpen   = "open"
	RoleClosed = "closed"
)

// Company is an employer on the platform.
type Company struct {
	ID           int64     `json:"id"`
	ExternalID   string    `json:"external_id,omitempty"`
	Name         string    `json:"name"`
	Industry     string    `json:"industry,omitempty"`
	Size         string    `json:"size,omitempty"` // 1-9, 10-49, 50-249, 250-999, 1000+
	Prefecture   string    `json:"prefecture,omitempty"`
	ContactName  string    `json:"contact_name,omitempty"`
	ContactEmail string    `json:"contact_email,omitempty"`
	ContactPhone string    `json:"contact_phone,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// JobRole is a position a company posts ("role" in the interchange format;
// named JobRole here so as not to be confused with a user's Role).
type JobRole struct {
	ID              int64           `json:"id"`
	ExternalID      string          `json:"external_id,omitempty"`
	CompanyID       int64           `json:"company_id"`
	CompanyName     string          `json:"company,omitempty"`
	Title           string          `json:"title"`
	OccupationURI   string          `json:"occupation_uri,omitempty"`
	Description     string          `json:"description"`
	RequiredSkills  []SkillRef      `json:"required_skills"`
	PreferredSkills []SkillRef      `json:"preferred_skills"`
	Languages       []LanguageSkill `json:"languages"` // Japanese ("ja") among them, with its JLPT level
	Location        Location        `json:"location"`
	Workplace       string          `json:"workplace"`            // onsite, hybrid, remote
	EmploymentType  string          `json:"employment_type"`      // full_time, part_time, contract, internship
	SalaryMin       int             `json:"salary_min,omitempty"` // yen a year
	SalaryMax       int             `json:"salary_max,omitempty"`
	VisaSupport     bool            `json:"visa_support"`
	Openings        int             `json:"openings"`
	Status          string          `json:"status"`
	CreatedAt       time.Time       `json:"created_at"`
	UpdatedAt       time.Time       `json:"updated_at"`
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
