package tsunagu

import (
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
	MsgSalaryRange       = "error.salary_range" // minimum above maximum
	MsgTaken             = "error.taken"        // another record already has this value
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

// Field path helpers: "skills[2].level".
func at(list string, i int, field string) string { return fmt.Sprintf("%s[%d].%s", list, i, field) }

func checkText(v *Validation, field, s string, max int, required bool) {
	if s == "" {
		if required {
			v.Add(field, MsgRequired, nil)
		}
		return
	}
	if utf8.RuneCountInString(s) > max {
		v.Add(field, MsgTooLong, map[string]any{"Max": max})
		return
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			v.Add(field, MsgInvalidText, nil)
			return
		}
	}
}

func checkLine(v *Validation, field, s string, max int, required bool) {
	checkText(v, field, s, max, required)
	if !v.Has(field) && strings.ContainsAny(s, "\r\n") {
		v.Add(field, MsgInvalidText, nil)
	}
}

func checkYears(v *Validation, field string, y float64) {
	if math.IsNaN(y) || y < 0 || y > MaxYears {
		v.Add(field, MsgOutOfRange, map[string]any{"Min": 0, "Max": MaxYears})
	}
}

func checkDate(v *Validation, field string, t *time.Time) {
	if t != nil && (t.Before(minDate) || !t.Before(maxDate)) {
		v.Add(field, MsgInvalidDate, nil)
	}
}

func checkChoice(v *Validation, field, val string, list []string, required bool) {
	if val == "" {
		if required {
			v.Add(field, MsgRequired, nil)
		}
		return
	}
	if !oneOf(val, list) {
		v.Add(field, MsgInvalidChoice, map[string]any{"Value": val})
	}
}

func checkURI(v *Validation, field, uri, prefix, msg string) {
	if uri == "" {
		return
	}
	if !strings.HasPrefix(uri, prefix) || len(uri) > MaxURLLen || len(uri) == len(prefix) {
		v.Add(field, msg, map[string]any{"Value": uri})
	}
}

func checkLocation(v *Validation, field string, l Location, countryRequired bool) {
	if l.Country == "" {
		if countryRequired || l.Prefecture != "" {
			v.Add(field+".country", MsgRequired, nil)
		}
	} else if !ValidCountry(l.Country) {
		v.Add(field+".country", MsgInvalidCountry, map[string]any{"Value": l.Country})
	}
	if l.Prefecture != "" {
		if l.Country == "JP" {
			if _, ok := FindPrefecture(l.Prefecture); !ok {
				v.Add(field+".prefecture", MsgInvalidPrefecture, map[string]any{"Value": l.Prefecture})
			}
		} else {
			checkLine(v, field+".prefecture", l.Prefecture, MaxTextLen, false)
		}
	}
}

func checkSkills(v *Validation, field string, skills []SkillRef) {
	if len(skills) > MaxSkills {
		v.Add(field, MsgTooMany, map[string]any{"Max": MaxSkills})
		return
	}
	for i, s := range skills {
		if s.Label == "" && s.ESCOURI == "" {
			v.Add(at(field, i, "label"), MsgRequired, nil)
		}
		checkLine(v, at(field, i, "label"), s.Label, MaxLabelLen, false)
		checkURI(v, at(field, i, "esco_uri"), s.ESCOURI, ESCOSkillPrefix, MsgUnknownSkill)
		checkChoice(v, at(field, i, "level"), s.Level, SkillLevels, false)
		checkYears(v, at(field, i, "years"), s.Years)
		checkLine(v, at(field, i, "verified"), s.Verified, MaxTextLen, false)
	}
}

