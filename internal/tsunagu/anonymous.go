package tsunagu

import (
	"slices"
	"sort"
	"time"
)

// CandidateCard is what a company sees of a candidate before the candidate
// consents to an introduction to it: what they can do, nothing that says
// who they are. It carries no name, contact, photo, exact nationality,
// residence status, free text, employer, institution, countries or
// external id, and where they live only as a region of Japan. The profile
// service builds it (AnonymizeCandidate); no other path gives a company a
// candidate.
type CandidateCard struct {
	ID                   int64            `json:"id"`
	Occupations          []string         `json:"occupations"` // desired ESCO occupation URIs
	Experience           []CardExperience `json:"experience"`
	TotalYears           float64          `json:"total_years"`
	Skills               []SkillRef       `json:"skills"`
	Languages            []LanguageSkill  `json:"languages"`
	Education            []CardEducation  `json:"education"`
	OriginRegion         string           `json:"origin_region,omitempty"` // "Middle East"
	JapanRegion          string           `json:"japan_region,omitempty"`  // "Kanto"
	PreferredPrefectures []string         `json:"preferred_prefectures"`
	WillingToRelocate    bool             `json:"willing_to_relocate"`
	WorkplacePreference  string           `json:"workplace_preference,omitempty"`
	AvailableFrom        *time.Time       `json:"available_from,omitempty"`
	UpdatedAt            time.Time        `json:"updated_at"`
}

// CardExperience is one job as a company sees it: the ESCO occupation it
// was normalised to (Title is that occupation's label, "" when the title
// could not be normalised) and how long.
type CardExperience struct {
	OccupationURI string  `json:"occupation_uri,omitempty"`
	Title         string  `json:"title,omitempty"`
	Years         float64 `json:"years"`
}

// CardEducation is a degree as a company sees it: level and field.
type CardEducation struct {
	Level     string `json:"level"`
	Field     string `json:"field,omitempty"`
	Completed bool   `json:"completed"`
}

// AnonymizeCandidate builds the card of c. occupationLabel names an ESCO
// occupation (nil: titles stay empty). Nothing identifying is copied: the
// card is built field by field from an allow-list, never by copying c and
// blanking fields.
func AnonymizeCandidate(c *Candidate, occupationLabel func(uri string) string) *CandidateCard {
	card := &CandidateCard{
		ID:                   c.ID,
		Occupations:          append([]string{}, c.DesiredOccupations...),
		Experience:           make([]CardExperience, 0, len(c.WorkHistory)),
		Skills:               make([]SkillRef, 0, len(c.Skills)),
		Languages:            CardLanguages(c.Languages, OriginRegion(c.Nationality)),
		Education:            make([]CardEducation, 0, len(c.Education)),
		OriginRegion:         OriginRegion(c.Nationality),
		PreferredPrefectures: append([]string{}, c.PreferredPrefectures...),
		WillingToRelocate:    c.WillingToRelocate,
		WorkplacePreference:  c.WorkplacePreference,
		AvailableFrom:        c.AvailableFrom,
		UpdatedAt:            c.UpdatedAt,
	}
	if c.Location.Country == "JP" {
		card.JapanRegion = JapanRegion(c.Location.Prefecture)
	}
	for _, w := range c.WorkHistory {
		e := CardExperience{OccupationURI: w.OccupationURI, Years: w.Years}
		if w.OccupationURI != "" && occupationLabel != nil {
			e.Title = occupationLabel(w.OccupationURI)
		}
		card.Experience = append(card.Experience, e)
		card.TotalYears += w.Years
	}
	for _, s := range c.Skills {
		card.Skills = append(card.Skills, SkillRef{Label: s.Label, ESCOURI: s.ESCOURI, Level: s.Level, Years: s.Years, Verified: s.Verified})
	}
	for _, e := range c.Education {
		card.Education = append(card.Education, CardEducation{Level: e.Level, Field: e.Field, Completed: e.Completed})
	}
	return card
}

// CardWorkshops is what an anonymised card says about the workshops a
// candidate gave: how many were delivered and in which languages, nothing
// else. Topics are left out because they are free text the requesting
// company wrote, often naming itself or its event, and an exact topic is a
// key its author can match to the lecturer it met; dates, places and
// audience sizes are left out for the same reason (one company's session
// on one day identifies the person who stood in front of it). Languages
// come from a closed list and say only what the card's languages say.
type CardWorkshops struct {
	Delivered int      `json:"delivered"`
	Languages []string `json:"languages"`
}

// AnonymizeWorkshops builds the card summary of a lecturer's workshops
// for a viewer who is a member of viewerCompanies, field by field from
// an allow-list. Workshops given at the viewer's own companies are left
// out: that company knows who taught it, so counting them would let it
// pick its lecturer's card out of the pool.
func AnonymizeWorkshops(ws []LecturerWorkshop, viewerCompanies []int64) *CardWorkshops {
	card := &CardWorkshops{Languages: []string{}}
	seen := map[string]bool{}
	for _, w := range ws {
		if w.Status != WorkshopDelivered || (Subject{ViewerCompanyIDs: viewerCompanies}).memberOf(w.CompanyID) {
			continue
		}
		card.Delivered++
		if slices.Contains(WorkshopLanguages, w.Language) && !seen[w.Language] {
			seen[w.Language] = true
			card.Languages = append(card.Languages, w.Language)
		}
	}
	sort.Strings(card.Languages)
	return card
}
