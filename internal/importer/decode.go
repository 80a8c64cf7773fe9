// Package importer reads the interchange format of DESIGN.md (JSON Lines of
// candidates or roles) and imports it through the profile services.
package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// DefaultVisibility is the visibility of an imported candidate whose line
// does not say: coordinators only, until the candidate or a coordinator
// opens the profile to companies.
const DefaultVisibility = tsunagu.VisibilityCoordinators

// candidateLine is a candidate as written in the interchange format. The
// contract fields are plain; fields beyond the contract are pointers so that
// an import which does not mention them keeps what is stored.
type candidateLine struct {
	ID                *string                  `json:"id"`
	Name              *string                  `json:"name"`
	Headline          string                   `json:"headline"`
	Location          tsunagu.Location         `json:"location"`
	WillingToRelocate bool                     `json:"willing_to_relocate"`
	WorkHistory       []tsunagu.WorkExperience `json:"work_history"`
	Skills            []tsunagu.SkillRef       `json:"skills"`
	Languages         []tsunagu.LanguageSkill  `json:"languages"`
	Education         []educationLine          `json:"education"`

	Email                *string   `json:"email"`
	Phone                *string   `json:"phone"`
	PhotoURL             *string   `json:"photo_url"`
	Nationality          *string   `json:"nationality"`
	ResidenceStatus      *string   `json:"residence_status"`
	ResidenceExpiry      *string   `json:"residence_expiry"`
	Summary              *string   `json:"summary"`
	Certifications       *[]string `json:"certifications"`
	DesiredOccupations   *[]string `json:"desired_occupations"`
	PreferredPrefectures *[]string `json:"preferred_prefectures"`
	WorkplacePreference  *string   `json:"workplace_preference"`
	AvailableFrom        *string   `json:"available_from"`
	Visibility           *string   `json:"visibility"`
	SpeakerOptIn         *bool     `json:"speaker_opt_in"`
	Locale               *string   `json:"locale"`
}

type educationLine struct {
	Level       string `json:"level"`
	Field       string `json:"field"`
	Institution string `json:"institution"`
	Country     string `json:"country"`
	Completed   *bool  `json:"completed"` // absent means completed
}

// Extra lists the candidate fields beyond the contract that a line carried;
// an import keeps the stored value of every extra field not listed.
type Extra map[string]bool

// DecodeCandidate parses one line of the candidate interchange format,
// normalises it and checks every field's shape (ESCO URIs are checked to be
// ESCO URIs, not to exist: the profile service does that). Unknown fields are
// ignored. The external id is in ExternalID. Errors are EINVALID *Errors;
// Reason renders them in English.
func DecodeCandidate(line []byte) (*tsunagu.Candidate, error) {
	c, _, err := decodeCandidate(line)
	return c, err
}

