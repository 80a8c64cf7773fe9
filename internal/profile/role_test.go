package profile_test

import (
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func newRole(companyID int64, status string) *tsunagu.JobRole {
	return &tsunagu.JobRole{
		CompanyID:       companyID,
		Title:           "経理スタッフ (Accountant)",
		Description:     "月次決算と請求書処理を担当します。",
		RequiredSkills:  []tsunagu.SkillRef{{Label: "accounting", Level: tsunagu.LevelAdvanced}},
		PreferredSkills: []tsunagu.SkillRef{{Label: "MS Excel", ESCOURI: skillExcel}},
		Languages:       []tsunagu.LanguageSkill{{Code: "ja", Level: "N2"}},
		Location:        tsunagu.Location{Country: "JP", Prefecture: "Tokyo"},
		Workplace:       tsunagu.WorkplaceHybrid,
		EmploymentType:  "full_time",
		SalaryMin:       3_600_000,
		SalaryMax:       4_800_000,
		VisaSupport:     true,
		Openings:        2,
		Status:          status,
	}
}

func TestRoles(t *testing.T) {
	f := mustFixture(t)
	t.Run("OKMemberSavesRole", func(t *testing.T) {
		r := newRole(f.company.ID, tsunagu.RoleOpen)
		if err := f.svc.SaveRole(as(f.companyUser), r); err != nil {
			t.Fatalf("save: %v", err)
		}
		if got, want := r.OccupationURI, occAccount; got != want {
			t.Errorf("OccupationURI = %q, want %q", got, want)
		}
		if got, want := r.RequiredSkills[0].ESCOURI, skillAccount; got != want {
			t.Errorf("RequiredSkills[0].ESCOURI = %q, want %q", got, want)
		}
		got, err := f.svc.FindRoleByID(as(f.other), r.ID)
		if err != nil {
			t.Fatalf("candidate sees open role: %v", err)
		}
		if got.CompanyName != f.company.Name || got.JapaneseLevel() != "N2" || len(got.PreferredSkills) != 1 {
			t.Errorf("role = %+v", got)
		}
		var n int
		f.db.Get(&n, `SELECT count(*) FROM change_log WHERE entity = 'role' AND entity_id = $1`, r.ID)
		if n != 1 {
			t.Errorf("change_log rows = %d, want 1", n)
		}
	})
	t.Run("ErrOtherCompanyCannotSave", func(t *testing.T) {
		r := newRole(f.company.ID, tsunagu.RoleDraft)
		if got, want := tsunagu.ErrorCode(f.svc.SaveRole(as(f.outsider), r)), tsunagu.EFORBIDDEN; got != want {
			t.Errorf("code = %q, want %q", got, want)
		}
		if got, want := tsunagu.ErrorCode(f.svc.SaveRole(as(f.owner), r)), tsunagu.EFORBIDDEN; got != want {
			t.Errorf("candidate: code = %q, want %q", got, want)
		}
	})
	t.Run("DraftOnlyForOwnCompany", func(t *testing.T) {
		r := newRole(f.company.ID, tsunagu.RoleDraft)
		if err := f.svc.SaveRole(as(f.companyUser), r); err != nil {
			t.Fatalf("save: %v", err)
		}
		if _, err := f.svc.FindRoleByID(as(f.outsider), r.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Errorf("outsider: err = %v, want ENOTFOUND", err)
		}
		if _, err := f.svc.FindRoleByID(as(f.companyUser), r.ID); err != nil {
			t.Errorf("member: err = %v", err)
		}
		list, _, err := f.svc.ListRoles(as(f.outsider), tsunagu.RoleFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range list {
			if x.Status != tsunagu.RoleOpen {
				t.Errorf("outsider listed a %s role", x.Status)
			}
		}
		list, _, _ = f.svc.ListRoles(as(f.companyUser), tsunagu.RoleFilter{})
		found := false
		for _, x := range list {
			found = found || x.ID == r.ID
		}
		if !found {
			t.Error("member's list lacks its own draft")
		}
		if err := f.svc.DeleteRole(as(f.outsider), r.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Errorf("outsider delete: err = %v, want ENOTFOUND", err)
		}
	})
	for _, tc := range []struct {
		name, field string
		edit        func(r *tsunagu.JobRole)
	}{
		{"ErrTitleRequired", "title", func(r *tsunagu.JobRole) { r.Title = "" }},
		{"ErrWorkplace", "workplace", func(r *tsunagu.JobRole) { r.Workplace = "anywhere" }},
		{"ErrEmploymentType", "employment_type", func(r *tsunagu.JobRole) { r.EmploymentType = "gig" }},
		{"ErrSalaryRange", "salary_max", func(r *tsunagu.JobRole) { r.SalaryMax = 1 }},
		{"ErrJapaneseLevel", "languages[0].level", func(r *tsunagu.JobRole) { r.Languages[0].Level = "B2+" }},
		{"ErrPrefecture", "location.prefecture", func(r *tsunagu.JobRole) { r.Location.Prefecture = "Kansai" }},
		{"ErrUnknownSkill", "preferred_skills[0].esco_uri", func(r *tsunagu.JobRole) {
			r.PreferredSkills[0].ESCOURI = "http://data.europa.eu/esco/skill/unknown"
		}},
		{"ErrOpenings", "openings", func(r *tsunagu.JobRole) { r.Openings = -1 }},
		{"ErrStatus", "status", func(r *tsunagu.JobRole) { r.Status = "paused" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRole(f.company.ID, tsunagu.RoleOpen)
			tc.edit(r)
			e := tsunagu.AsError(f.svc.SaveRole(as(f.companyUser), r))
			if e == nil || e.Code != tsunagu.EINVALID || e.Fields[tc.field].ID == "" {
				t.Errorf("err = %v, want EINVALID on %q", e, tc.field)
			}
		})
	}
}

func TestCompanies(t *testing.T) {
	f := mustFixture(t)
	t.Run("ContactHiddenFromOthers", func(t *testing.T) {
		c, err := f.svc.FindCompanyByID(as(f.outsider), f.company.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.ContactEmail != "" {
			t.Errorf("outsider sees ContactEmail %q", c.ContactEmail)
		}
		c, _ = f.svc.FindCompanyByID(as(f.companyUser), f.company.ID)
		if c.ContactEmail == "" {
			t.Error("member does not see ContactEmail")
		}
		if got, want := c.Prefecture, "Tokyo"; got != want {
			t.Errorf("Prefecture = %q, want %q (normalised from 東京都)", got, want)
		}
	})
	t.Run("ErrNameTaken", func(t *testing.T) {
		err := f.svc.SaveCompany(as(f.coordinator), &tsunagu.Company{Name: "OTHER kk"})
		if e := tsunagu.AsError(err); e == nil || e.Fields["name"].ID != tsunagu.MsgTaken {
			t.Errorf("err = %v, want name taken", err)
		}
	})
	t.Run("ErrCompanyCannotCreate", func(t *testing.T) {
		err := f.svc.SaveCompany(as(f.companyUser), &tsunagu.Company{Name: "New KK"})
		if got, want := tsunagu.ErrorCode(err), tsunagu.EFORBIDDEN; got != want {
			t.Errorf("code = %q, want %q", got, want)
		}
	})
	t.Run("ErrMemberMustBeCompanyUser", func(t *testing.T) {
		err := f.svc.AddCompanyMember(as(f.coordinator), f.company.ID, f.owner.ID)
		if e := tsunagu.AsError(err); e == nil || e.Fields["user_id"].ID == "" {
			t.Errorf("err = %v, want user_id invalid", err)
		}
	})
	t.Run("OKMembers", func(t *testing.T) {
		ms, err := f.svc.CompanyMembers(as(f.companyUser), f.company.ID)
		if err != nil || len(ms) != 1 || ms[0].ID != f.companyUser.ID {
			t.Errorf("members = %v, %v", ms, err)
		}
		if _, err := f.svc.CompanyMembers(as(f.outsider), f.company.ID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Errorf("outsider: err = %v, want ENOTFOUND", err)
		}
		own, err := f.svc.OwnCompanies(as(f.companyUser))
		if err != nil || len(own) != 1 || own[0].ID != f.company.ID {
			t.Errorf("own companies = %v, %v", own, err)
		}
	})
}
