package profile_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/profile"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Known ESCO URIs of the fake vocabulary.
const (
	skillExcel   = "http://data.europa.eu/esco/skill/excel"
	skillAccount = "http://data.europa.eu/esco/skill/accounting"
	occAccount   = "http://data.europa.eu/esco/occupation/accountant"
)

// fakeVocab knows a few URIs and labels; it also resolves two labels.
type fakeVocab struct{}

func (fakeVocab) OccupationExists(uri string) bool { return uri == occAccount }
func (fakeVocab) SkillExists(uri string) bool      { return uri == skillExcel || uri == skillAccount }
func (fakeVocab) OccupationLabel(uri, lang string) string {
	if uri == occAccount {
		if lang == "ja" {
			return "会計士"
		}
		return "accountant"
	}
	return ""
}
func (fakeVocab) ResolveSkill(_ context.Context, label, _ string) (string, bool) {
	if strings.EqualFold(label, "accounting") {
		return skillAccount, true
	}
	return "", false
}
func (fakeVocab) ResolveOccupation(_ context.Context, title, _ string) (string, bool) {
	if strings.Contains(strings.ToLower(title), "accountant") {
		return occAccount, true
	}
	return "", false
}

// fakeConsents says candidate consented to company.
type fakeConsents map[[2]int64]bool

func (f fakeConsents) Consented(_ context.Context, candidateID int64, companies []int64) (bool, error) {
	for _, c := range companies {
		if f[[2]int64{candidateID, c}] {
			return true, nil
		}
	}
	return false, nil
}

type fixture struct {
	db          *postgres.DB
	svc         *profile.Service
	consents    fakeConsents
	admin       *tsunagu.User
	coordinator *tsunagu.User
	owner       *tsunagu.User // the candidate's own account
	other       *tsunagu.User // another candidate
	companyUser *tsunagu.User // member of company
	outsider    *tsunagu.User // member of company2
	company     *tsunagu.Company
	company2    *tsunagu.Company
}

func mustUser(tb testing.TB, db *postgres.DB, email string, role tsunagu.Role) *tsunagu.User {
	tb.Helper()
	u := &tsunagu.User{Email: email, DisplayName: email, PasswordHash: "x", Role: role, Locale: "en"}
	if err := db.CreateUser(context.Background(), u); err != nil {
		tb.Fatalf("create user %s: %v", email, err)
	}
	return u
}

func mustFixture(tb testing.TB) *fixture {
	tb.Helper()
	db := dbtest.NewDB(tb)
	f := &fixture{db: db, consents: fakeConsents{}}
	f.svc = profile.New(db, profile.WithVocabulary(fakeVocab{}), profile.WithResolver(fakeVocab{}), profile.WithConsents(f.consents))
	f.admin = mustUser(tb, db, "admin@example.org", tsunagu.RoleAdmin)
	f.coordinator = mustUser(tb, db, "coord@example.org", tsunagu.RoleCoordinator)
	f.owner = mustUser(tb, db, "amina@example.org", tsunagu.RoleCandidate)
	f.other = mustUser(tb, db, "other@example.org", tsunagu.RoleCandidate)
	f.companyUser = mustUser(tb, db, "hr@sakura.example.jp", tsunagu.RoleCompany)
	f.outsider = mustUser(tb, db, "hr@other.example.jp", tsunagu.RoleCompany)
	ctx := as(f.coordinator)
	f.company = &tsunagu.Company{Name: "さくら物流株式会社", Prefecture: "東京都", ContactEmail: "hr@sakura.example.jp"}
	if err := f.svc.SaveCompany(ctx, f.company); err != nil {
		tb.Fatalf("save company: %v", err)
	}
	f.company2 = &tsunagu.Company{Name: "Other KK"}
	if err := f.svc.SaveCompany(ctx, f.company2); err != nil {
		tb.Fatalf("save company: %v", err)
	}
	if err := f.svc.AddCompanyMember(ctx, f.company.ID, f.companyUser.ID); err != nil {
		tb.Fatalf("add member: %v", err)
	}
	if err := f.svc.AddCompanyMember(ctx, f.company2.ID, f.outsider.ID); err != nil {
		tb.Fatalf("add member: %v", err)
	}
	return f
}

func as(u *tsunagu.User) context.Context {
	return tsunagu.NewContextWithUser(context.Background(), u)
}

