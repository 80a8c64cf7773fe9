package tsunagu

import (
	"strings"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
)

// Skill kinds a programme teaches.
const (
	SkillHard = "hard"
	SkillSoft = "soft"
)

// Programme formats.
const (
	FormatInPerson = "in_person"
	FormatOnline   = "online"
	FormatHybrid   = "hybrid"
)

// SkillKinds and ProgrammeFormats list the allowed values.
var (
	SkillKinds       = []string{SkillHard, SkillSoft}
	ProgrammeFormats = []string{FormatInPerson, FormatOnline, FormatHybrid}
)

// Training limits.
const (
	MaxProgrammeTitle = 200
	MaxProgrammeDesc  = 5000
	MaxProgrammeSkill = 30
	MaxCapacity       = 500
	MaxSessions       = 100
)

// ProgrammeSkill is an ESCO skill a programme teaches.
type ProgrammeSkill struct {
	URI   string `json:"esco_uri" db:"esco_uri"`
	Label string `json:"label" db:"label"`
}

// Programme is a training course: what it teaches and what completing it
// takes (attendance share and, when Assessment, a passed assessment).
type Programme struct {
	ID            int64  `json:"id"`
	ExternalID    string `json:"external_id,omitempty"`
	TitleJA       string `json:"title_ja" validate:"max=200,text,oneline" msg:"text=training.error.control_chars,oneline=training.error.one_line"` // one of the titles: a struct-level rule
	TitleEN       string `json:"title_en" validate:"max=200,text,oneline" msg:"text=training.error.control_chars,oneline=training.error.one_line"`
	DescriptionJA string `json:"description_ja" validate:"max=5000,text" msg:"text=training.error.control_chars"`
	DescriptionEN string `json:"description_en" validate:"max=5000,text" msg:"text=training.error.control_chars"`
	// Translations are the title and description in the page languages
	// besides Japanese and English (which have fields of their own), as
	// the programme's author wrote them.
	Translations  Translations     `json:"translations,omitempty" validate:"max=6,dive"`
	Kind          string           `json:"kind" validate:"required,skill_kind" msg:"error.choice"`         // hard or soft
	Format        string           `json:"format" validate:"required,programme_format" msg:"error.choice"` // in_person, online, hybrid
	Capacity      int              `json:"capacity" validate:"range=1 500" msg:"training.error.range"`
	MinAttendance int              `json:"min_attendance" validate:"range=0 100" msg:"training.error.range"` // percent of sessions attended to complete
	Assessment    bool             `json:"assessment"`                                                       // an assessment must be passed
	Active        bool             `json:"active"`
	Skills        []ProgrammeSkill `json:"skills" validate:"min=1,max=30" msg:"min=training.error.skills_required,max=training.error.too_many_skills"` // ESCO skill URIs: a struct-level rule
	CreatedAt     time.Time        `json:"created_at"`
	UpdatedAt     time.Time        `json:"updated_at"`
}

// Title returns the programme's title in lang, or in the other language.
func (p *Programme) Title(lang string) string {
	if t := p.Translations.In(lang).Title; t != "" {
		return t
	}
	if lang == "ja" && p.TitleJA != "" || p.TitleEN == "" {
		return p.TitleJA
	}
	return p.TitleEN
}

// Description returns the description in lang, or in the other language.
func (p *Programme) Description(lang string) string {
	if d := p.Translations.In(lang).Description; d != "" {
		return d
	}
	if lang == "ja" && p.DescriptionJA != "" || p.DescriptionEN == "" {
		return p.DescriptionJA
	}
	return p.DescriptionEN
}

// SkillURIs returns the ESCO URIs the programme teaches.
func (p *Programme) SkillURIs() []string {
	out := make([]string, 0, len(p.Skills))
	for _, s := range p.Skills {
		out = append(out, s.URI)
	}
	return out
}