func decodeCandidate(line []byte) (*tsunagu.Candidate, Extra, error) {
	var w candidateLine
	if err := unmarshal(line, &w); err != nil {
		return nil, nil, err
	}
	var v tsunagu.Validation
	if w.ID == nil || strings.TrimSpace(*w.ID) == "" {
		v.Add("id", tsunagu.MsgRequired, nil)
	}
	if w.Name == nil {
		v.Add("name", tsunagu.MsgRequired, nil)
	}
	c := &tsunagu.Candidate{
		ExternalID:           deref(w.ID),
		Name:                 deref(w.Name),
		Headline:             w.Headline,
		Location:             w.Location,
		WillingToRelocate:    w.WillingToRelocate,
		WorkHistory:          nonNil(w.WorkHistory),
		Skills:               nonNil(w.Skills),
		Languages:            nonNil(w.Languages),
		Education:            make([]tsunagu.Education, 0, len(w.Education)),
		Certifications:       []string{},
		DesiredOccupations:   []string{},
		PreferredPrefectures: []string{},
		Visibility:           DefaultVisibility,
	}
	for _, e := range w.Education {
		c.Education = append(c.Education, tsunagu.Education{
			Level: e.Level, Field: e.Field, Institution: e.Institution, Country: e.Country,
			Completed: e.Completed == nil || *e.Completed,
		})
	}
	extra := Extra{}
	str := func(name string, p *string, dst *string) {
		if p != nil {
			extra[name] = true
			*dst = *p
		}
	}
	list := func(name string, p *[]string, dst *[]string) {
		if p != nil {
			extra[name] = true
			*dst = nonNil(*p)
		}
	}
	date := func(name string, p *string, dst **time.Time) {
		if p == nil {
			return
		}
		extra[name] = true
		if *p == "" {
			return
		}
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(*p))
		if err != nil {
			v.Add(name, tsunagu.MsgInvalidDate, nil)
			return
		}
		*dst = &t
	}
	str("email", w.Email, &c.Email)
	str("phone", w.Phone, &c.Phone)
	str("photo_url", w.PhotoURL, &c.PhotoURL)
	str("nationality", w.Nationality, &c.Nationality)
	str("residence_status", w.ResidenceStatus, &c.ResidenceStatus)
	date("residence_expiry", w.ResidenceExpiry, &c.ResidenceExpiry)
	str("summary", w.Summary, &c.Summary)
	list("certifications", w.Certifications, &c.Certifications)
	list("desired_occupations", w.DesiredOccupations, &c.DesiredOccupations)
	list("preferred_prefectures", w.PreferredPrefectures, &c.PreferredPrefectures)
	str("workplace_preference", w.WorkplacePreference, &c.WorkplacePreference)
	date("available_from", w.AvailableFrom, &c.AvailableFrom)
	str("visibility", w.Visibility, &c.Visibility)
	str("locale", w.Locale, &c.Locale)
	if w.SpeakerOptIn != nil {
		extra["speaker_opt_in"] = true
		c.SpeakerOptIn = *w.SpeakerOptIn
	}
	c.Normalize()
	if err := merge(&v, c.Validate()); err != nil {
		return nil, nil, err
	}
	return c, extra, nil
}

// roleLine is a role as written in the interchange format.
type roleLine struct {
	ID              *string                 `json:"id"`
	Company         *string                 `json:"company"`
	Title           *string                 `json:"title"`
	OccupationURI   string                  `json:"occupation_uri"`
	Description     string                  `json:"description"`
	Location        tsunagu.Location        `json:"location"`
	Workplace       *string                 `json:"workplace"`
	RequiredSkills  []tsunagu.SkillRef      `json:"required_skills"`
	PreferredSkills []tsunagu.SkillRef      `json:"preferred_skills"`
	Languages       []tsunagu.LanguageSkill `json:"languages"`
	EmploymentType  *string                 `json:"employment_type"`
	SalaryMin       int                     `json:"salary_min"`
	SalaryMax       int                     `json:"salary_max"`
	VisaSupport     bool                    `json:"visa_support"`
	Openings        *int                    `json:"openings"`
	Status          *string                 `json:"status"`
}

// DecodeRole parses one line of the role interchange format and returns the
// role and the name of its company (the role's CompanyID is left 0). Absent
// employment_type means full_time, absent openings 1, absent status open.
// Errors as for DecodeCandidate.
func DecodeRole(line []byte) (*tsunagu.JobRole, string, error) {
	var w roleLine
	if err := unmarshal(line, &w); err != nil {
		return nil, "", err
	}
	var v tsunagu.Validation
	if w.ID == nil || strings.TrimSpace(*w.ID) == "" {
		v.Add("id", tsunagu.MsgRequired, nil)
	}
	r := &tsunagu.JobRole{
		ExternalID:      deref(w.ID),
		CompanyName:     deref(w.Company),
		Title:           deref(w.Title),
		OccupationURI:   w.OccupationURI,
		Description:     w.Description,
		RequiredSkills:  nonNil(w.RequiredSkills),
		PreferredSkills: nonNil(w.PreferredSkills),
		Languages:       nonNil(w.Languages),
		Location:        w.Location,
		Workplace:       deref(w.Workplace),
		EmploymentType:  "full_time",
		SalaryMin:       w.SalaryMin,
		SalaryMax:       w.SalaryMax,
		VisaSupport:     w.VisaSupport,
		Openings:        1,
		Status:          tsunagu.RoleOpen,
	}
	if w.EmploymentType != nil {
		r.EmploymentType = *w.EmploymentType
	}
	if w.Openings != nil {
		r.Openings = *w.Openings
	}
	if w.Status != nil {
		r.Status = *w.Status
	}
	r.Normalize()
	if err := merge(&v, r.Validate()); err != nil {
		return nil, "", err
	}
	return r, r.CompanyName, nil
}

