package tsunagu

import (
	"math"
	"strings"
	"testing"
	"time"
)

func validCandidate() *Candidate {
	exp := time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)
	return &Candidate{
		Name: "Amina K.", Email: "amina@example.org", Phone: "+81 90-1234-5678",
		Nationality: "AF", ResidenceStatus: "designated_activities", ResidenceExpiry: &exp,
		Headline: "Bookkeeper", Location: Location{Country: "JP", Prefecture: "Tokyo"},
		WorkHistory:          []WorkExperience{{Title: "Senior accountant", Years: 6, Country: "AF"}},
		Skills:               []SkillRef{{Label: "financial reporting", Level: LevelExpert, Years: 6}, {ESCOURI: ESCOSkillPrefix + "abc"}},
		Languages:            []LanguageSkill{{Code: "ja", Level: "N3"}, {Code: "en", Level: "C1"}, {Code: "fa", Level: "native"}},
		Education:            []Education{{Level: "bachelor", Field: "Accounting"}},
		PreferredPrefectures: []string{"Tokyo", "Saitama"},
		Visibility:           VisibilityCompanies,
	}
}

// fieldsOf returns the per-field errors of an EINVALID error, failing the
// test on anything else.
func fieldsOf(t *testing.T, err error) map[string]FieldError {
	t.Helper()
	e := AsError(err)
	if e == nil || e.Code != EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	return e.Fields
}