// Normalize trims the programme's text and drops empty or repeated skills.
func (p *Programme) Normalize() {
	p.TitleJA, p.TitleEN = strings.TrimSpace(p.TitleJA), strings.TrimSpace(p.TitleEN)
	p.DescriptionJA, p.DescriptionEN = strings.TrimSpace(p.DescriptionJA), strings.TrimSpace(p.DescriptionEN)
	p.Translations = normalizeTranslations(p.Translations)
	seen := map[string]bool{}
	skills := make([]ProgrammeSkill, 0, len(p.Skills))
	for _, s := range p.Skills {
		s.URI, s.Label = strings.TrimSpace(s.URI), strings.TrimSpace(s.Label)
		if s.URI == "" || seen[s.URI] {
			continue
		}
		seen[s.URI] = true
		skills = append(skills, s)
	}
	p.Skills = skills
}

// Validate checks every field and returns EINVALID with per-field errors
// (message IDs), or nil.
func (p *Programme) Validate() error { return Check(p) }

// Cohort is one run of a programme: its dates, sessions, trainer and place.
type Cohort struct {
	ID          int64            `json:"id"`
	ProgrammeID int64            `json:"programme_id"`
	Name        string           `json:"name" validate:"required,max=200,text,oneline" msg:"text=training.error.control_chars,oneline=training.error.one_line"`
	StartsOn    time.Time        `json:"starts_on" validate:"required"`
	EndsOn      time.Time        `json:"ends_on" validate:"required"` // not before StartsOn: a struct-level rule
	Trainer     string           `json:"trainer" validate:"max=200,text,oneline" msg:"text=training.error.control_chars,oneline=training.error.one_line"`
	Place       string           `json:"place" validate:"max=200,text,oneline" msg:"text=training.error.control_chars,oneline=training.error.one_line"`
	OnlineURL   string           `json:"online_url" validate:"http_url" msg:"training.error.url"`
	Capacity    int              `json:"capacity" validate:"range=1 500" msg:"training.error.range"`
	Sessions    []*CohortSession `json:"sessions" validate:"max=100" msg:"training.error.too_many_sessions"`
	// Seated and Waiting count enrolments (listing and detail only).
	Seated    int       `json:"seated"`
	Waiting   int       `json:"waiting"`
	CreatedAt time.Time `json:"created_at"`
}

// Free returns how many places are left.
func (c *Cohort) Free() int { return max(c.Capacity-c.Seated, 0) }

// CohortSession is one meeting of a cohort.
type CohortSession struct {
	ID       int64     `json:"id" db:"id"`
	CohortID int64     `json:"cohort_id" db:"cohort_id"`
	StartsAt time.Time `json:"starts_at" db:"starts_at"`
	Topic    string    `json:"topic" db:"topic"`
}

// Validate checks a cohort against its programme's format.
func (c *Cohort) Validate(p *Programme) error {
	c.Name, c.Trainer, c.Place, c.OnlineURL = strings.TrimSpace(c.Name), strings.TrimSpace(c.Trainer), strings.TrimSpace(c.Place), strings.TrimSpace(c.OnlineURL)
	var v Validation
	if err := v.Merge(Check(c)); err != nil {
		return err
	}
	if p != nil {
		if p.Format != FormatInPerson && c.OnlineURL == "" {
			v.Add("online_url", "training.error.online_url_required", nil)
		}
		if p.Format != FormatOnline && c.Place == "" {
			v.Add("place", "training.error.place_required", nil)
		}
	}
	for _, s := range c.Sessions {
		day := s.StartsAt.UTC().Truncate(24 * time.Hour)
		if !c.StartsOn.IsZero() && !c.EndsOn.IsZero() && (day.Before(c.StartsOn.AddDate(0, 0, -1)) || day.After(c.EndsOn.AddDate(0, 0, 1))) {
			v.Add("sessions", "training.error.session_outside", map[string]any{"Value": i18n.FormatDateTime(s.StartsAt)})
		}
	}
	return v.Err()
}

// EnrolmentStatus is where a candidate is in a cohort.
type EnrolmentStatus string

// Enrolment statuses. A candidate's request waits for a coordinator
// (requested → enrolled, waitlisted or declined); a full cohort puts new
// enrolments on its waiting list, whose first is promoted when a place
// frees.
const (
	EnrolRequested    EnrolmentStatus = "requested"
	EnrolEnrolled     EnrolmentStatus = "enrolled"
	EnrolWaitlisted   EnrolmentStatus = "waitlisted"
	EnrolCompleted    EnrolmentStatus = "completed"
	EnrolNotCompleted EnrolmentStatus = "not_completed"
	EnrolWithdrawn    EnrolmentStatus = "withdrawn"
	EnrolDeclined     EnrolmentStatus = "declined"
)

