package profilehttp

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Rows offered in the form's lists: what is there plus a few empty rows.
const (
	extraSkillRows = 3
	extraRows      = 1
)

// candidateForm is the data of candidate/edit.
type candidateForm struct {
	Action       string
	Staff        bool
	ID           int64
	Completeness tsunagu.Completeness
	SkillRows    int
	LangRows     int
	WorkRows     int
	EduRows      int
	Prefectures  []tsunagu.Prefecture
	Vocab        vocabularies
}

func (h *Handlers) renderCandidateForm(c *gin.Context, cand *tsunagu.Candidate, action string, staff bool, err error) {
	data := candidateForm{
		Action: action, Staff: staff, ID: cand.ID, Completeness: cand.Completeness(),
		SkillRows: len(cand.Skills) + extraSkillRows, LangRows: max(len(cand.Languages)+extraRows, 3),
		WorkRows: len(cand.WorkHistory) + extraRows, EduRows: len(cand.Education) + extraRows,
		Prefectures: tsunagu.Prefectures, Vocab: vocab(),
	}
	if err != nil {
		h.s.RenderForm(c, "candidate/edit", data, err)
		return
	}
	h.s.RenderFilled(c, "candidate/edit", data, candidateToForm(cand))
}

func ftoa(f float64) string {
	if f == 0 {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func dateString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// candidateToForm lays a candidate out as form fields, named as the
// validation errors name them ("skills[2].level").
func candidateToForm(c *tsunagu.Candidate) map[string]string {
	f := map[string]string{
		"name": c.Name, "email": c.Email, "phone": c.Phone, "photo_url": c.PhotoURL,
		"nationality": c.Nationality, "residence_status": c.ResidenceStatus,
		"residence_expiry": dateString(c.ResidenceExpiry), "external_id": c.ExternalID,
		"headline": c.Headline, "summary": c.Summary, "location.prefecture": c.Location.Prefecture,
		"workplace_preference": c.WorkplacePreference, "available_from": dateString(c.AvailableFrom),
		"visibility": c.Visibility, "locale": c.Locale,
		"certifications":        strings.Join(c.Certifications, "\n"),
		"preferred_prefectures": strings.Join(c.PreferredPrefectures, "\n"),
	}
	if c.WillingToRelocate {
		f["willing_to_relocate"] = "on"
	}
	if c.SpeakerOptIn {
		f["speaker_opt_in"] = "on"
	}
	for i, s := range c.Skills {
		f[fmt.Sprintf("skills[%d].label", i)] = s.Label
		f[fmt.Sprintf("skills[%d].esco_uri", i)] = s.ESCOURI
		f[fmt.Sprintf("skills[%d].level", i)] = s.Level
		f[fmt.Sprintf("skills[%d].years", i)] = ftoa(s.Years)
	}
	for i, l := range c.Languages {
		f[fmt.Sprintf("languages[%d].code", i)] = l.Code
		f[fmt.Sprintf("languages[%d].level", i)] = l.Level
	}
	for i, w := range c.WorkHistory {
		f[fmt.Sprintf("work_history[%d].title", i)] = w.Title
		f[fmt.Sprintf("work_history[%d].occupation_uri", i)] = w.OccupationURI
		f[fmt.Sprintf("work_history[%d].years", i)] = ftoa(w.Years)
		f[fmt.Sprintf("work_history[%d].country", i)] = w.Country
		f[fmt.Sprintf("work_history[%d].employer", i)] = w.Employer
	}
	for i, e := range c.Education {
		f[fmt.Sprintf("education[%d].level", i)] = e.Level
		f[fmt.Sprintf("education[%d].field", i)] = e.Field
		f[fmt.Sprintf("education[%d].institution", i)] = e.Institution
		f[fmt.Sprintf("education[%d].country", i)] = e.Country
		if e.Completed {
			f[fmt.Sprintf("education[%d].completed", i)] = "on"
		}
	}
	return f
}

// formRows returns how many indexed rows of list the form posted.
func formRows(form url.Values, list string) int {
	n := 0
	for k := range form {
		if rest, ok := strings.CutPrefix(k, list+"["); ok {
			if i, err := strconv.Atoi(rest[:max(strings.IndexByte(rest, ']'), 0)]); err == nil && i+1 > n {
				n = i + 1
			}
		}
	}
	return min(n, 500)
}

// candidateFromForm reads the candidate form into c. Numbers and dates
// that do not parse are per-field errors; everything else the service
// validates. Identity fields are read only from staff forms.
func candidateFromForm(g *gin.Context, c *tsunagu.Candidate, staff bool) error {
	if err := g.Request.ParseForm(); err != nil {
		return tsunagu.Errorf(tsunagu.EINVALID, "error.invalid_input")
	}
	form := g.Request.PostForm
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	var v tsunagu.Validation
	num := func(field string) float64 {
		s := get(field)
		if s == "" {
			return 0
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			v.Add(field, tsunagu.MsgOutOfRange, map[string]any{"Min": 0, "Max": tsunagu.MaxYears})
		}
		return f
	}
	date := func(field string) *time.Time {
		s := get(field)
		if s == "" {
			return nil
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			v.Add(field, tsunagu.MsgInvalidDate, nil)
			return nil
		}
		return &t
	}
	c.Name = get("name")
	c.Email = get("email")
	c.Phone = get("phone")
	c.Nationality = get("nationality")
	c.ResidenceStatus = get("residence_status")
	c.ResidenceExpiry = date("residence_expiry")
	if staff {
		c.PhotoURL = get("photo_url")
		c.ExternalID = get("external_id")
	}
	c.Headline = get("headline")
	c.Summary = get("summary")
	c.Location = tsunagu.Location{Prefecture: get("location.prefecture")}
	if c.Location.Prefecture != "" {
		c.Location.Country = "JP"
	}
	c.WillingToRelocate = form.Get("willing_to_relocate") != ""
	c.SpeakerOptIn = form.Get("speaker_opt_in") != ""
	c.WorkplacePreference = get("workplace_preference")
	c.AvailableFrom = date("available_from")
	c.Visibility = get("visibility")
	if l := get("locale"); l != "" {
		c.Locale = l
	}
	c.Certifications = strings.Split(form.Get("certifications"), "\n")
	c.PreferredPrefectures = form["preferred_prefectures"]
	if len(c.PreferredPrefectures) == 1 {
		c.PreferredPrefectures = strings.Split(c.PreferredPrefectures[0], "\n")
	}
	c.Skills = c.Skills[:0]
	for i := 0; i < formRows(form, "skills"); i++ {
		p := fmt.Sprintf("skills[%d].", i)
		s := tsunagu.SkillRef{Label: get(p + "label"), ESCOURI: get(p + "esco_uri"), Level: get(p + "level"), Years: num(p + "years")}
		if s.Label == "" && s.ESCOURI == "" && s.Level == "" && s.Years == 0 {
			continue
		}
		c.Skills = append(c.Skills, s)
	}
	c.Languages = c.Languages[:0]
	for i := 0; i < formRows(form, "languages"); i++ {
		p := fmt.Sprintf("languages[%d].", i)
		if l := (tsunagu.LanguageSkill{Code: get(p + "code"), Level: get(p + "level")}); l.Code != "" || l.Level != "" {
			c.Languages = append(c.Languages, l)
		}
	}
	c.WorkHistory = c.WorkHistory[:0]
	for i := 0; i < formRows(form, "work_history"); i++ {
		p := fmt.Sprintf("work_history[%d].", i)
		w := tsunagu.WorkExperience{Title: get(p + "title"), OccupationURI: get(p + "occupation_uri"), Years: num(p + "years"), Country: get(p + "country"), Employer: get(p + "employer")}
		if w != (tsunagu.WorkExperience{}) {
			c.WorkHistory = append(c.WorkHistory, w)
		}
	}
	c.Education = c.Education[:0]
	for i := 0; i < formRows(form, "education"); i++ {
		p := fmt.Sprintf("education[%d].", i)
		e := tsunagu.Education{Level: get(p + "level"), Field: get(p + "field"), Institution: get(p + "institution"), Country: get(p + "country")}
		if e == (tsunagu.Education{}) {
			continue
		}
		e.Completed = form.Get(p+"completed") != ""
		c.Education = append(c.Education, e)
	}
	return v.Err()
}
