package importer_test

import (
	"strings"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/importer"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func TestDecodeCandidate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		line := `{"id": "cand-00017", "name": "Amina K.", "headline": "Bookkeeper", "future_field": {"x": 1},
 "location": {"country": "JP", "prefecture": "tokyo-to"}, "willing_to_relocate": true,
 "work_history": [{"title": "Senior accountant", "years": 6}],
 "skills": [{"label": "financial reporting"}, {"label": "MS  Excel", "esco_uri": "http://data.europa.eu/esco/skill/abc"}, {"label": "financial reporting"}],
 "languages": [{"code": "ja", "level": "n3"}, {"code": "en", "level": "C1"}, {"code": "fa", "level": "Native"}],
 "education": [{"level": "bachelor", "field": "Accounting"}]}`
		c, err := importer.DecodeCandidate([]byte(line))
		if err != nil {
			t.Fatalf("decode: %v (%s)", err, importer.Reason(err))
		}
		if got, want := c.ExternalID, "cand-00017"; got != want {
			t.Errorf("ExternalID = %q, want %q", got, want)
		}
		if got, want := c.Location.Prefecture, "Tokyo"; got != want {
			t.Errorf("Prefecture = %q, want %q", got, want)
		}
		if got, want := len(c.Skills), 2; got != want {
			t.Errorf("len(Skills) = %d, want %d (repeats merged)", got, want)
		}
		if got, want := c.Skills[1].Label, "MS Excel"; got != want {
			t.Errorf("Skills[1].Label = %q, want %q", got, want)
		}
		if got, want := c.Languages[0].Level, "N3"; got != want {
			t.Errorf("Languages[0].Level = %q, want %q", got, want)
		}
		if got, want := c.Languages[2].Level, "native"; got != want {
			t.Errorf("Languages[2].Level = %q, want %q", got, want)
		}
		if !c.Education[0].Completed {
			t.Error("Education[0].Completed = false, want true when absent")
		}
		if got, want := c.Visibility, importer.DefaultVisibility; got != want {
			t.Errorf("Visibility = %q, want %q", got, want)
		}
	})
	for _, tc := range []struct {
		name, line, field, reason string
	}{
		{"ErrIDRequired", `{"name": "A"}`, "id", "id: required"},
		{"ErrNameRequired", `{"id": "c1"}`, "name", "name: required"},
		{"ErrIDNotString", `{"id": 5, "name": "A"}`, "", "id: expected a string"},
		{"ErrYearsNotNumber", `{"id": "c1", "name": "A", "work_history": [{"title": "x", "years": "six"}]}`, "", "work_history.years: expected a number"},
		{"ErrBadUTF8", "{\"id\": \"c1\xff\", \"name\": \"A\"}", "", "invalid UTF-8 at byte 11"},
		{"ErrTruncatedJSON", `{"id": "c1", "name": "A"`, "", "invalid JSON"},
		{"ErrNotObject", `["c1"]`, "", "not a JSON object"},
		{"ErrSkillLevel", `{"id": "c1", "name": "A", "skills": [{"label": "x", "level": "guru"}]}`, "skills[0].level", `"guru" is not an allowed value`},
		{"ErrSkillLabelRequired", `{"id": "c1", "name": "A", "skills": [{"level": "expert"}]}`, "skills[0].label", "required"},
		{"ErrSkillURINotESCO", `{"id": "c1", "name": "A", "skills": [{"label": "x", "esco_uri": "http://example.com/x"}]}`, "skills[0].esco_uri", "not a known ESCO skill"},
		{"ErrJLPTForJapanese", `{"id": "c1", "name": "A", "languages": [{"code": "ja", "level": "C9"}]}`, "languages[0].level", "not a level"},
		{"ErrJLPTForEnglish", `{"id": "c1", "name": "A", "languages": [{"code": "en", "level": "N2"}]}`, "languages[0].level", "not a level"},
		{"ErrLanguageCode", `{"id": "c1", "name": "A", "languages": [{"code": "xx", "level": "B1"}]}`, "languages[0].code", "ISO 639-1"},
		{"ErrPrefecture", `{"id": "c1", "name": "A", "location": {"country": "JP", "prefecture": "Atlantis"}}`, "location.prefecture", "not a Japanese prefecture"},
		{"ErrCountry", `{"id": "c1", "name": "A", "location": {"country": "ZZ"}}`, "location.country", "ISO 3166-1"},
		{"ErrYearsRange", `{"id": "c1", "name": "A", "work_history": [{"title": "x", "years": 99}]}`, "work_history[0].years", "out of range"},
		{"ErrEducationLevel", `{"id": "c1", "name": "A", "education": [{"level": "phd-ish"}]}`, "education[0].level", "not an allowed value"},
		{"ErrNameTooLong", `{"id": "c1", "name": "` + strings.Repeat("あ", 201) + `"}`, "name", "longer than 200"},
		{"ErrVisibility", `{"id": "c1", "name": "A", "visibility": "everyone"}`, "visibility", "not an allowed value"},
		{"ErrAvailableFrom", `{"id": "c1", "name": "A", "available_from": "next week"}`, "available_from", "not a date"},
		{"ErrEmail", `{"id": "c1", "name": "A", "email": "not-an-address"}`, "email", "not an email"},
		{"ErrNationality", `{"id": "c1", "name": "A", "nationality": "Syria"}`, "nationality", "ISO 3166-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := importer.DecodeCandidate([]byte(tc.line))
			if got, want := tsunagu.ErrorCode(err), tsunagu.EINVALID; got != want {
				t.Fatalf("code = %q, want %q (err %v)", got, want, err)
			}
			if tc.field != "" {
				if e := tsunagu.AsError(err); e.Fields[tc.field].ID == "" {
					t.Errorf("no error on field %q: %v", tc.field, e.Fields)
				}
			}
			if r := importer.Reason(err); !strings.Contains(r, tc.reason) {
				t.Errorf("Reason = %q, want it to contain %q", r, tc.reason)
			}
		})
	}
}

func TestDecodeRole(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		line := `{"id": "role-0042", "company": "Sakura Logistics", "title": "Accounting staff", "description": "",
 "location": {"country": "JP", "prefecture": "Tokyo"}, "workplace": "onsite",
 "required_skills": [{"label": "bookkeeping"}], "preferred_skills": [{"label": "accounting software"}],
 "languages": [{"code": "ja", "level": "N2"}], "unknown": true}`
		r, company, err := importer.DecodeRole([]byte(line))
		if err != nil {
			t.Fatalf("decode: %v (%s)", err, importer.Reason(err))
		}
		if got, want := company, "Sakura Logistics"; got != want {
			t.Errorf("company = %q, want %q", got, want)
		}
		if got, want := r.ExternalID, "role-0042"; got != want {
			t.Errorf("ExternalID = %q, want %q", got, want)
		}
		if got, want := r.JapaneseLevel(), "N2"; got != want {
			t.Errorf("JapaneseLevel = %q, want %q", got, want)
		}
		if got, want := r.EmploymentType, "full_time"; got != want {
			t.Errorf("EmploymentType = %q, want %q", got, want)
		}
		if got, want := r.Status, tsunagu.RoleOpen; got != want {
			t.Errorf("Status = %q, want %q", got, want)
		}
		if got, want := r.Openings, 1; got != want {
			t.Errorf("Openings = %d, want %d", got, want)
		}
	})
	for _, tc := range []struct{ name, line, field string }{
		{"ErrCompanyRequired", `{"id": "r1", "title": "T", "workplace": "onsite"}`, "company"},
		{"ErrTitleRequired", `{"id": "r1", "company": "C", "workplace": "onsite"}`, "title"},
		{"ErrWorkplaceRequired", `{"id": "r1", "company": "C", "title": "T"}`, "workplace"},
		{"ErrWorkplace", `{"id": "r1", "company": "C", "title": "T", "workplace": "moon"}`, "workplace"},
		{"ErrEmploymentType", `{"id": "r1", "company": "C", "title": "T", "workplace": "remote", "employment_type": "gig"}`, "employment_type"},
		{"ErrSalaryRange", `{"id": "r1", "company": "C", "title": "T", "workplace": "remote", "salary_min": 5000000, "salary_max": 3000000}`, "salary_max"},
		{"ErrStatus", `{"id": "r1", "company": "C", "title": "T", "workplace": "remote", "status": "paused"}`, "status"},
		{"ErrOccupationURI", `{"id": "r1", "company": "C", "title": "T", "workplace": "remote", "occupation_uri": "http://data.europa.eu/esco/skill/x"}`, "occupation_uri"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := importer.DecodeRole([]byte(tc.line))
			e := tsunagu.AsError(err)
			if e == nil || e.Code != tsunagu.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			if e.Fields[tc.field].ID == "" {
				t.Errorf("no error on field %q: %s", tc.field, importer.Reason(err))
			}
		})
	}
}
