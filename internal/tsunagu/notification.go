package tsunagu

import "time"

// Notification kinds.
const (
	NotifyFollowupDue      = "followup_due"
	NotifyFollowupOverdue  = "followup_overdue"
	NotifyResidenceExpiry  = "residence_expiry"
	NotifyStaleCase        = "stale_case"
	NotifyIntroduction     = "introduction"
	NotifyIntroductionMove = "introduction_move"
)

// Notification is an in-app notice for one user. MessageID names a
// catalogue message that Data fills; Link is a local path.
type Notification struct {
	ID        int64          `json:"id" db:"id"`
	UserID    int64          `json:"user_id" db:"user_id"`
	Kind      string         `json:"kind" db:"kind"`
	MessageID string         `json:"message_id" db:"message_id"`
	Data      map[string]any `json:"data" db:"-"`
	Link      string         `json:"link" db:"link"`
	CreatedAt time.Time      `json:"created_at" db:"created_at"`
	ReadAt    *time.Time     `json:"read_at,omitempty" db:"read_at"`
}
