package http

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func postForm(form url.Values) *gin.Context {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("POST", "/", strings.NewReader(form.Encode()))
	c.Request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c
}

func TestBindForm(t *testing.T) {
	uid := int64(7)
	stored := func() *tsunagu.Candidate {
		return &tsunagu.Candidate{ID: 3, UserID: &uid, Name: "Old", Summary: "kept", SpeakerOptIn: true,
			DesiredOccupations: []string{"http://data.europa.eu/esco/occupation/x"},
			Skills:             []tsunagu.SkillRef{{Label: "old"}}}
	}
	t.Run("OK", func(t *testing.T) {
		c := stored()
		err := BindForm(postForm(url.Values{
			"id": {"99"}, "user_id": {"1"}, "name": {"  Amal  "}, "speaker_opt_in": {""},
			"willing_to_relocate": {"", "on"}, "available_from": {"2027-04-01"},
			"skills[0].label": {""}, "skills[1].label": {"Bookkeeping"}, "skills[1].years": {"2.5"},
			"skills[2].label": {""}, "certifications": {"A\r\n\nB "}, "location.prefecture": {"Tokyo"},
		}), c)
		if err != nil {
			t.Fatal(err)
		}
		if c.ID != 3 || c.UserID != &uid {
			t.Errorf("form:\"-\" fields were read: id %d user %v", c.ID, c.UserID)
		}
		if c.Name != "Amal" || c.Summary != "kept" || len(c.DesiredOccupations) != 1 {
			t.Errorf("name %q summary %q desired %v: want posted fields replaced, others kept", c.Name, c.Summary, c.DesiredOccupations)
		}
		if c.SpeakerOptIn || !c.WillingToRelocate {
			t.Errorf("checkboxes: speaker %v relocate %v", c.SpeakerOptIn, c.WillingToRelocate)
		}
		if len(c.Skills) != 1 || c.Skills[0].Label != "Bookkeeping" || c.Skills[0].Years != 2.5 {
			t.Errorf("skills %+v: want the one filled row", c.Skills)
		}
		if strings.Join(c.Certifications, "|") != "A|B" {
			t.Errorf("certifications %q", c.Certifications)
		}
		if c.AvailableFrom == nil || !c.AvailableFrom.Equal(time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("available_from %v", c.AvailableFrom)
		}
		if c.Location.Prefecture != "Tokyo" {
			t.Errorf("location %+v", c.Location)
		}
	})
	t.Run("ListEmptied", func(t *testing.T) {
		c := stored()
		if err := BindForm(postForm(url.Values{"skills[0].label": {" "}}), c); err != nil {
			t.Fatal(err)
		}
		if c.Skills == nil || len(c.Skills) != 0 {
			t.Errorf("skills %#v: want an empty list", c.Skills)
		}
	})
	t.Run("ErrFields", func(t *testing.T) {
		c := stored()
		err := BindForm(postForm(url.Values{"name": {"New"}, "skills[1].years": {"two"}, "residence_expiry": {"1 April"}}), c)
		e := tsunagu.AsError(err)
		if e == nil || e.Code != tsunagu.EINVALID {
			t.Fatalf("err %v: want EINVALID", err)
		}
		if e.Fields["skills[1].years"].ID != "error.invalid_number" || e.Fields["residence_expiry"].ID != tsunagu.MsgInvalidDate {
			t.Errorf("fields %+v", e.Fields)
		}
		if c.Name != "Old" {
			t.Errorf("name %q: a refused form must change nothing", c.Name)
		}
	})
	t.Run("Numbers", func(t *testing.T) {
		r := &tsunagu.JobRole{ID: 5, Status: "open"}
		if err := BindForm(postForm(url.Values{"id": {"1"}, "salary_min": {"4,000,000"}, "status": {"closed"}}), r); err != nil {
			t.Fatal(err)
		}
		if r.ID != 5 || r.SalaryMin != 4_000_000 || r.Status != "closed" {
			t.Errorf("role %+v", r)
		}
	})
}

func TestFormFields(t *testing.T) {
	d := time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	f := FormFields(&tsunagu.Candidate{Name: "Amal", WillingToRelocate: true, AvailableFrom: &d,
		Certifications: []string{"A", "B"}, Skills: []tsunagu.SkillRef{{Label: "x", Years: 1.5}}, Location: tsunagu.Location{Prefecture: "Osaka"}})
	want := map[string]string{"name": "Amal", "willing_to_relocate": "on", "available_from": "2027-04-01",
		"certifications": "A\nB", "skills[0].label": "x", "skills[0].years": "1.5", "location.prefecture": "Osaka"}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("%s = %q, want %q", k, f[k], v)
		}
	}
	for _, k := range []string{"speaker_opt_in", "residence_expiry", "skills[0].level"} {
		if _, ok := f[k]; ok {
			t.Errorf("%s = %q, want absent", k, f[k])
		}
	}
}
