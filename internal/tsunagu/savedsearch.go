package tsunagu

import (
	"strings"
	"time"
)

// NotifySavedSearch is the kind of a notification that a saved search
// found new candidates.
const NotifySavedSearch = "saved_search"

// SavedSearch is a coordinator's search of the candidate pool, run
// periodically; new matches are notified in the app.
type SavedSearch struct {
	ID          int64      `json:"id" db:"id"`
	UserID      int64      `json:"user_id" db:"user_id"`
	Name        string     `json:"name" db:"name" validate:"required,max=100"`
	Query       string     `json:"query" db:"query" field:"q" validate:"max=200"`
	JapaneseMin int        `json:"japanese_min" db:"japanese_min" field:"japanese" validate:"range=0 6" msg:"error.choice"` // JapaneseRank, 0: any
	Prefecture  string     `json:"prefecture" db:"prefecture" validate:"prefecture" msg:"error.choice"`
	Workplace   string     `json:"workplace" db:"workplace" validate:"workplace" msg:"error.choice"`
	CreatedAt   time.Time  `json:"created_at" db:"created_at"`
	LastRunAt   *time.Time `json:"last_run_at,omitempty" db:"last_run_at"`
}

// Normalize trims the fields and stores the prefecture by its English name.
func (s *SavedSearch) Normalize() {
	s.Name = strings.TrimSpace(s.Name)
	s.Query = strings.TrimSpace(s.Query)
	s.Prefecture = strings.TrimSpace(s.Prefecture)
	if p, ok := NormalizePrefecture(s.Prefecture); ok {
		s.Prefecture = p
	}
	s.Workplace = strings.TrimSpace(s.Workplace)
}

// Validate checks a saved search: a name, bounded text, a known Japanese
// level, prefecture and workplace. Returns EINVALID with per-field errors.
func (s *SavedSearch) Validate() error { return Check(s) }