func TestCheckCandidate(t *testing.T) {
	if err := validCandidate().Validate(); err != nil {
		t.Fatalf("valid candidate: %v", err)
	}
	nan := math.NaN()
	for _, tc := range []struct {
		name  string
		edit  func(c *Candidate)
		field string
		id    string
		data  map[string]any
	}{
		{"ErrNameRequired", func(c *Candidate) { c.Name = "" }, "name", MsgRequired, nil},
		{"ErrNameTooLong", func(c *Candidate) { c.Name = strings.Repeat("名", 201) }, "name", MsgTooLong, map[string]any{"Max": 200}},
		{"OKNameAtLimit", func(c *Candidate) { c.Name = strings.Repeat("名", 200) }, "", "", nil},
		{"ErrNameNUL", func(c *Candidate) { c.Name = "a\x00b" }, "name", MsgInvalidText, nil},
		{"ErrHeadlineLineBreak", func(c *Candidate) { c.Headline = "a\nb" }, "headline", MsgInvalidText, nil},
		{"OKSummaryLineBreak", func(c *Candidate) { c.Summary = "a\nb\tc" }, "", "", nil},
		{"ErrSummaryControl", func(c *Candidate) { c.Summary = "a\x07" }, "summary", MsgInvalidText, nil},
		{"ErrEmail", func(c *Candidate) { c.Email = "Amina <amina@example.org>" }, "email", MsgInvalidEmail, nil},
		{"ErrPhone", func(c *Candidate) { c.Phone = "12345" }, "phone", MsgInvalidPhone, nil},
		{"ErrPhotoURL", func(c *Candidate) { c.PhotoURL = "ftp://x/y.png" }, "photo_url", MsgInvalidURL, nil},
		{"OKStateless", func(c *Candidate) { c.Nationality = Stateless }, "", "", nil},
		{"ErrNationality", func(c *Candidate) { c.Nationality = "Afghan" }, "nationality", MsgInvalidCountry, map[string]any{"Value": "Afghan"}},
		{"ErrResidenceStatus", func(c *Candidate) { c.ResidenceStatus = "tourist" }, "residence_status", MsgInvalidChoice, map[string]any{"Value": "tourist"}},
		{"ErrResidenceExpiry", func(c *Candidate) {
			d := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
			c.ResidenceExpiry = &d
		}, "residence_expiry", MsgInvalidDate, nil},
		{"ErrCountryForPrefecture", func(c *Candidate) { c.Location.Country = "" }, "location.country", MsgRequired, nil},
		{"ErrJPPrefecture", func(c *Candidate) { c.Location.Prefecture = "Edo" }, "location.prefecture", MsgInvalidPrefecture, map[string]any{"Value": "Edo"}},
		{"OKRegionAbroad", func(c *Candidate) { c.Location = Location{Country: "FR", Prefecture: "Île-de-France"} }, "", "", nil},
		{"ErrWorkTitle", func(c *Candidate) { c.WorkHistory[0].Title = "" }, "work_history[0].title", MsgRequired, nil},
		{"ErrWorkYearsNaN", func(c *Candidate) { c.WorkHistory[0].Years = nan }, "work_history[0].years", MsgOutOfRange, map[string]any{"Min": 0, "Max": 60}},
		{"ErrSkillLabelOrURI", func(c *Candidate) { c.Skills[0].Label = "" }, "skills[0].label", MsgRequired, nil},
		{"ErrSkillLevel", func(c *Candidate) { c.Skills[0].Level = "guru" }, "skills[0].level", MsgInvalidChoice, map[string]any{"Value": "guru"}},
		{"ErrSkillURIShape", func(c *Candidate) { c.Skills[1].ESCOURI = ESCOSkillPrefix }, "skills[1].esco_uri", MsgUnknownSkill, map[string]any{"Value": ESCOSkillPrefix}},
		{"ErrSkillURIOccupation", func(c *Candidate) { c.Skills[1].ESCOURI = ESCOOccupationPrefix + "x" }, "skills[1].esco_uri", MsgUnknownSkill, map[string]any{"Value": ESCOOccupationPrefix + "x"}},
		{"ErrTooManySkills", func(c *Candidate) { c.Skills = make([]SkillRef, 201) }, "skills", MsgTooMany, map[string]any{"Max": 200}},
		{"ErrJapaneseCEFR", func(c *Candidate) { c.Languages[0].Level = "N6" }, "languages[0].level", MsgInvalidLevel, map[string]any{"Value": "N6"}},
		{"ErrEnglishJLPT", func(c *Candidate) { c.Languages[1].Level = "N2" }, "languages[1].level", MsgInvalidLevel, map[string]any{"Value": "N2"}},
		{"ErrLanguageLevelRequired", func(c *Candidate) { c.Languages[1].Level = "" }, "languages[1].level", MsgRequired, nil},
		{"ErrLanguageCode", func(c *Candidate) { c.Languages[2].Code = "dari" }, "languages[2].code", MsgInvalidLanguage, map[string]any{"Value": "dari"}},
		{"ErrLanguageTwice", func(c *Candidate) { c.Languages[2] = LanguageSkill{Code: "ja", Level: "N2"} }, "languages[2].code", MsgDuplicate, map[string]any{"Value": "ja"}},
		{"ErrEducationLevel", func(c *Candidate) { c.Education[0].Level = "" }, "education[0].level", MsgRequired, nil},
		{"ErrCertificationLine", func(c *Candidate) { c.Certifications = []string{"ok", "a\rb"} }, "certifications[1]", MsgInvalidText, nil},
		{"ErrDesiredOccupation", func(c *Candidate) { c.DesiredOccupations = []string{"manager"} }, "desired_occupations[0]", MsgUnknownOccupation, map[string]any{"Value": "manager"}},
		{"ErrPreferredPrefecture", func(c *Candidate) { c.PreferredPrefectures[1] = "Narnia" }, "preferred_prefectures[1]", MsgInvalidPrefecture, map[string]any{"Value": "Narnia"}},
		{"ErrPreferredPrefectureTwice", func(c *Candidate) { c.PreferredPrefectures[1] = "Tokyo" }, "preferred_prefectures[1]", MsgDuplicate, map[string]any{"Value": "Tokyo"}},
		{"ErrVisibilityRequired", func(c *Candidate) { c.Visibility = "" }, "visibility", MsgRequired, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := validCandidate()
			tc.edit(c)
			err := c.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			fs := fieldsOf(t, err)
			if len(fs) != 1 {
				t.Errorf("fields = %v, want only %s", fs, tc.field)
			}
			got := fs[tc.field]
			if got.ID != tc.id {
				t.Errorf("Fields[%q].ID = %q, want %q (all: %v)", tc.field, got.ID, tc.id, fs)
			}
			if len(got.Data) != len(tc.data) {
				t.Errorf("Fields[%q].Data = %v, want %v", tc.field, got.Data, tc.data)
			}
			for k, want := range tc.data {
				if got.Data[k] != want {
					t.Errorf("Fields[%q].Data[%s] = %#v, want %#v", tc.field, k, got.Data[k], want)
				}
			}
		})
	}
}