func checkLanguages(v *Validation, field string, langs []LanguageSkill, required bool) {
	if len(langs) > MaxEntries {
		v.Add(field, MsgTooMany, map[string]any{"Max": MaxEntries})
		return
	}
	seen := map[string]bool{}
	for i, l := range langs {
		switch {
		case l.Code == "":
			v.Add(at(field, i, "code"), MsgRequired, nil)
		case !ValidLanguageCode(l.Code):
			v.Add(at(field, i, "code"), MsgInvalidLanguage, map[string]any{"Value": l.Code})
		case seen[l.Code]:
			v.Add(at(field, i, "code"), MsgDuplicate, map[string]any{"Value": l.Code})
		}
		seen[l.Code] = true
		switch {
		case l.Level == "":
			if required {
				v.Add(at(field, i, "level"), MsgRequired, nil)
			}
		case !ValidLanguageLevel(l.Code, l.Level):
			v.Add(at(field, i, "level"), MsgInvalidLevel, map[string]any{"Value": l.Level})
		}
	}
}

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
// and returns an EINVALID *Error with one message ID per failing field, or
// nil. It does not check that ESCO URIs exist (the profile service does,
// against the taxonomy). Call Normalize first.
func (c *Candidate) Validate() error {
	var v Validation
	checkLine(&v, "external_id", c.ExternalID, MaxTextLen, false)
	checkLine(&v, "name", c.Name, MaxNameLen, true)
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email || len(c.Email) > 254 {
			v.Add("email", MsgInvalidEmail, nil)
		}
	}
	if c.Phone != "" && !validPhone(c.Phone) {
		v.Add("phone", MsgInvalidPhone, nil)
	}
	checkHTTPURL(&v, "photo_url", c.PhotoURL)
	if c.Nationality != "" && !ValidNationality(c.Nationality) {
		v.Add("nationality", MsgInvalidCountry, map[string]any{"Value": c.Nationality})
	}
	checkChoice(&v, "residence_status", c.ResidenceStatus, ResidenceStatuses, false)
	checkDate(&v, "residence_expiry", c.ResidenceExpiry)
	checkLine(&v, "headline", c.Headline, MaxHeadlineLen, false)
	checkText(&v, "summary", c.Summary, MaxSummaryLen, false)
	checkLocation(&v, "location", c.Location, false)

	if len(c.WorkHistory) > MaxEntries {
		v.Add("work_history", MsgTooMany, map[string]any{"Max": MaxEntries})
	} else {
		for i, w := range c.WorkHistory {
			checkLine(&v, at("work_history", i, "title"), w.Title, MaxTextLen, true)
			checkURI(&v, at("work_history", i, "occupation_uri"), w.OccupationURI, ESCOOccupationPrefix, MsgUnknownOccupation)
			checkYears(&v, at("work_history", i, "years"), w.Years)
			if w.Country != "" && !ValidCountry(w.Country) {
				v.Add(at("work_history", i, "country"), MsgInvalidCountry, map[string]any{"Value": w.Country})
			}
			checkLine(&v, at("work_history", i, "employer"), w.Employer, MaxTextLen, false)
		}
	}
	checkSkills(&v, "skills", c.Skills)
	checkLanguages(&v, "languages", c.Languages, true)
	if len(c.Education) > MaxEntries {
		v.Add("education", MsgTooMany, map[string]any{"Max": MaxEntries})
	} else {
		for i, e := range c.Education {
			checkChoice(&v, at("education", i, "level"), e.Level, EducationLevels, true)
			checkLine(&v, at("education", i, "field"), e.Field, MaxTextLen, false)
			checkLine(&v, at("education", i, "institution"), e.Institution, MaxTextLen, false)
			if e.Country != "" && !ValidCountry(e.Country) {
				v.Add(at("education", i, "country"), MsgInvalidCountry, map[string]any{"Value": e.Country})
			}
		}
	}
	if len(c.Certifications) > MaxEntries {
		v.Add("certifications", MsgTooMany, map[string]any{"Max": MaxEntries})
	}
	for i, s := range c.Certifications {
		checkLine(&v, fmt.Sprintf("certifications[%d]", i), s, MaxTextLen, false)
	}
	if len(c.DesiredOccupations) > 20 {
		v.Add("desired_occupations", MsgTooMany, map[string]any{"Max": 20})
	}
	for i, u := range c.DesiredOccupations {
		checkURI(&v, fmt.Sprintf("desired_occupations[%d]", i), u, ESCOOccupationPrefix, MsgUnknownOccupation)
	}
	seen := map[string]bool{}
	for i, p := range c.PreferredPrefectures {
		f := fmt.Sprintf("preferred_prefectures[%d]", i)
		if _, ok := FindPrefecture(p); !ok {
			v.Add(f, MsgInvalidPrefecture, map[string]any{"Value": p})
		} else if seen[p] {
			v.Add(f, MsgDuplicate, map[string]any{"Value": p})
		}
		seen[p] = true
	}
	checkChoice(&v, "workplace_preference", c.WorkplacePreference, Workplaces, false)
	checkDate(&v, "available_from", c.AvailableFrom)
	checkChoice(&v, "visibility", c.Visibility, Visibilities, true)
	checkLine(&v, "locale", c.Locale, 20, false)
	return v.Err()
}

