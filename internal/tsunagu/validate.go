package tsunagu

import (
	"strings"
	"time"
)

// Validation message IDs. Each names a message in the translation
// catalogues; Data fills its placeholders ({{.Max}}, {{.Value}}, ...).
const (
	MsgRequired          = "error.required"           // the field is required
	MsgTooLong           = "error.too_long"           // Data: Max (characters)
	MsgTooMany           = "error.too_many"           // Data: Max (items)
	MsgInvalidChoice     = "error.invalid_choice"     // not one of the allowed values; Data: Value
	MsgInvalidLevel      = "error.invalid_level"      // language level that does not fit the language; Data: Value
	MsgInvalidLanguage   = "error.invalid_language"   // not an ISO 639-1 code; Data: Value
	MsgInvalidCountry    = "error.invalid_country"    // not an ISO 3166-1 alpha-2 code; Data: Value
	MsgInvalidPrefecture = "error.invalid_prefecture" // not one of the 47 prefectures; Data: Value
	MsgInvalidDate       = "error.invalid_date"       // outside the years that make sense
	MsgInvalidEmail      = "error.invalid_email"
	MsgInvalidPhone      = "error.invalid_phone"
	MsgInvalidURL        = "error.invalid_url"
	MsgOutOfRange        = "error.out_of_range" // Data: Min, Max
	MsgDuplicate         = "error.duplicate"    // Data: Value
	MsgInvalidText       = "error.invalid_text" // control characters
	MsgUnknownSkill      = "error.unknown_esco_skill"
	MsgUnknownOccupation = "error.unknown_esco_occupation"
	MsgUnknownJobTitle   = "error.unknown_job_title" // no occupation found for a typed title; Data: Value
	MsgSalaryRange       = "error.salary_range"      // minimum above maximum
	MsgTaken             = "error.taken"             // another record already has this value
)

// ESCO URI prefixes.
const (
	ESCOSkillPrefix      = "http://data.europa.eu/esco/skill/"
	ESCOOccupationPrefix = "http://data.europa.eu/esco/occupation/"
)

// Field length limits, in characters.
const (
	MaxNameLen     = 200
	MaxHeadlineLen = 200
	MaxSummaryLen  = 5000
	MaxLabelLen    = 300
	MaxTextLen     = 200 // titles, employers, fields, institutions, certifications
	MaxRoleDescLen = 20000
	MaxURLLen      = 2048
	MaxYears       = 60
	MaxSkills      = 200
	MaxEntries     = 50 // work history, education, certifications, languages
)

// Education levels.
var EducationLevels = []string{"secondary", "vocational", "bachelor", "master", "doctorate", "other"}

// Employment types.
var EmploymentTypes = []string{"full_time", "part_time", "contract", "internship"}

// Workplaces lists the workplace kinds.
var Workplaces = []string{WorkplaceOnsite, WorkplaceHybrid, WorkplaceRemote}

// SkillLevels lists the skill levels, lowest first.
var SkillLevels = []string{LevelBeginner, LevelIntermediate, LevelAdvanced, LevelExpert}

// Visibilities lists the candidate visibility settings.
var Visibilities = []string{VisibilityHidden, VisibilityCoordinators, VisibilityCompanies}

// RoleStatuses lists a role's statuses.
var RoleStatuses = []string{RoleDraft, RoleOpen, RoleClosed}

// CompanySizes lists the company size bands.
var CompanySizes = []string{"1-9", "10-49", "50-249", "250-999", "1000+"}

// ResidenceStatuses lists the residence status categories (在留資格) the
// programme meets, by stable code.
var ResidenceStatuses = []string{
	"refugee",                           // 定住者 (recognised refugee) or 難民認定
	"complementary_protection",          // 補完的保護対象者
	"designated_activities",             // 特定活動
	"long_term_resident",                // 定住者
	"permanent_resident",                // 永住者
	"spouse_or_child",                   // 日本人の配偶者等 / 永住者の配偶者等
	"engineer_humanities_international", // 技術・人文知識・国際業務
	"specified_skilled_worker",          // 特定技能
	"student",                           // 留学
	"dependent",                         // 家族滞在
	"temporary_visitor",                 // 短期滞在
	"provisional_release",               // 仮放免
	"applicant",                         // 難民認定申請中
	"other",
}

