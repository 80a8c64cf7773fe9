package tsunagu

import (
	"strings"
	"time"
)

// WorkshopStatus is where a co-creation workshop is.
type WorkshopStatus string

// Workshop statuses: a company requests; a coordinator proposes lecturers
// and, once one has accepted, schedules; then records delivery. A request
// or a scheduled workshop may be cancelled.
const (
	WorkshopRequested WorkshopStatus = "requested"
	WorkshopScheduled WorkshopStatus = "scheduled"
	WorkshopDelivered WorkshopStatus = "delivered"
	WorkshopCancelled WorkshopStatus = "cancelled"
)

// Lecturer statuses: proposed by a coordinator, then accepted (the
// candidate consents to be named to that company) or declined.
const (
	LecturerProposed = "proposed"
	LecturerAccepted = "accepted"
	LecturerDeclined = "declined"
)

// Workshop languages a company may ask for.
var WorkshopLanguages = UILanguages

// Workshop limits.
const (
	MaxWorkshopTopic    = 200
	MaxWorkshopNotes    = 4000
	MaxWorkshopAudience = 1000
	MaxPreferredDates   = 5
)

// Workshop is a company's request for a co-creation workshop, taught by
// refugee lecturers in its staff training, and its delivery.
type Workshop struct {
	ID             int64          `json:"id"`
	CompanyID      int64          `json:"company_id"`
	CompanyName    string         `json:"company_name"`
	RequestedBy    *int64         `json:"-"`
	Topic          string         `json:"topic"`
	Audience       int            `json:"audience"`
	PreferredDates []time.Time    `json:"preferred_dates"`
	Language       string         `json:"language"`
	Notes          string         `json:"notes"`
	Status         WorkshopStatus `json:"status"`
	ScheduledAt    *time.Time     `json:"scheduled_at,omitempty"`
	Place          string         `json:"place"`
	Participants   int            `json:"participants"`
	DeliveredAt    *time.Time     `json:"delivered_at,omitempty"`
	// Lecturers holds what the viewer may see: a company sees only those
	// who accepted; HiddenLecturers counts the others for it.
	Lecturers       []*WorkshopLecturer `json:"lecturers"`
	HiddenLecturers int                 `json:"hidden_lecturers,omitempty"`
	Feedback        []*WorkshopFeedback `json:"feedback"`
	Version         int64               `json:"version"` // see Candidate.Version
	CreatedAt       time.Time           `json:"created_at"`
	UpdatedAt       time.Time           `json:"updated_at"`
}

// WorkshopLecturer is a candidate proposed to lecture at a workshop.
// A company is told the name of a lecturer who accepted, but neither
// their candidate id nor their headline until the candidate consented to
// an introduction to it (the identity rule, ActCandidateViewFull): the id
// is their anonymised card's, and the headline, free text the card leaves
// out, would point at the card by what it says (the workshop service
// blanks both, CandidateID 0).
type WorkshopLecturer struct {
	WorkshopID  int64      `json:"workshop_id" db:"workshop_id"`
	CandidateID int64      `json:"candidate_id" db:"candidate_id"`
	Name        string     `json:"name" db:"name"`
	Headline    string     `json:"headline" db:"headline"`
	UserID      *int64     `json:"-" db:"user_id"`
	Visibility  string     `json:"-" db:"visibility"`
	Status      string     `json:"status" db:"status"`
	ProposedAt  time.Time  `json:"proposed_at" db:"proposed_at"`
	RespondedAt *time.Time `json:"responded_at,omitempty" db:"responded_at"`
}

// WorkshopFeedback is what the company or a lecturer said after delivery.
type WorkshopFeedback struct {
	ID         int64     `json:"id" db:"id"`
	WorkshopID int64     `json:"workshop_id" db:"workshop_id"`
	Party      string    `json:"party" db:"party"` // company or lecturer
	AuthorID   *int64    `json:"-" db:"author_id"`
	Rating     int       `json:"rating" db:"rating"`
	Comment    string    `json:"comment" db:"comment"`
	CreatedAt  time.Time `json:"created_at" db:"created_at"`
}

