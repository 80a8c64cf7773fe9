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
	ID     int64  `json:"id" db:"id"`
	UserID int64  `json:"user_id" db:"user_id"`
	Name   string `json:"name" db:"name" validate:"required,max=100"`
	Query  string `json:"query" db:"query" field:"q" validate:"max=200"`
	PoolFilters
	CreatedAt time.Time  `json:"created_at" db:"created_at"`
	LastRunAt *time.Time `json:"last_run_at,omitempty" db:"last_run_at"`
}

// Normalize trims the fields and stores the prefecture by its English name.
func (s *SavedSearch) Normalize() {
	s.Name = strings.TrimSpace(s.Name)
	s.Query = strings.TrimSpace(s.Query)
	s.PoolFilters.Normalize()
}

// PoolFilters narrow a search of the candidate pool. They are the one
// filter shape of a role's matches (matching.MatchQuery), a pool search
// (matching.PoolQuery), a saved search (a column each) and the index
// (search.Filters): a new filter is a field here, read from a query string
// or a form by its JSON name (field tag: the name in forms and errors).
type PoolFilters struct {
	JapaneseMin int    `json:"japanese_min" db:"japanese_min" field:"japanese" validate:"range=0 6" msg:"error.choice"` // JapaneseRank, 0: any
	Prefecture  string `json:"prefecture" db:"prefecture" validate:"prefecture" msg:"error.choice"`                     // lives there, prefers it or would relocate ("": anywhere)
	Workplace   string `json:"workplace" db:"workplace" validate:"workplace" msg:"error.choice"`                        // preferred workplace ("": any)

	// A true fact keeps only the candidates holding it.
	CandidateFacts
}

// Normalize trims the filters and names the prefecture by its English name.
func (f *PoolFilters) Normalize() {
	f.Prefecture = strings.TrimSpace(f.Prefecture)
	if p, ok := NormalizePrefecture(f.Prefecture); ok {
		f.Prefecture = p
	}
	f.Workplace = strings.TrimSpace(f.Workplace)
}

// Any reports whether a filter is set.
func (f PoolFilters) Any() bool { return f != PoolFilters{} }

// Validate checks a saved search: a name, bounded text, a known Japanese
// level, prefecture and workplace. Returns EINVALID with per-field errors.
func (s *SavedSearch) Validate() error { return Check(s) }