// Seated reports whether the enrolment holds a place.
func (s EnrolmentStatus) Seated() bool {
	return s == EnrolEnrolled || s == EnrolCompleted || s == EnrolNotCompleted
}

// Pending reports whether the enrolment is still under way (a plan that
// requires it is not finished).
func (s EnrolmentStatus) Pending() bool {
	return s == EnrolRequested || s == EnrolEnrolled || s == EnrolWaitlisted
}

// Enrolment is a candidate in a cohort, with their attendance.
type Enrolment struct {
	ID               int64           `json:"id" db:"id"`
	CohortID         int64           `json:"cohort_id" db:"cohort_id"`
	ProgrammeID      int64           `json:"programme_id" db:"programme_id"`
	CandidateID      int64           `json:"candidate_id" db:"candidate_id"`
	CandidateName    string          `json:"candidate_name,omitempty" db:"candidate_name"`
	CandidateUserID  *int64          `json:"-" db:"candidate_user_id"`
	Status           EnrolmentStatus `json:"status" db:"status"`
	Required         bool            `json:"required" db:"required"` // part of the candidate's plan to job-ready
	AssessmentPassed *bool           `json:"assessment_passed,omitempty" db:"assessment_passed"`
	Attended         int             `json:"attended" db:"attended"`
	Sessions         int             `json:"sessions" db:"sessions"`
	WaitPosition     int             `json:"wait_position,omitempty" db:"wait_position"`
	SeatedAt         *time.Time      `json:"seated_at,omitempty" db:"seated_at"`
	CompletedAt      *time.Time      `json:"completed_at,omitempty" db:"completed_at"`
	CreatedAt        time.Time       `json:"created_at" db:"created_at"`
}

// AttendanceShare returns the share of the cohort's sessions attended (0..1).
func (e *Enrolment) AttendanceShare() float64 {
	if e.Sessions == 0 {
		return 0
	}
	return float64(e.Attended) / float64(e.Sessions)
}

// CheckCompletion returns nil when an enrolment meets its programme's
// criteria, and otherwise EINVALID naming each unmet criterion: field
// "attendance" (Data: Have, Need in percent) and "assessment_passed".
func CheckCompletion(p *Programme, e *Enrolment) error {
	var v Validation
	if e.Status != EnrolEnrolled {
		v.Add("status", "training.error.not_enrolled", map[string]any{"Status": string(e.Status)})
		return v.Err()
	}
	if e.Sessions == 0 {
		v.Add("attendance", "training.error.no_sessions", nil)
	} else if have := e.Attended * 100 / e.Sessions; have < p.MinAttendance {
		v.Add("attendance", "training.error.attendance_short", map[string]any{"Have": have, "Need": p.MinAttendance})
	}
	if p.Assessment && (e.AssessmentPassed == nil || !*e.AssessmentPassed) {
		v.Add("assessment_passed", "training.error.assessment_required", nil)
	}
	if err := v.Err(); err != nil {
		e := err.(*Error)
		e.Message = "training.error.criteria_unmet"
		return e
	}
	return nil
}

// ProgrammeRef names a programme that teaches a skill, for the gap
// analysis ("skills that would open the most roles").
type ProgrammeRef struct {
	ID      int64  `json:"id" db:"id"`
	TitleJA string `json:"title_ja" db:"title_ja"`
	TitleEN string `json:"title_en" db:"title_en"`
	// Translations are the title in other page languages (Programme's).
	Translations Translations `json:"translations,omitempty" db:"translations"`
	SkillURI     string       `json:"esco_uri" db:"esco_uri"`
}

// Title returns the title in lang, or in the other language.
func (p ProgrammeRef) Title(lang string) string {
	if t := p.Translations.In(lang).Title; t != "" {
		return t
	}
	if lang == "ja" && p.TitleJA != "" || p.TitleEN == "" {
		return p.TitleJA
	}
	return p.TitleEN
}