// WorkshopRequest is what a company asks for.
type WorkshopRequest struct {
	CompanyID      int64       `json:"company_id"`
	Topic          string      `json:"topic" validate:"required,max=200,text,oneline" msg:"text=training.error.control_chars,oneline=training.error.one_line"`
	Audience       int         `json:"audience" validate:"range=1 1000" msg:"training.error.range"`
	PreferredDates []time.Time `json:"preferred_dates" validate:"min=1,max=5" msg:"min=workshop.error.dates_required,max=workshop.error.too_many_dates"` // within two years from today: Validate
	Language       string      `json:"language" validate:"required,workshop_lang" msg:"error.choice"`
	Notes          string      `json:"notes" validate:"max=4000,text" msg:"text=training.error.control_chars"`
}

// Validate checks a request; now bounds the preferred dates (from today).
func (r *WorkshopRequest) Validate(now time.Time) error {
	r.Topic, r.Notes = strings.TrimSpace(r.Topic), strings.TrimSpace(r.Notes)
	var v Validation
	if err := v.Merge(Check(r)); err != nil {
		return err
	}
	today := now.UTC().Truncate(24 * time.Hour)
	for _, d := range r.PreferredDates {
		if d.Before(today) || d.After(today.AddDate(2, 0, 0)) {
			v.Add("preferred_dates", "workshop.error.date_past", map[string]any{"Value": d.Format("2006-01-02")})
		}
	}
	return v.Err()
}

// WorkshopFeedbackInput is feedback as submitted.
type WorkshopFeedbackInput struct {
	Rating  int    `json:"rating" validate:"range=1 5" msg:"training.error.range"`
	Comment string `json:"comment" validate:"max=4000,text" msg:"text=training.error.control_chars"`
}

// Validate checks the feedback.
func (f *WorkshopFeedbackInput) Validate() error {
	f.Comment = strings.TrimSpace(f.Comment)
	return Check(f)
}

// LecturerWorkshop is one workshop a candidate gave, or is scheduled to
// give, as a lecturer who accepted: a line of the "Workshops given"
// section of their profile.
type LecturerWorkshop struct {
	WorkshopID   int64          `json:"workshop_id" db:"workshop_id"`
	Topic        string         `json:"topic" db:"topic"`
	Status       WorkshopStatus `json:"status" db:"status"` // scheduled or delivered
	ScheduledAt  time.Time      `json:"scheduled_at" db:"scheduled_at"`
	Language     string         `json:"language" db:"language"`
	Participants int            `json:"participants" db:"participants"` // 0 until delivered
	CompanyID    int64          `json:"company_id,omitempty" db:"company_id"`
	// CompanyName is "" when the viewer may not see which company it was
	// for (tsunagu.ActWorkshopView on that workshop decides).
	CompanyName string `json:"company_name,omitempty" db:"company_name"`
}

// LecturerHistory is a lecturer's workshops as one viewer may see them:
// either the list (Full) or, on an anonymised card, only Card.
type LecturerHistory struct {
	Full      bool               `json:"full"`
	Workshops []LecturerWorkshop `json:"workshops,omitempty"`
	Card      *CardWorkshops     `json:"card,omitempty"`
}

// Reached is how many people the delivered workshops reached.
func (h *LecturerHistory) Reached() int {
	n := 0
	for _, w := range h.Workshops {
		if w.Status == WorkshopDelivered {
			n += w.Participants
		}
	}
	return n
}

// Workshop milestone kinds on a lecturer's case timeline.
const (
	MilestoneProposed  = "proposed"
	MilestoneAccepted  = "accepted"
	MilestoneDeclined  = "declined"
	MilestoneSession   = "session" // the scheduled session itself
	MilestoneDelivered = "delivered"
	MilestoneCancelled = "cancelled"
	MilestoneFeedback  = "feedback"
)

// WorkshopMilestone is one moment of a lecturer's part in a workshop, for
// their case timeline. It is derived from the workshop tables when the
// timeline is shown, never stored.
type WorkshopMilestone struct {
	WorkshopID   int64
	Kind         string // Milestone*
	At           time.Time
	Topic        string
	CompanyName  string
	Actor        string // who did it, "" when not recorded
	Place        string // for a session
	Participants int    // for a delivery
	Party        string // for feedback: company or lecturer
	Rating       int    // for feedback
}