func validPhone(s string) bool {
	if len(s) > 40 {
		return false
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == '-' || r == ' ' || r == '(' || r == ')' || r == '.':
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 20
}

func checkHTTPURL(v *Validation, field, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil || len(s) > MaxURLLen || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		v.Add(field, MsgInvalidURL, nil)
	}
}

// Normalize tidies a role as Candidate.Normalize does a candidate.
func (r *JobRole) Normalize() {
	r.ExternalID = strings.TrimSpace(r.ExternalID)
	r.CompanyName = strings.TrimSpace(r.CompanyName)
	r.Title = strings.TrimSpace(r.Title)
	r.OccupationURI = strings.TrimSpace(r.OccupationURI)
	r.Description = strings.TrimSpace(r.Description)
	r.RequiredSkills = normalizeSkills(r.RequiredSkills)
	r.PreferredSkills = normalizeSkills(r.PreferredSkills)
	r.Languages = normalizeLanguages(r.Languages)
	normalizeLocation(&r.Location)
	r.Workplace = strings.ToLower(strings.TrimSpace(r.Workplace))
	r.EmploymentType = strings.ToLower(strings.TrimSpace(r.EmploymentType))
	r.Status = strings.ToLower(strings.TrimSpace(r.Status))
}

// Validate checks every field of r; see Candidate.Validate.
func (r *JobRole) Validate() error {
	var v Validation
	checkLine(&v, "external_id", r.ExternalID, MaxTextLen, false)
	if r.CompanyID == 0 && r.CompanyName == "" {
		v.Add("company", MsgRequired, nil)
	}
	checkLine(&v, "company", r.CompanyName, MaxNameLen, false)
	checkLine(&v, "title", r.Title, MaxTextLen, true)
	checkURI(&v, "occupation_uri", r.OccupationURI, ESCOOccupationPrefix, MsgUnknownOccupation)
	checkText(&v, "description", r.Description, MaxRoleDescLen, false)
	checkSkills(&v, "required_skills", r.RequiredSkills)
	checkSkills(&v, "preferred_skills", r.PreferredSkills)
	checkLanguages(&v, "languages", r.Languages, true)
	checkLocation(&v, "location", r.Location, false)
	checkChoice(&v, "workplace", r.Workplace, Workplaces, true)
	checkChoice(&v, "employment_type", r.EmploymentType, EmploymentTypes, true)
	if r.SalaryMin < 0 || r.SalaryMin > 100_000_000 {
		v.Add("salary_min", MsgOutOfRange, map[string]any{"Min": 0, "Max": 100_000_000})
	}
	if r.SalaryMax < 0 || r.SalaryMax > 100_000_000 {
		v.Add("salary_max", MsgOutOfRange, map[string]any{"Min": 0, "Max": 100_000_000})
	}
	if r.SalaryMin > 0 && r.SalaryMax > 0 && r.SalaryMin > r.SalaryMax {
		v.Add("salary_max", MsgSalaryRange, nil)
	}
	if r.Openings < 0 || r.Openings > 1000 {
		v.Add("openings", MsgOutOfRange, map[string]any{"Min": 0, "Max": 1000})
	}
	checkChoice(&v, "status", r.Status, RoleStatuses, true)
	return v.Err()
}

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

// Validate checks every field of c.
func (c *Company) Validate() error {
	var v Validation
	checkLine(&v, "external_id", c.ExternalID, MaxTextLen, false)
	checkLine(&v, "name", c.Name, MaxNameLen, true)
	checkLine(&v, "industry", c.Industry, MaxTextLen, false)
	checkChoice(&v, "size", c.Size, CompanySizes, false)
	if c.Prefecture != "" {
		if _, ok := FindPrefecture(c.Prefecture); !ok {
			v.Add("prefecture", MsgInvalidPrefecture, map[string]any{"Value": c.Prefecture})
		}
	}
	checkLine(&v, "contact_name", c.ContactName, MaxNameLen, false)
	if c.ContactEmail != "" {
		if a, err := mail.ParseAddress(c.ContactEmail); err != nil || a.Address != c.ContactEmail {
			v.Add("contact_email", MsgInvalidEmail, nil)
		}
	}
	if c.ContactPhone != "" && !validPhone(c.ContactPhone) {
		v.Add("contact_phone", MsgInvalidPhone, nil)
	}
	return v.Err()
}