func oneOf(v string, list []string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// ValidChoice reports whether v is in list.
func ValidChoice(v string, list []string) bool { return oneOf(v, list) }

// Earliest and latest dates accepted for availability and residence expiry.
var (
	minDate = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Normalize tidies what people type without changing what it means: it
// trims spaces, canonicalises codes and levels ("n3" → "N3", "Native" →
// "native", "tokyo-to" → "Tokyo", "jp" → "JP") and drops empty list rows.
func (c *Candidate) Normalize() {
	c.ExternalID = strings.TrimSpace(c.ExternalID)
	c.Name = strings.TrimSpace(c.Name)
	c.Email = strings.TrimSpace(c.Email)
	c.Phone = strings.TrimSpace(c.Phone)
	c.PhotoURL = strings.TrimSpace(c.PhotoURL)
	c.Nationality = strings.ToUpper(strings.TrimSpace(c.Nationality))
	c.ResidenceStatus = strings.TrimSpace(c.ResidenceStatus)
	c.Headline = strings.TrimSpace(c.Headline)
	c.Summary = strings.TrimSpace(c.Summary)
	normalizeLocation(&c.Location)
	c.WorkplacePreference = strings.ToLower(strings.TrimSpace(c.WorkplacePreference))
	c.Visibility = strings.ToLower(strings.TrimSpace(c.Visibility))
	c.Locale = strings.TrimSpace(c.Locale)

	wh := c.WorkHistory[:0]
	for _, w := range c.WorkHistory {
		w.Title = strings.TrimSpace(w.Title)
		w.OccupationURI = strings.TrimSpace(w.OccupationURI)
		w.Country = strings.ToUpper(strings.TrimSpace(w.Country))
		w.Employer = strings.TrimSpace(w.Employer)
		if w == (WorkExperience{}) {
			continue
		}
		wh = append(wh, w)
	}
	c.WorkHistory = wh
	c.Skills = normalizeSkills(c.Skills)
	c.Languages = normalizeLanguages(c.Languages)
	ed := c.Education[:0]
	for _, e := range c.Education {
		e.Level = strings.ToLower(strings.TrimSpace(e.Level))
		e.Field = strings.TrimSpace(e.Field)
		e.Institution = strings.TrimSpace(e.Institution)
		e.Country = strings.ToUpper(strings.TrimSpace(e.Country))
		if e == (Education{}) {
			continue
		}
		ed = append(ed, e)
	}
	c.Education = ed
	c.Certifications = trimList(c.Certifications)
	c.DesiredOccupations = trimList(c.DesiredOccupations)
	prefs := trimList(c.PreferredPrefectures)
	for i, p := range prefs {
		if n, ok := NormalizePrefecture(p); ok {
			prefs[i] = n
		}
	}
	c.PreferredPrefectures = prefs
}

func normalizeLocation(l *Location) {
	l.Country = strings.ToUpper(strings.TrimSpace(l.Country))
	l.Prefecture = strings.TrimSpace(l.Prefecture)
	if l.Prefecture != "" && (l.Country == "" || l.Country == "JP") {
		if n, ok := NormalizePrefecture(l.Prefecture); ok {
			l.Prefecture = n
			l.Country = "JP"
		}
	}
}

// normalizeSkills trims, drops empty rows and merges repeats of one skill
// (same ESCO URI, or same label when there is none): the first is kept.
func normalizeSkills(in []SkillRef) []SkillRef {
	out := in[:0]
	seen := make(map[string]bool, len(in))
	for _, s := range in {
		s.Label = strings.Join(strings.Fields(s.Label), " ")
		s.ESCOURI = strings.TrimSpace(s.ESCOURI)
		s.Level = strings.ToLower(strings.TrimSpace(s.Level))
		s.Verified = strings.TrimSpace(s.Verified)
		if s.Label == "" && s.ESCOURI == "" && s.Level == "" && s.Years == 0 {
			continue
		}
		key := s.ESCOURI
		if key == "" {
			key = "label:" + strings.ToLower(s.Label)
		}
		if key != "label:" && seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, s)
	}
	return out
}

func normalizeLanguages(in []LanguageSkill) []LanguageSkill {
	out := in[:0]
	for _, l := range in {
		l.Code = strings.ToLower(strings.TrimSpace(l.Code))
		l.Level = strings.TrimSpace(l.Level)
		if strings.EqualFold(l.Level, "native") {
			l.Level = "native"
		} else {
			l.Level = strings.ToUpper(l.Level)
		}
		if l.Code == "" && l.Level == "" {
			continue
		}
		out = append(out, l)
	}
	return out
}

func trimList(in []string) []string {
	out := in[:0]
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Validate checks every field of c against its vocabulary, length and range
// (the `validate` tags of Candidate and the struct-level rules, through
// Check) and returns an EINVALID *Error with one message ID per failing
// field, or nil. It does not check that ESCO URIs exist (the profile
// service does, against the taxonomy). Call Normalize first.
func (c *Candidate) Validate() error { return Check(c) }

// Normalize tidies a role as Candidate.Normalize does a candidate.
func (r *JobRole) Normalize() {
	r.ExternalID = strings.TrimSpace(r.ExternalID)
	r.CompanyName = strings.TrimSpace(r.CompanyName)
	r.Title = strings.TrimSpace(r.Title)
	r.OccupationURI = strings.TrimSpace(r.OccupationURI)
	r.Description = strings.TrimSpace(r.Description)
	r.Translations = normalizeTranslations(r.Translations)
	r.RequiredSkills = normalizeSkills(r.RequiredSkills)
	r.PreferredSkills = normalizeSkills(r.PreferredSkills)
	r.Languages = normalizeLanguages(r.Languages)
	normalizeLocation(&r.Location)
	r.Workplace = strings.ToLower(strings.TrimSpace(r.Workplace))
	r.EmploymentType = strings.ToLower(strings.TrimSpace(r.EmploymentType))
	r.Status = strings.ToLower(strings.TrimSpace(r.Status))
}

// Validate checks every field of r; see Candidate.Validate.
func (r *JobRole) Validate() error { return Check(r) }

// Normalize tidies a company.
func (c *Company) Normalize() {
	c.ExternalID = strings.TrimSpace(c.ExternalID)
	c.Name = strings.TrimSpace(c.Name)
	c.Industry = strings.TrimSpace(c.Industry)
	c.Size = strings.TrimSpace(c.Size)
	if n, ok := NormalizePrefecture(c.Prefecture); ok {
		c.Prefecture = n
	} else {
		c.Prefecture = strings.TrimSpace(c.Prefecture)
	}
	c.ContactName = strings.TrimSpace(c.ContactName)
	c.ContactEmail = strings.TrimSpace(c.ContactEmail)
	c.ContactPhone = strings.TrimSpace(c.ContactPhone)
}

// Validate checks every field of c; see Candidate.Validate.
func (c *Company) Validate() error { return Check(c) }