func TestCheckRole(t *testing.T) {
	role := func() *JobRole {
		return &JobRole{CompanyID: 1, Title: "Accounting staff", Workplace: WorkplaceOnsite, EmploymentType: "full_time",
			Status: RoleOpen, SalaryMin: 3_000_000, SalaryMax: 4_000_000, Languages: []LanguageSkill{{Code: "ja", Level: "N2"}}}
	}
	if err := role().Validate(); err != nil {
		t.Fatalf("valid role: %v", err)
	}
	for _, tc := range []struct {
		name, field, id string
		edit            func(r *JobRole)
	}{
		{"ErrSalaryRange", "salary_max", MsgSalaryRange, func(r *JobRole) { r.SalaryMax = 1 }},
		{"ErrSalaryNegative", "salary_min", MsgOutOfRange, func(r *JobRole) { r.SalaryMin = -1 }},
		{"ErrCompanyRequired", "company", MsgRequired, func(r *JobRole) { r.CompanyID = 0 }},
		{"ErrOpenings", "openings", MsgOutOfRange, func(r *JobRole) { r.Openings = 1001 }},
		{"ErrPreferredSkillURI", "preferred_skills[0].esco_uri", MsgUnknownSkill, func(r *JobRole) {
			r.PreferredSkills = []SkillRef{{Label: "x", ESCOURI: "https://example.org"}}
		}},
		{"ErrLanguageTwice", "languages[1].code", MsgDuplicate, func(r *JobRole) { r.Languages = append(r.Languages, LanguageSkill{Code: "ja", Level: "N1"}) }},
		{"ErrStatus", "status", MsgInvalidChoice, func(r *JobRole) { r.Status = "paused" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := role()
			tc.edit(r)
			if got := fieldsOf(t, r.Validate())[tc.field].ID; got != tc.id {
				t.Errorf("Fields[%q].ID = %q, want %q", tc.field, got, tc.id)
			}
		})
	}
	t.Run("OKOpenEndedSalary", func(t *testing.T) {
		r := role()
		r.SalaryMax = 0
		if err := r.Validate(); err != nil {
			t.Error(err)
		}
	})
}

func TestCheckOtherInputs(t *testing.T) {
	yes := true
	day := time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, field, id string
		err             error
	}{
		{"CompanyPrefecture", "prefecture", MsgInvalidPrefecture, (&Company{Name: "A", Prefecture: "Kansai"}).Validate()},
		{"CompanyEmail", "contact_email", MsgInvalidEmail, (&Company{Name: "A", ContactEmail: "a@"}).Validate()},
		{"SavedSearchNameForm", "q", MsgTooLong, (&SavedSearch{Name: "n", Query: strings.Repeat("q", 201)}).Validate()},
		{"SavedSearchJapanese", "japanese", "error.choice", (&SavedSearch{Name: "n", PoolFilters: PoolFilters{JapaneseMin: 7}}).Validate()},
		{"SavedSearchPrefecture", "prefecture", "error.choice", (&SavedSearch{Name: "n", PoolFilters: PoolFilters{Prefecture: "Narnia"}}).Validate()},
		{"FollowupRequired", "still_employed", MsgRequired, FollowupAnswer{Satisfaction: 3}.Validate()},
		{"FollowupSatisfaction", "satisfaction", "error.choice", FollowupAnswer{StillEmployed: &yes, Satisfaction: 6}.Validate()},
		{"ProgrammeTitle", "title_en", "training.error.title_required", (&Programme{Kind: SkillSoft, Format: FormatOnline, Capacity: 3, Skills: []ProgrammeSkill{{URI: ESCOSkillPrefix + "a"}}}).Validate()},
		{"ProgrammeKind", "kind", "error.choice", (&Programme{TitleEN: "T", Kind: "magic", Format: FormatOnline, Capacity: 3, Skills: []ProgrammeSkill{{URI: ESCOSkillPrefix + "a"}}}).Validate()},
		{"ProgrammeOneLine", "title_en", "training.error.one_line", (&Programme{TitleEN: "a\nb", Kind: SkillSoft, Format: FormatOnline, Capacity: 3, Skills: []ProgrammeSkill{{URI: ESCOSkillPrefix + "a"}}}).Validate()},
		{"ProgrammeSkillShape", "skills", "training.error.unknown_skill", (&Programme{TitleEN: "T", Kind: SkillSoft, Format: FormatOnline, Capacity: 3, Skills: []ProgrammeSkill{{URI: "x"}}}).Validate()},
		{"ProgrammeNoSkills", "skills", "training.error.skills_required", (&Programme{TitleEN: "T", Kind: SkillSoft, Format: FormatOnline, Capacity: 3}).Validate()},
		{"CohortDatesOrder", "ends_on", "training.error.ends_before_start", (&Cohort{Name: "C", Capacity: 3, StartsOn: day, EndsOn: day.AddDate(0, 0, -1), OnlineURL: "https://x.example"}).Validate(nil)},
		{"CohortURL", "online_url", "training.error.url", (&Cohort{Name: "C", Capacity: 3, StartsOn: day, EndsOn: day, OnlineURL: "x"}).Validate(nil)},
		{"WorkshopDates", "preferred_dates", "workshop.error.dates_required", (&WorkshopRequest{Topic: "T", Audience: 3, Language: "ja"}).Validate(day)},
		{"WorkshopDatePast", "preferred_dates", "workshop.error.date_past", (&WorkshopRequest{Topic: "T", Audience: 3, Language: "ja", PreferredDates: []time.Time{day.AddDate(0, 0, -1)}}).Validate(day)},
		{"FeedbackRating", "rating", "training.error.range", (&WorkshopFeedbackInput{Rating: 0}).Validate()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldsOf(t, tc.err)[tc.field].ID; got != tc.id {
				t.Errorf("Fields[%q].ID = %q, want %q (all: %v)", tc.field, got, tc.id, fieldsOf(t, tc.err))
			}
		})
	}
}

func TestNamedRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  bool
		want bool
	}{
		{"PhoneJapanese", ValidPhone("03-1234-5678"), true},
		{"PhoneLetters", ValidPhone("call me"), false},
		{"PhoneShort", ValidPhone("12345"), false},
		{"EmailPlain", ValidEmail("a@example.org"), true},
		{"EmailWithName", ValidEmail("A <a@example.org>"), false},
		{"URLHTTPS", ValidHTTPURL("https://example.org/x.png"), true},
		{"URLScript", ValidHTTPURL("javascript:alert(1)"), false},
		{"ESCOShape", ValidESCOURI(ESCOSkillPrefix+"1", ESCOSkillPrefix), true},
		{"ESCOPrefixOnly", ValidESCOURI(ESCOSkillPrefix, ESCOSkillPrefix), false},
		{"DateInYears", ValidDate(time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)), true},
		{"DateTooLate", ValidDate(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)), false},
		{"DatesInOrder", DatesInOrder(time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)), true},
		{"DatesReversed", DatesInOrder(time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)), false},
		{"SalaryOpenEnded", SalaryRangeOK(5, 0), true},
		{"SalaryReversed", SalaryRangeOK(5, 4), false},
		{"TextTab", validText("a\tb\n"), true},
		{"TextNUL", validText("a\x00"), false},
		{"LineBreak", validLine("a\nb"), false},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if got := RepeatedValues([]string{"a", "bad", "a", "bad", "b", "a"}, func(s string) bool { return s != "bad" }); len(got) != 2 || got[2] != "a" || got[5] != "a" {
		t.Errorf("RepeatedValues = %v, want {2:a 5:a}", got)
	}
}

// TestTagLimitsMatchConstants keeps the limits written in tags and the
// constants other code reads equal.
func TestTagLimitsMatchConstants(t *testing.T) {
	for _, tc := range []struct {
		err  error
		max  int
		name string
	}{
		{(&Candidate{Name: strings.Repeat("a", MaxNameLen+1), Visibility: VisibilityHidden}).Validate(), MaxNameLen, "name"},
		{(&Candidate{Name: "a", Headline: strings.Repeat("a", MaxHeadlineLen+1), Visibility: VisibilityHidden}).Validate(), MaxHeadlineLen, "headline"},
		{(&Candidate{Name: "a", Summary: strings.Repeat("a", MaxSummaryLen+1), Visibility: VisibilityHidden}).Validate(), MaxSummaryLen, "summary"},
		{(&JobRole{CompanyID: 1, Title: "t", Workplace: "onsite", EmploymentType: "full_time", Status: "open", Description: strings.Repeat("a", MaxRoleDescLen+1)}).Validate(), MaxRoleDescLen, "description"},
		{(&Programme{TitleEN: strings.Repeat("a", MaxProgrammeTitle+1)}).Validate(), MaxProgrammeTitle, "title_en"},
		{(&WorkshopFeedbackInput{Rating: 3, Comment: strings.Repeat("a", MaxWorkshopNotes+1)}).Validate(), MaxWorkshopNotes, "comment"},
		{FollowupAnswer{Issues: strings.Repeat("a", MaxNote+1)}.Validate(), MaxNote, "issues"},
	} {
		if got := fieldsOf(t, tc.err)[tc.name]; got.ID != MsgTooLong || got.Data["Max"] != tc.max {
			t.Errorf("%s: %v, want %s with Max %d", tc.name, got, MsgTooLong, tc.max)
		}
	}
}