// unmarshal decodes one JSON object, turning every failure into an
// EINVALID *Error with a reason a person can act on.
func unmarshal(line []byte, dst any) error {
	line = bytes.TrimSpace(line)
	if !utf8.Valid(line) {
		off := 0
		for off < len(line) {
			r, size := utf8.DecodeRune(line[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return &tsunagu.Error{Code: tsunagu.EINVALID, Message: fmt.Sprintf("invalid UTF-8 at byte %d", off+1)}
	}
	if len(line) == 0 || line[0] != '{' {
		return &tsunagu.Error{Code: tsunagu.EINVALID, Message: "not a JSON object"}
	}
	if err := json.Unmarshal(line, dst); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te):
			field := te.Field
			if field == "" {
				field = "(line)"
			}
			return &tsunagu.Error{Code: tsunagu.EINVALID, Message: fmt.Sprintf("%s: expected %s, got JSON %s", field, kind(te.Type.Kind().String()), te.Value)}
		case errors.As(err, &se):
			return &tsunagu.Error{Code: tsunagu.EINVALID, Message: fmt.Sprintf("invalid JSON at byte %d: %v", se.Offset, err)}
		default:
			return &tsunagu.Error{Code: tsunagu.EINVALID, Message: "invalid JSON: " + err.Error()}
		}
	}
	return nil
}

func kind(k string) string {
	switch k {
	case "float64", "float32", "int", "int64", "int32":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	}
	return k
}

// merge adds the fields of err (an EINVALID *Error from Validate) to v and
// returns v's error.
func merge(v *tsunagu.Validation, err error) error {
	if e := tsunagu.AsError(err); e != nil {
		for k, f := range e.Fields {
			v.Add(k, f.ID, f.Data)
		}
	} else if err != nil {
		return err
	}
	return v.Err()
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// messages renders validation message IDs in English for the command line.
var messages = map[string]string{
	tsunagu.MsgRequired:          "required field missing or empty",
	tsunagu.MsgTooLong:           "longer than {Max} characters",
	tsunagu.MsgTooMany:           "more than {Max} entries",
	tsunagu.MsgInvalidChoice:     "{Value:q} is not an allowed value",
	tsunagu.MsgInvalidLevel:      "{Value:q} is not a level for this language (JLPT N5..N1 for Japanese, CEFR A1..C2 otherwise, or native)",
	tsunagu.MsgInvalidLanguage:   "{Value:q} is not an ISO 639-1 language code",
	tsunagu.MsgInvalidCountry:    "{Value:q} is not an ISO 3166-1 alpha-2 country code",
	tsunagu.MsgInvalidPrefecture: "{Value:q} is not a Japanese prefecture",
	tsunagu.MsgInvalidDate:       "not a date (YYYY-MM-DD) between 1990 and 2099",
	tsunagu.MsgInvalidEmail:      "not an email address",
	tsunagu.MsgInvalidPhone:      "not a phone number",
	tsunagu.MsgInvalidURL:        "not an http(s) URL",
	tsunagu.MsgOutOfRange:        "out of range ({Min} to {Max})",
	tsunagu.MsgDuplicate:         "{Value:q} is given twice",
	tsunagu.MsgInvalidText:       "contains control characters or line breaks",
	tsunagu.MsgUnknownSkill:      "{Value:q} is not a known ESCO skill URI",
	tsunagu.MsgUnknownOccupation: "{Value:q} is not a known ESCO occupation URI",
	tsunagu.MsgSalaryRange:       "minimum salary is above the maximum",
}

// Reason renders err in English for a report line: "skills[2].level:
// \"guru\" is not an allowed value; name: required field missing or empty".
func Reason(err error) string {
	e := tsunagu.AsError(err)
	if e == nil {
		if err == nil {
			return ""
		}
		return err.Error()
	}
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		f := e.Fields[k]
		msg, ok := messages[f.ID]
		if !ok {
			msg = f.ID
		}
		for name, val := range f.Data {
			msg = strings.ReplaceAll(msg, "{"+name+":q}", fmt.Sprintf("%q", fmt.Sprint(val)))
			msg = strings.ReplaceAll(msg, "{"+name+"}", fmt.Sprint(val))
		}
		parts = append(parts, k+": "+msg)
	}
	return strings.Join(parts, "; ")
}