func date(s string) *time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// fullCandidate has every field set, identifying ones with values easy to
// look for in what a company gets.
func fullCandidate(owner *tsunagu.User, visibility string) *tsunagu.Candidate {
	c := &tsunagu.Candidate{
		ExternalID:        "cand-secret-ext",
		Name:              "Amina Karimi",
		Email:             "amina@example.org",
		Phone:             "+81 90-1234-5678",
		PhotoURL:          "https://example.org/photo-amina.jpg",
		Nationality:       "AF",
		ResidenceStatus:   "designated_activities",
		ResidenceExpiry:   date("2027-03-31"),
		Headline:          "Bookkeeper from Herat",
		Summary:           "I worked for the Herat Chamber of Commerce.",
		Location:          tsunagu.Location{Country: "JP", Prefecture: "Saitama"},
		WillingToRelocate: true,
		WorkHistory: []tsunagu.WorkExperience{
			{Title: "Senior accountant", Years: 6, Country: "AF", Employer: "Herat Chamber of Commerce"},
			{Title: "Shop assistant", Years: 1, Country: "JP", Employer: "Konbini Saitama"},
		},
		Skills: []tsunagu.SkillRef{
			{Label: "accounting", Level: tsunagu.LevelExpert, Years: 6},
			{Label: "MS Excel", ESCOURI: skillExcel, Level: tsunagu.LevelAdvanced},
			{Label: "Dari calligraphy", Level: tsunagu.LevelIntermediate},
		},
		Languages: []tsunagu.LanguageSkill{{Code: "ja", Level: "N3"}, {Code: "en", Level: "B2"}, {Code: "fa", Level: "native"}},
		Education: []tsunagu.Education{
			{Level: "bachelor", Field: "Accounting", Institution: "Herat University", Country: "AF", Completed: true},
		},
		Certifications:       []string{"Nissho Bookkeeping Level 3"},
		DesiredOccupations:   []string{occAccount},
		PreferredPrefectures: []string{"Tokyo", "Saitama"},
		WorkplacePreference:  tsunagu.WorkplaceHybrid,
		AvailableFrom:        date("2026-04-01"),
		Visibility:           visibility,
		SpeakerOptIn:         true,
		Locale:               "fa",
	}
	if owner != nil {
		c.UserID = &owner.ID
	}
	return c
}

func mustCandidate(tb testing.TB, f *fixture, c *tsunagu.Candidate) *tsunagu.Candidate {
	tb.Helper()
	if err := f.svc.SaveCandidate(as(f.coordinator), c); err != nil {
		tb.Fatalf("save candidate: %v", err)
	}
	return c
}

