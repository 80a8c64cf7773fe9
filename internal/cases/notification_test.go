package cases_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/cases"
	"github.com/tsunagu-org/tsunagu/internal/i18n"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
	"github.com/tsunagu-org/tsunagu/web"
)

// TestStaffNotificationsNamedAndTranslated: what staff are told of an
// introduction names the person and words the stage in the reader's
// language (no raw "offered" or "employer"), and a notice stored before
// it named anyone reads "the candidate", not an empty slot.
func TestStaffNotificationsNamedAndTranslated(t *testing.T) {
	f := newFixture(t)
	offeredAt(t, f, tsunagu.StageTraining, tsunagu.StageJobReady, tsunagu.StageJobSearch)
	list, err := f.db.Notifications(context.Background(), f.coord.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	var moved *tsunagu.Notification
	for _, n := range list {
		if n.Kind == tsunagu.NotifyIntroductionMove && n.Data["Stage"] == string(tsunagu.IntroOffered) {
			moved = n
		}
	}
	if moved == nil {
		t.Fatalf("no staff notification of the offer among %d", len(list))
	}
	b, err := i18n.Load(web.Locales)
	if err != nil {
		t.Fatal(err)
	}
	words := func(lang string) cases.Translator {
		p := b.Printer(lang)
		return func(id string, data map[string]any) string { return p.T(id, data) }
	}
	for _, tc := range []struct {
		lang       string
		want, deny []string
	}{
		{"ja", []string{"Amina K.", "内定", "Sakura Logistics"}, []string{"offered", "になりました。」"}},
		{"en", []string{"Amina K.", "“Offered”"}, []string{"offered", "notify."}},
		{"fr", []string{"Amina K."}, []string{"offered", "notify."}},
	} {
		t.Run("Offer"+strings.ToUpper(tc.lang), func(t *testing.T) {
			got := cases.NotificationText(words(tc.lang), moved)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, w := range tc.deny {
				if strings.Contains(got, w) {
					t.Errorf("%q has %q", got, w)
				}
			}
		})
	}
	t.Run("OverdueParty", func(t *testing.T) {
		n := &tsunagu.Notification{MessageID: "notify.staff.followup_overdue", Data: map[string]any{"Month": 3, "Party": "employer", "Role": "Clerk", "Company": "Fuji", "Name": "Omar B."}}
		for lang, want := range map[string]string{"ja": "雇用主と", "en": "with the employer"} {
			got := cases.NotificationText(words(lang), n)
			if !strings.Contains(got, want) || !strings.Contains(got, "Omar B.") || strings.Contains(got, "(employer)") || strings.Contains(got, "（employer）") {
				t.Errorf("%s: %q", lang, got)
			}
		}
	})
	t.Run("StoredWithoutName", func(t *testing.T) {
		n := &tsunagu.Notification{MessageID: "notify.staff.stale_case", Data: map[string]any{"Days": 30}}
		if got := cases.NotificationText(words("en"), n); strings.Contains(got, "no value") || !strings.Contains(got, "Candidate") {
			t.Errorf("%q", got)
		}
	})
}

// TestGroupNotifications: fifty notices of one kind on one day are one
// group; two are listed one by one, in their places.
func TestGroupNotifications(t *testing.T) {
	day := time.Date(2026, 12, 7, 9, 0, 0, 0, i18n.Zone)
	var list []*tsunagu.Notification
	add := func(kind string, at time.Time) {
		list = append(list, &tsunagu.Notification{ID: int64(len(list) + 1), Kind: kind, CreatedAt: at})
	}
	add(tsunagu.NotifyIntroduction, day.Add(2*time.Hour))
	for i := range 50 {
		add(tsunagu.NotifyStaleCase, day.Add(time.Hour-time.Duration(i)*time.Second))
	}
	add(tsunagu.NotifyIntroduction, day.Add(-time.Hour))
	add(tsunagu.NotifyStaleCase, day.Add(-24*time.Hour)) // the day before
	list[3].ReadAt = &day
	groups := cases.GroupNotifications(list, i18n.Zone)
	var got []string
	for _, g := range groups {
		got = append(got, fmt.Sprintf("%s×%d/%d", g.Kind, len(g.Items), g.Unread))
	}
	want := "[introduction×1/1 stale_case×50/49 introduction×1/1 stale_case×1/1]"
	if fmt.Sprint(got) != want {
		t.Fatalf("groups %v, want %s", got, want)
	}
}
