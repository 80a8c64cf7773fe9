package workshop_test

import (
	"slices"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TestLecturerHistoryAndMilestones: a lecturer who accepted sees the
// session, delivery and feedback on their case timeline; one who declined
// only the proposal and their answer; a cancelled workshop leaves the
// profile but stays on the timeline. Who may see what is decided here.
func TestLecturerHistoryAndMilestones(t *testing.T) {
	f := newFixture(t)
	coord := as(f.coord)
	w := f.request(t)
	gone := f.request(t)
	for _, id := range []int64{w.ID, gone.ID} {
		if err := f.svc.ProposeLecturer(coord, id, f.speakerID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Respond(as(f.speaker), id, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.svc.ProposeLecturer(coord, w.ID, f.shyID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Respond(as(f.shy), w.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Schedule(coord, w.ID, 0, f.now.AddDate(0, 1, 0), "Tokyo office"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RecordDelivery(coord, w.ID, 0, 28); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*tsunagu.User{f.comp, f.speaker} {
		if err := f.svc.GiveFeedback(as(u), w.ID, tsunagu.WorkshopFeedbackInput{Rating: 4}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.svc.Cancel(coord, gone.ID, 0); err != nil {
		t.Fatal(err)
	}

	kinds := func(ms []tsunagu.WorkshopMilestone, id int64) []string {
		var out []string
		for _, m := range ms {
			if m.WorkshopID == id {
				k := m.Kind
				if m.Party != "" {
					k += ":" + m.Party
				}
				out = append(out, k)
			}
		}
		return out
	}

	t.Run("MilestonesOfTheLecturer", func(t *testing.T) {
		ms, err := f.svc.CaseMilestones(coord, f.speakerID)
		if err != nil {
			t.Fatal(err)
		}
		// The session is a month ahead, so it comes last.
		want := []string{"proposed", "accepted", "delivered", "feedback:company", "feedback:lecturer", "session"}
		if got := kinds(ms, w.ID); !slices.Equal(got, want) {
			t.Errorf("milestones = %v, want %v", got, want)
		}
		if got, want := kinds(ms, gone.ID), []string{"proposed", "accepted", "cancelled"}; !slices.Equal(got, want) {
			t.Errorf("cancelled workshop milestones = %v, want %v", got, want)
		}
		for i := 1; i < len(ms); i++ {
			if ms[i].At.Before(ms[i-1].At) {
				t.Errorf("milestone %d (%s) before %d (%s)", i, ms[i].At, i-1, ms[i-1].At)
			}
		}
	})

	t.Run("MilestonesOfOneWhoDeclined", func(t *testing.T) {
		ms, err := f.svc.CaseMilestones(coord, f.shyID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := kinds(ms, w.ID), []string{"proposed", "declined"}; !slices.Equal(got, want) {
			t.Errorf("milestones = %v, want %v", got, want)
		}
	})

	t.Run("LecturerSeesOnlyOwnFeedback", func(t *testing.T) {
		// A workshop's feedback is shown to staff and its author only
		// (the workshop page's rule): the lecturer's own timeline does
		// not carry the company's rating or its author's name.
		ms, err := f.svc.CaseMilestones(as(f.speaker), f.speakerID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := kinds(ms, w.ID), []string{"proposed", "accepted", "delivered", "feedback:lecturer", "session"}; !slices.Equal(got, want) {
			t.Errorf("the lecturer's own milestones = %v, want %v", got, want)
		}
		for _, m := range ms {
			if m.Actor == f.comp.DisplayName {
				t.Errorf("the lecturer's timeline names the company's user: %+v", m)
			}
		}
	})

	t.Run("MilestonesFollowTheCaseRule", func(t *testing.T) {
		if _, err := f.svc.CaseMilestones(as(f.speaker), f.speakerID); err != nil {
			t.Errorf("the lecturer's own: %v", err)
		}
		for _, u := range []*tsunagu.User{f.comp, f.shy} {
			if _, err := f.svc.CaseMilestones(as(u), f.speakerID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
				t.Errorf("%s sees the milestones: %v", u.DisplayName, err)
			}
		}
	})

	t.Run("HistoryInFull", func(t *testing.T) {
		for _, u := range []*tsunagu.User{f.coord, f.speaker} {
			h, err := f.svc.LecturerHistory(as(u), f.speakerID)
			if err != nil {
				t.Fatal(err)
			}
			if !h.Full || len(h.Workshops) != 1 || h.Workshops[0].CompanyName != "Sakura Logistics" || h.Workshops[0].Participants != 28 {
				t.Errorf("%s sees %+v, want the delivered workshop with its company (not the cancelled one)", u.DisplayName, h)
			}
		}
	})

	t.Run("HistoryOnTheCard", func(t *testing.T) {
		h, err := f.svc.LecturerHistory(as(f.other), f.speakerID)
		if err != nil {
			t.Fatal(err)
		}
		if h.Full || h.Workshops != nil || h.Card == nil || h.Card.Delivered != 1 {
			t.Errorf("another company sees %+v, want the card summary counting one", h)
		}
		h, err = f.svc.LecturerHistory(as(f.comp), f.speakerID)
		if err != nil {
			t.Fatal(err)
		}
		if h.Full || h.Card == nil || h.Card.Delivered != 0 {
			t.Errorf("the host company sees %+v, want a summary without its own workshop", h)
		}
		if _, err := f.svc.LecturerHistory(as(f.shy), f.speakerID); tsunagu.ErrorCode(err) != tsunagu.ENOTFOUND {
			t.Errorf("another candidate sees the history: %v", err)
		}
	})
}

// BenchmarkLecturerHistory is what the section adds to a card page viewed
// by a company (two queries: the lecturer with their workshops, and the
// consent check).
//
//	go test -run '^$' -bench LecturerHistory ./internal/workshop/
func BenchmarkLecturerHistory(b *testing.B) {
	f := newFixture(b)
	w := f.request(b)
	if err := f.svc.ProposeLecturer(as(f.coord), w.ID, f.speakerID); err != nil {
		b.Fatal(err)
	}
	if err := f.svc.Respond(as(f.speaker), w.ID, true); err != nil {
		b.Fatal(err)
	}
	ctx := as(f.other)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.svc.LecturerHistory(ctx, f.speakerID); err != nil {
			b.Fatal(err)
		}
	}
}
