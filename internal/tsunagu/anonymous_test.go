package tsunagu

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAnonymizeWorkshops(t *testing.T) {
	at := time.Date(2026, 3, 5, 5, 0, 0, 0, time.UTC)
	ws := []LecturerWorkshop{
		{WorkshopID: 1, Topic: "Sakura Logistics onboarding day", Status: WorkshopDelivered, ScheduledAt: at, Language: "en", Participants: 23, CompanyID: 9, CompanyName: "Sakura Logistics"},
		{WorkshopID: 2, Topic: "Fuji Foods diversity week", Status: WorkshopDelivered, ScheduledAt: at.AddDate(0, 1, 0), Language: "ja", Participants: 40, CompanyID: 8, CompanyName: "Fuji Foods"},
		{WorkshopID: 3, Topic: "Upcoming at Fuji Foods", Status: WorkshopScheduled, ScheduledAt: at.AddDate(0, 2, 0), Language: "ar", CompanyID: 8, CompanyName: "Fuji Foods"},
		{WorkshopID: 4, Topic: "Odd language", Status: WorkshopDelivered, ScheduledAt: at, Language: "<script>", CompanyID: 7},
	}
	t.Run("OtherCompany", func(t *testing.T) {
		c := AnonymizeWorkshops(ws, []int64{5})
		if got, want := c.Delivered, 3; got != want {
			t.Errorf("delivered = %d, want %d (scheduled ones are not counted)", got, want)
		}
		if got, want := c.Languages, []string{"en", "ja"}; !slices.Equal(got, want) {
			t.Errorf("languages = %v, want %v (closed list only)", got, want)
		}
		raw, _ := json.Marshal(c)
		for _, leak := range []string{"Sakura", "Fuji", "onboarding", "2026", "23", "40"} {
			if strings.Contains(string(raw), leak) {
				t.Errorf("card summary %s carries %q", raw, leak)
			}
		}
	})
	t.Run("HostCompanyLeftOut", func(t *testing.T) {
		c := AnonymizeWorkshops(ws, []int64{9})
		if got, want := c.Delivered, 2; got != want {
			t.Errorf("delivered = %d, want %d (the viewer's own workshop is not counted)", got, want)
		}
		if slices.Contains(c.Languages, "en") {
			t.Errorf("languages %v include the viewer's own workshop's", c.Languages)
		}
	})
	t.Run("None", func(t *testing.T) {
		c := AnonymizeWorkshops(nil, nil)
		if c.Delivered != 0 || c.Languages == nil {
			t.Errorf("empty summary = %+v", c)
		}
	})
}
