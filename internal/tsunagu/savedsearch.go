package tsunagu

import (
	"strings"
	"time"
	"unicode/utf8"
)

// NotifySavedSearch is the kind of a notification that a saved search
// found new candidates.
const NotifySavedSearch = "saved_search"

// SavedSearch is a coordinator's search of the candidate pool, run
// periodically; new matches are notified in the app.
type SavedSearch struct {
	ID          int64      `json:"id" db:"id"`
	UserID      int64      `json:"user_id" db:"user_id"`
	Name        string     `json:"name" db:"name"`
	Query       string     `json:"query" db:"query"`
	JapaneseMin int        `json:"japanese_min" db:"japanese_min"` // JapaneseRank, 0: any
	Prefecture  string     `json:"prefecture" db:"prefecture"`
	Workplace   string     `json:"workplace" db:"workplace"`
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
func (s *SavedSearch) Validate() error {
	var v Validation
	if s.Name == "" {
		v.Add("name", "error.required", nil)
	} else if utf8.RuneCountInString(s.Name) > 100 {
		v.Add("name", "error.too_long", map[string]any{"Max": 100})
	}
	if utf8.RuneCountInString(s.Query) > 200 {
		v.Add("q", "error.too_long", map[string]any{"Max": 200})
	}
	if s.JapaneseMin < 0 || s.JapaneseMin > 6 {
		v.Add("japanese", "error.choice", nil)
	}
	if s.Prefecture != "" {
		if _, ok := FindPrefecture(s.Prefecture); !ok {
			v.Add("prefecture", "error.choice", nil)
		}
	}
	if s.Workplace != "" {
		ok := false
		for _, w := range Workplaces {
			ok = ok || w == s.Workplace
		}
		if !ok {
			v.Add("workplace", "error.choice", nil)
		}
	}
	return v.Err()
}