func auditCount(tb testing.TB, db *postgres.DB, id int64) int {
	tb.Helper()
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'candidate.view_full' AND subject_type = 'candidate' AND subject_id = $1`, strconv.FormatInt(id, 10)); err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestCandidateValidation(t *testing.T) {
	f := mustFixture(t)
	for _, tc := range []struct {
		name  string
		edit  func(c *tsunagu.Candidate)
		field string
		msgID string
	}{
		{"ErrNameRequired", func(c *tsunagu.Candidate) { c.Name = "  " }, "name", tsunagu.MsgRequired},
		{"ErrNameTooLong", func(c *tsunagu.Candidate) { c.Name = strings.Repeat("名", 201) }, "name", tsunagu.MsgTooLong},
		{"ErrHeadlineLineBreak", func(c *tsunagu.Candidate) { c.Headline = "a\nb" }, "headline", tsunagu.MsgInvalidText},
		{"ErrSummaryTooLong", func(c *tsunagu.Candidate) { c.Summary = strings.Repeat("x", 5001) }, "summary", tsunagu.MsgTooLong},
		{"ErrEmail", func(c *tsunagu.Candidate) { c.Email = "amina at example" }, "email", tsunagu.MsgInvalidEmail},
		{"ErrPhone", func(c *tsunagu.Candidate) { c.Phone = "call me" }, "phone", tsunagu.MsgInvalidPhone},
		{"ErrPhotoURL", func(c *tsunagu.Candidate) { c.PhotoURL = "javascript:alert(1)" }, "photo_url", tsunagu.MsgInvalidURL},
		{"ErrNationality", func(c *tsunagu.Candidate) { c.Nationality = "Afghan" }, "nationality", tsunagu.MsgInvalidCountry},
		{"ErrResidenceStatus", func(c *tsunagu.Candidate) { c.ResidenceStatus = "tourist-ish" }, "residence_status", tsunagu.MsgInvalidChoice},
		{"ErrResidenceExpiry", func(c *tsunagu.Candidate) { c.ResidenceExpiry = date("2150-01-01") }, "residence_expiry", tsunagu.MsgInvalidDate},
		{"ErrCountry", func(c *tsunagu.Candidate) { c.Location.Country = "XY" }, "location.country", tsunagu.MsgInvalidCountry},
		{"ErrPrefecture", func(c *tsunagu.Candidate) { c.Location.Prefecture = "Edo" }, "location.prefecture", tsunagu.MsgInvalidPrefecture},
		{"ErrWorkTitleRequired", func(c *tsunagu.Candidate) { c.WorkHistory[0].Title = "" }, "work_history[0].title", tsunagu.MsgRequired},
		{"ErrWorkYears", func(c *tsunagu.Candidate) { c.WorkHistory[1].Years = -1 }, "work_history[1].years", tsunagu.MsgOutOfRange},
		{"ErrWorkCountry", func(c *tsunagu.Candidate) { c.WorkHistory[0].Country = "Afghanistan" }, "work_history[0].country", tsunagu.MsgInvalidCountry},
		{"ErrUnknownOccupation", func(c *tsunagu.Candidate) {
			c.WorkHistory[0].OccupationURI = "http://data.europa.eu/esco/occupation/nope"
		}, "work_history[0].occupation_uri", tsunagu.MsgUnknownOccupation},
		{"ErrSkillLevel", func(c *tsunagu.Candidate) { c.Skills[0].Level = "guru" }, "skills[0].level", tsunagu.MsgInvalidChoice},
		{"ErrSkillYears", func(c *tsunagu.Candidate) { c.Skills[0].Years = 61 }, "skills[0].years", tsunagu.MsgOutOfRange},
		{"ErrUnknownSkill", func(c *tsunagu.Candidate) {
			c.Skills[1].ESCOURI = "http://data.europa.eu/esco/skill/does-not-exist"
		}, "skills[1].esco_uri", tsunagu.MsgUnknownSkill},
		{"ErrSkillURINotESCO", func(c *tsunagu.Candidate) { c.Skills[1].ESCOURI = "https://example.org/excel" }, "skills[1].esco_uri", tsunagu.MsgUnknownSkill},
		{"ErrTooManySkills", func(c *tsunagu.Candidate) {
			for i := 0; i < 201; i++ {
				c.Skills = append(c.Skills, tsunagu.SkillRef{Label: "skill " + strconv.Itoa(i)})
			}
		}, "skills", tsunagu.MsgTooMany},
		{"ErrJapaneseLevelCEFRStyle", func(c *tsunagu.Candidate) { c.Languages[0].Level = "N6" }, "languages[0].level", tsunagu.MsgInvalidLevel},
		{"ErrEnglishLevelJLPT", func(c *tsunagu.Candidate) { c.Languages[1].Level = "N2" }, "languages[1].level", tsunagu.MsgInvalidLevel},
		{"ErrLanguageLevelRequired", func(c *tsunagu.Candidate) { c.Languages[1].Level = "" }, "languages[1].level", tsunagu.MsgRequired},
		{"ErrLanguageCode", func(c *tsunagu.Candidate) { c.Languages[2].Code = "dari" }, "languages[2].code", tsunagu.MsgInvalidLanguage},
		{"ErrLanguageTwice", func(c *tsunagu.Candidate) { c.Languages[1].Code = "ja"; c.Languages[1].Level = "N2" }, "languages[1].code", tsunagu.MsgDuplicate},
		{"ErrEducationLevel", func(c *tsunagu.Candidate) { c.Education[0].Level = "college" }, "education[0].level", tsunagu.MsgInvalidChoice},
		{"ErrEducationCountry", func(c *tsunagu.Candidate) { c.Education[0].Country = "af1" }, "education[0].country", tsunagu.MsgInvalidCountry},
		{"ErrDesiredOccupation", func(c *tsunagu.Candidate) {
			c.DesiredOccupations = []string{"http://data.europa.eu/esco/occupation/unknown"}
		}, "desired_occupations[0]", tsunagu.MsgUnknownOccupation},
		{"ErrPreferredPrefecture", func(c *tsunagu.Candidate) { c.PreferredPrefectures = []string{"Tokyo", "Narnia"} }, "preferred_prefectures[1]", tsunagu.MsgInvalidPrefecture},
		{"ErrWorkplacePreference", func(c *tsunagu.Candidate) { c.WorkplacePreference = "beach" }, "workplace_preference", tsunagu.MsgInvalidChoice},
		{"ErrAvailableFrom", func(c *tsunagu.Candidate) { c.AvailableFrom = date("1900-01-01") }, "available_from", tsunagu.MsgInvalidDate},
		{"ErrVisibility", func(c *tsunagu.Candidate) { c.Visibility = "public" }, "visibility", tsunagu.MsgInvalidChoice},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := fullCandidate(nil, tsunagu.VisibilityCompanies)
			c.ExternalID = ""
			tc.edit(c)
			err := f.svc.SaveCandidate(as(f.coordinator), c)
			e := tsunagu.AsError(err)
			if e == nil || e.Code != tsunagu.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			if got, want := e.Fields[tc.field].ID, tc.msgID; got != want {
				t.Errorf("Fields[%q] = %q, want %q (all: %v)", tc.field, got, want, e.Fields)
			}
			if got := c.ID; got != 0 {
				t.Errorf("ID = %d after a rejected save, want 0", got)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		c := fullCandidate(nil, tsunagu.VisibilityCompanies)
		c.Location.Prefecture = "saitama-ken"
		c.Languages[0].Level = "n3"
		if err := f.svc.SaveCandidate(as(f.coordinator), c); err != nil {
			t.Fatalf("save: %v", err)
		}
		if got, want := c.Location.Prefecture, "Saitama"; got != want {
			t.Errorf("Prefecture = %q, want %q", got, want)
		}
		if got, want := c.Languages[0].Level, "N3"; got != want {
			t.Errorf("Languages[0].Level = %q, want %q", got, want)
		}
		// Free text resolved to ESCO, typed label kept.
		if got, want := c.Skills[0].ESCOURI, skillAccount; got != want {
			t.Errorf("Skills[0].ESCOURI = %q, want %q", got, want)
		}
		if got, want := c.Skills[0].Label, "accounting"; got != want {
			t.Errorf("Skills[0].Label = %q, want %q", got, want)
		}
		if got, want := c.Skills[2].ESCOURI, ""; got != want {
			t.Errorf("Skills[2].ESCOURI = %q, want none (free text kept)", got)
		}
		if got, want := c.WorkHistory[0].OccupationURI, occAccount; got != want {
			t.Errorf("WorkHistory[0].OccupationURI = %q, want %q", got, want)
		}
	})
}

func TestSaveCandidate(t *testing.T) {
	f := mustFixture(t)
	t.Run("OKChildRowsReplacedAndChangeLogged", func(t *testing.T) {
		c := mustCandidate(t, f, fullCandidate(f.owner, tsunagu.VisibilityCompanies))
		c.Skills = []tsunagu.SkillRef{{Label: "bookkeeping"}}
		c.Languages = c.Languages[:1]
		c.Education = nil
		if err := f.svc.SaveCandidate(as(f.owner), c); err != nil {
			t.Fatalf("save: %v", err)
		}
		got, err := f.db.CandidateByID(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Skills) != 1 || got.Skills[0].Label != "bookkeeping" {
			t.Errorf("Skills = %+v, want only bookkeeping", got.Skills)
		}
		if got, want := len(got.Languages), 1; got != want {
			t.Errorf("len(Languages) = %d, want %d", got, want)
		}
		if got, want := len(got.Education), 0; got != want {
			t.Errorf("len(Education) = %d, want %d", got, want)
		}
		var n int
		if err := f.db.Get(&n, `SELECT count(*) FROM change_log WHERE entity = 'candidate' AND entity_id = $1 AND op = 'upsert'`, c.ID); err != nil {
			t.Fatal(err)
		}
		if got, want := n, 2; got != want {
			t.Errorf("change_log rows = %d, want %d (one per save)", got, want)
		}
	})
	t.Run("OKCandidateCreatesOwnProfile", func(t *testing.T) {
		u := mustUser(t, f.db, "new@example.org", tsunagu.RoleCandidate)
		c := &tsunagu.Candidate{Name: "Yusuf", ExternalID: "sneaky", Languages: []tsunagu.LanguageSkill{{Code: "ar", Level: "native"}}}
		if err := f.svc.SaveCandidate(as(u), c); err != nil {
			t.Fatalf("save: %v", err)
		}
		if c.UserID == nil || *c.UserID != u.ID {
			t.Errorf("UserID = %v, want %d", c.UserID, u.ID)
		}
		if got := c.ExternalID; got != "" {
			t.Errorf("ExternalID = %q, want none (a candidate cannot set it)", got)
		}
		if got, want := c.Visibility, tsunagu.VisibilityCoordinators; got != want {
			t.Errorf("Visibility = %q, want %q", got, want)
		}
		own, err := f.svc.FindOwnCandidate(as(u))
		if err != nil || own.ID != c.ID {
			t.Errorf("FindOwnCandidate = %v, %v; want %d", own, err, c.ID)
		}
		// A second profile for the same account conflicts on user_id.
		err = f.svc.SaveCandidate(as(u), &tsunagu.Candidate{Name: "Yusuf again"})
		if e := tsunagu.AsError(err); e == nil || e.Fields["user_id"].ID != tsunagu.MsgTaken {
			t.Errorf("second profile: err = %v, want user_id taken", err)
		}
	})
	t.Run("OKSaveWithoutLinkKeepsAccountAndExternalID", func(t *testing.T) {
		c := fullCandidate(f.other, tsunagu.VisibilityCompanies)
		c.ExternalID = "cand-keep-link"
		mustCandidate(t, f, c)
		c.UserID, c.ExternalID = nil, ""
		if err := f.svc.SaveCandidate(as(f.coordinator), c); err != nil {
			t.Fatal(err)
		}
		got, _ := f.db.CandidateByID(context.Background(), c.ID)
		if got.UserID == nil || *got.UserID != f.other.ID || got.ExternalID != "cand-keep-link" {
			t.Errorf("UserID = %v, ExternalID = %q; want both kept", got.UserID, got.ExternalID)
		}
	})
	t.Run("ErrOtherCandidateCannotEdit", func(t *testing.T) {
		c := mustCandidate(t, f, fullCandidate(f.owner, tsunagu.VisibilityCompanies))
		c.ExternalID = "cand-edit-2"
		c.Name = "Changed"
		if got, want := tsunagu.ErrorCode(f.svc.SaveCandidate(as(f.other), c)), tsunagu.ENOTFOUND; got != want {
			t.Errorf("code = %q, want %q", got, want)
		}
		if got, want := tsunagu.ErrorCode(f.svc.SaveCandidate(as(f.companyUser), c)), tsunagu.EFORBIDDEN; got != want {
			t.Errorf("company: code = %q, want %q", got, want)
		}
	})
	t.Run("OKDeleteWritesChangeLogAndAudit", func(t *testing.T) {
		c := fullCandidate(f.owner, tsunagu.VisibilityHidden)
		c.ExternalID = "cand-delete"
		c.UserID = nil
		mustCandidate(t, f, c)
		if err := f.svc.DeleteCandidate(as(f.coordinator), c.ID); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if _, err := f.db.CandidateByID(context.Background(), c.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Errorf("after delete: err = %v, want ENOTFOUND", err)
		}
		var n int
		f.db.Get(&n, `SELECT count(*) FROM change_log WHERE entity = 'candidate' AND entity_id = $1 AND op = 'delete'`, c.ID)
		if n != 1 {
			t.Errorf("delete change_log rows = %d, want 1", n)
		}
	})
}

// cardKeys are the only JSON keys a company may get in a card.
var cardKeys = map[string]bool{
	"id": true, "occupations": true, "experience": true, "total_years": true, "skills": true,
	"languages": true, "education": true, "origin_region": true, "japan_region": true,
	"preferred_prefectures": true, "willing_to_relocate": true, "workplace_preference": true,
	"available_from": true, "updated_at": true,
}

func TestCandidateViews(t *testing.T) {
	f := mustFixture(t)
	c := mustCandidate(t, f, fullCandidate(f.owner, tsunagu.VisibilityCompanies))

	t.Run("CompanySeesCardFieldByField", func(t *testing.T) {
		card, err := f.svc.FindCandidateCard(as(f.companyUser), c.ID)
		if err != nil {
			t.Fatalf("card: %v", err)
		}
		b, _ := json.Marshal(card)
		var m map[string]any
		json.Unmarshal(b, &m)
		for k := range m {
			if !cardKeys[k] {
				t.Errorf("card has key %q, which a company may not see", k)
			}
		}
		// Nothing identifying anywhere in it, in any field.
		for _, secret := range []string{
			c.Name, "Amina", c.Email, c.Phone, c.PhotoURL, "photo", `"AF"`, "Afghanistan",
			"designated_activities", "2027-03-31", "Herat", c.Summary, "Chamber", "Konbini",
			"Herat University", "cand-secret-ext", "Nissho",
		} {
			if strings.Contains(string(b), secret) {
				t.Errorf("card contains %q: %s", secret, b)
			}
		}
		if got, want := card.OriginRegion, "South Asia"; got != want {
			t.Errorf("OriginRegion = %q, want %q", got, want)
		}
		if got, want := card.JapanRegion, "Kanto"; got != want {
			t.Errorf("JapanRegion = %q, want %q", got, want)
		}
		if got, want := len(card.Skills), 3; got != want {
			t.Errorf("len(Skills) = %d, want %d", got, want)
		}
		if got, want := len(card.Languages), 3; got != want {
			t.Errorf("len(Languages) = %d, want %d", got, want)
		}
		if got, want := card.Experience[0], (tsunagu.CardExperience{OccupationURI: occAccount, Title: "accountant", Years: 6}); got != want {
			t.Errorf("Experience[0] = %+v, want %+v", got, want)
		}
		if got, want := card.Experience[1], (tsunagu.CardExperience{Years: 1}); got != want {
			t.Errorf("Experience[1] = %+v, want %+v (unresolved title not shown)", got, want)
		}
		if got, want := card.TotalYears, 7.0; got != want {
			t.Errorf("TotalYears = %v, want %v", got, want)
		}
		if got, want := card.Education[0], (tsunagu.CardEducation{Level: "bachelor", Field: "Accounting", Completed: true}); got != want {
			t.Errorf("Education[0] = %+v, want %+v", got, want)
		}
		if got, want := auditCount(t, f.db, c.ID), 0; got != want {
			t.Errorf("audit rows = %d, want %d (a card is not a full view)", got, want)
		}
	})
	t.Run("CompanyRefusedFullProfile", func(t *testing.T) {
		_, err := f.svc.FindCandidateByID(as(f.companyUser), c.ID)
		if got, want := tsunagu.ErrorCode(err), tsunagu.EFORBIDDEN; got != want {
			t.Errorf("code = %q, want %q", got, want)
		}
		if got, want := auditCount(t, f.db, c.ID), 0; got != want {
			t.Errorf("audit rows = %d, want %d", got, want)
		}
	})
	t.Run("CoordinatorSeesAllAndIsAudited", func(t *testing.T) {
		got, err := f.svc.FindCandidateByID(as(f.coordinator), c.ID)
		if err != nil {
			t.Fatalf("find: %v", err)
		}
		for _, chk := range []struct{ field, got, want string }{
			{"Name", got.Name, c.Name}, {"Email", got.Email, c.Email}, {"Phone", got.Phone, c.Phone},
			{"PhotoURL", got.PhotoURL, c.PhotoURL}, {"Nationality", got.Nationality, "AF"},
			{"ResidenceStatus", got.ResidenceStatus, c.ResidenceStatus},
			{"ResidenceExpiry", got.ResidenceExpiry.Format(time.DateOnly), "2027-03-31"},
			{"Summary", got.Summary, c.Summary}, {"ExternalID", got.ExternalID, "cand-secret-ext"},
			{"Employer", got.WorkHistory[0].Employer, "Herat Chamber of Commerce"},
			{"Institution", got.Education[0].Institution, "Herat University"},
			{"Prefecture", got.Location.Prefecture, "Saitama"},
			{"Certification", got.Certifications[0], "Nissho Bookkeeping Level 3"},
		} {
			if chk.got != chk.want {
				t.Errorf("%s = %q, want %q", chk.field, chk.got, chk.want)
			}
		}
		if got, want := auditCount(t, f.db, c.ID), 1; got != want {
			t.Errorf("audit rows = %d, want %d", got, want)
		}
		var actor int64
		f.db.Get(&actor, `SELECT actor_id FROM audit_log WHERE action = 'candidate.view_full' ORDER BY id DESC LIMIT 1`)
		if actor != f.coordinator.ID {
			t.Errorf("audit actor = %d, want %d", actor, f.coordinator.ID)
		}
	})
	t.Run("AdminSeesAllAndIsAudited", func(t *testing.T) {
		before := auditCount(t, f.db, c.ID)
		if _, err := f.svc.FindCandidateByID(as(f.admin), c.ID); err != nil {
			t.Fatalf("find: %v", err)
		}
		if got, want := auditCount(t, f.db, c.ID), before+1; got != want {
			t.Errorf("audit rows = %d, want %d", got, want)
		}
	})
	t.Run("CandidateSeesOwnWithoutAudit", func(t *testing.T) {
		before := auditCount(t, f.db, c.ID)
		got, err := f.svc.FindCandidateByID(as(f.owner), c.ID)
		if err != nil {
			t.Fatalf("find: %v", err)
		}
		if got.Name != c.Name || got.Email != c.Email || got.Nationality != c.Nationality {
			t.Errorf("own profile = %+v, want every field", got)
		}
		if got, want := auditCount(t, f.db, c.ID), before; got != want {
			t.Errorf("audit rows = %d, want %d (own view)", got, want)
		}
	})
	t.Run("OtherCandidateNotFound", func(t *testing.T) {
		if _, err := f.svc.FindCandidateByID(as(f.other), c.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Errorf("full: err = %v, want ENOTFOUND", err)
		}
		if _, err := f.svc.FindCandidateCard(as(f.other), c.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Errorf("card: err = %v, want ENOTFOUND", err)
		}
		if _, _, err := f.svc.ListCandidateCards(as(f.other), tsunagu.CandidateFilter{}); tsunagu.ErrorCode(err) != tsunagu.EFORBIDDEN {
			t.Errorf("list: err = %v, want EFORBIDDEN", err)
		}
	})
	t.Run("VisitorUnauthorized", func(t *testing.T) {
		if _, err := f.svc.FindCandidateCard(context.Background(), c.ID); tsunagu.ErrorCode(err) != tsunagu.EUNAUTHORIZED {
			t.Errorf("err = %v, want EUNAUTHORIZED", err)
		}
	})
	t.Run("ConsentedCompanySeesFullAndIsAudited", func(t *testing.T) {
		f.consents[[2]int64{c.ID, f.company.ID}] = true
		defer delete(f.consents, [2]int64{c.ID, f.company.ID})
		before := auditCount(t, f.db, c.ID)
		got, err := f.svc.FindCandidateByID(as(f.companyUser), c.ID)
		if err != nil {
			t.Fatalf("find: %v", err)
		}
		if got.Name != c.Name {
			t.Errorf("Name = %q, want %q", got.Name, c.Name)
		}
		if got, want := auditCount(t, f.db, c.ID), before+1; got != want {
			t.Errorf("audit rows = %d, want %d", got, want)
		}
		// Consent to one company says nothing to another.
		if _, err := f.svc.FindCandidateByID(as(f.outsider), c.ID); tsunagu.ErrorCode(err) != tsunagu.EFORBIDDEN {
			t.Errorf("other company: err = %v, want EFORBIDDEN", err)
		}
	})
	for _, vis := range []string{tsunagu.VisibilityHidden, tsunagu.VisibilityCoordinators} {
		t.Run("InvisibleToCompanyWhen"+vis, func(t *testing.T) {
			h := fullCandidate(nil, vis)
			h.ExternalID = "cand-" + vis
			h.Name = "Hidden " + vis
			mustCandidate(t, f, h)
			if _, err := f.svc.FindCandidateCard(as(f.companyUser), h.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
				t.Errorf("card: err = %v, want ENOTFOUND", err)
			}
			if _, err := f.svc.FindCandidateByID(as(f.companyUser), h.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
				t.Errorf("full: err = %v, want ENOTFOUND", err)
			}
			cards, total, err := f.svc.ListCandidateCards(as(f.companyUser), tsunagu.CandidateFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, card := range cards {
				if card.ID == h.ID {
					t.Errorf("listed candidate with visibility %q", vis)
				}
			}
			if got, want := total, 1; got != want {
				t.Errorf("total = %d, want %d", got, want)
			}
			if vis == tsunagu.VisibilityHidden {
				// A hidden profile is read by the coordinator working
				// the case (issue 11, item 7).
				if _, err := f.db.ExecContext(context.Background(), `INSERT INTO cases (candidate_id, coordinator_id) VALUES ($1, $2)`, h.ID, f.coordinator.ID); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := f.svc.FindCandidateByID(as(f.coordinator), h.ID); err != nil {
				t.Errorf("coordinator: err = %v, want the profile", err)
			}
		})
	}
	t.Run("CompanySearchCannotFindByName", func(t *testing.T) {
		cards, _, err := f.svc.ListCandidateCards(as(f.companyUser), tsunagu.CandidateFilter{Query: "Amina"})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(cards), 0; got != want {
			t.Errorf("cards found by name = %d, want %d", got, want)
		}
		cards, _, _ = f.svc.ListCandidateCards(as(f.companyUser), tsunagu.CandidateFilter{Query: "accounting"})
		if got, want := len(cards), 1; got != want {
			t.Errorf("cards found by skill = %d, want %d", got, want)
		}
		list, _, err := f.svc.ListCandidates(as(f.coordinator), tsunagu.CandidateFilter{Query: "Amina"})
		if err != nil || len(list) == 0 {
			t.Errorf("coordinator search by name: %d, %v; want found", len(list), err)
		}
		if _, _, err := f.svc.ListCandidates(as(f.companyUser), tsunagu.CandidateFilter{}); tsunagu.ErrorCode(err) != tsunagu.EFORBIDDEN {
			t.Errorf("company full list: err = %v, want EFORBIDDEN", err)
		}
	})
}

func TestCompleteness(t *testing.T) {
	full := fullCandidate(nil, tsunagu.VisibilityCompanies)
	if got := full.Completeness(); got.Score != 100 || len(got.Missing) != 0 {
		t.Errorf("full profile: %+v, want 100 and nothing missing", got)
	}
	empty := &tsunagu.Candidate{Name: "A"}
	got := empty.Completeness()
	if got.Score != 0 {
		t.Errorf("empty profile score = %d, want 0", got.Score)
	}
	if !strings.Contains(strings.Join(got.Missing, ","), "profile.missing.japanese_level") {
		t.Errorf("Missing = %v, want japanese_level among them", got.Missing)
	}
}

// countingConsents is fakeConsents that counts how often it is asked.
type countingConsents struct {
	fakeConsents
	asked int
}

func (c *countingConsents) Consented(ctx context.Context, candidateID int64, companies []int64) (bool, error) {
	c.asked++
	return c.fakeConsents.Consented(ctx, candidateID, companies)
}

// TestCardConsentAskedOnlyWhenItDecides checks the card's shortcut: a card
// a candidate shows to every company is given without asking for consent;
// a card shown to coordinators only is given to the company the candidate
// consented to, and to no other.
func TestCardConsentAskedOnlyWhenItDecides(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	consents := &countingConsents{fakeConsents: fakeConsents{}}
	svc := profile.New(f.db, profile.WithVocabulary(fakeVocab{}), profile.WithResolver(fakeVocab{}), profile.WithConsents(consents))

	open := fullCandidate(nil, tsunagu.VisibilityCompanies)
	open.ExternalID = "cand-open"
	mustCandidate(t, f, open)
	closed := fullCandidate(nil, tsunagu.VisibilityCoordinators)
	closed.ExternalID = "cand-closed"
	mustCandidate(t, f, closed)

	t.Run("OpenCardWithoutConsentLookup", func(t *testing.T) {
		consents.asked = 0
		card, err := svc.FindCandidateCard(as(f.companyUser), open.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := card.ID, open.ID; got != want {
			t.Errorf("card ID = %d, want %d", got, want)
		}
		if consents.asked != 0 {
			t.Errorf("consent asked %d times for a card shown to every company", consents.asked)
		}
	})
	t.Run("ClosedCardNotFoundWithoutConsent", func(t *testing.T) {
		consents.asked = 0
		if _, err := svc.FindCandidateCard(as(f.companyUser), closed.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Errorf("err = %v, want ENOTFOUND", err)
		}
		if consents.asked != 1 {
			t.Errorf("consent asked %d times, want 1", consents.asked)
		}
	})
	t.Run("ClosedCardToConsentedCompanyOnly", func(t *testing.T) {
		consents.fakeConsents[[2]int64{closed.ID, f.company.ID}] = true
		card, err := svc.FindCandidateCard(as(f.companyUser), closed.ID)
		if err != nil {
			t.Fatalf("consented company: %v", err)
		}
		if card.ID != closed.ID {
			t.Errorf("card ID = %d, want %d", card.ID, closed.ID)
		}
		if _, err := svc.FindCandidateCard(as(f.outsider), closed.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Errorf("other company: err = %v, want ENOTFOUND", err)
		}
	})
}
