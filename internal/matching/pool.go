package matching

import (
	"context"
	"fmt"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/search"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// PoolQuery is a coordinator's search of the pool.
type PoolQuery struct {
	Text string
	tsunagu.PoolFilters
	Limit int // default 20, at most 100
}

// PoolHit is one candidate found, as staff see it.
type PoolHit struct {
	search.Hit
	OccupationLabel string `json:"occupation_label,omitempty"`
	JapaneseLevel   string `json:"japanese_level,omitempty"`
	Prefecture      string `json:"prefecture,omitempty"`
	Relocate        bool   `json:"willing_to_relocate"`
	Workplace       string `json:"workplace_preference,omitempty"`
}

func (q PoolQuery) filters() search.Filters {
	f := q.PoolFilters
	f.Normalize()
	return f
}

// SearchPool searches the whole pool with free text and filters (staff:
// ActCandidateList). Hidden candidates never appear. Returns EUNAUTHORIZED,
// EFORBIDDEN.
func (s *Service) SearchPool(ctx context.Context, q PoolQuery, lang string) ([]PoolHit, error) {
	u, err := tsunagu.Actor(ctx)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActCandidateList, tsunagu.Subject{}) {
		return nil, tsunagu.Forbidden()
	}
	return s.searchPool(ctx, u, q, lang)
}

func (s *Service) searchPool(ctx context.Context, u *tsunagu.User, q PoolQuery, lang string) ([]PoolHit, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 100)
	hits, err := s.Index.SearchCandidates(ctx, q.Text, q.filters(), search.Options{Viewer: u, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]PoolHit, 0, len(hits))
	for _, h := range hits {
		ph := PoolHit{Hit: h}
		if p, err := s.Index.Profile(search.KindCandidate, h.CandidateID); err == nil {
			ph.JapaneseLevel, ph.Prefecture, ph.Relocate, ph.Workplace = JapaneseLevel(p.Japanese), p.Prefecture, p.Relocate, p.Workplace
		}
		if h.Occupation != "" && s.OccupationLabel != nil {
			ph.OccupationLabel = s.OccupationLabel(h.Occupation, lang)
		}
		out = append(out, ph)
	}
	return out, nil
}

// staff returns the signed-in user when they may search the pool.
func staff(ctx context.Context) (*tsunagu.User, error) {
	return tsunagu.ActorMay(ctx, tsunagu.ActCandidateList)
}

// SavedSearches lists the caller's saved searches (staff).
// Returns EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) SavedSearches(ctx context.Context) ([]*tsunagu.SavedSearch, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	return s.DB.SavedSearchesOfUser(ctx, u.ID)
}

// FindSavedSearch returns one of the caller's saved searches.
// Returns EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND (also for another's).
func (s *Service) FindSavedSearch(ctx context.Context, id int64) (*tsunagu.SavedSearch, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	ss, err := s.DB.SavedSearchByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if ss.UserID != u.ID {
		return nil, tsunagu.NotFound()
	}
	return ss, nil
}

// SaveSearch saves a search for the caller. The candidates it finds now
// are recorded as seen, so only later matches are notified. Returns
// EUNAUTHORIZED, EFORBIDDEN, EINVALID with per-field errors.
func (s *Service) SaveSearch(ctx context.Context, ss *tsunagu.SavedSearch) error {
	u, err := staff(ctx)
	if err != nil {
		return err
	}
	ss.ID, ss.UserID = 0, u.ID
	ss.Normalize()
	if err := ss.Validate(); err != nil {
		return err
	}
	if err := s.DB.CreateSavedSearch(ctx, ss); err != nil {
		return err
	}
	_, err = s.runSaved(ctx, u, ss, false)
	return err
}

// DeleteSavedSearch deletes one of the caller's saved searches.
// Returns EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
func (s *Service) DeleteSavedSearch(ctx context.Context, id int64) error {
	if _, err := s.FindSavedSearch(ctx, id); err != nil {
		return err
	}
	return s.DB.DeleteSavedSearch(ctx, id)
}

// savedLimit is how many candidates a saved search looks at per run.
const savedLimit = 100

// RunSavedSearches runs every saved search and notifies each owner, in the
// app, of candidates it finds for the first time: one notification per
// search and run, naming how many. Safe to run twice or concurrently: the
// candidates found are recorded in the transaction that notifies, under a
// lock on the search, so each is reported once. It returns how many
// notifications it wrote.
func (s *Service) RunSavedSearches(ctx context.Context) (int, error) {
	if s.Ready != nil {
		if err := s.Ready(ctx); err != nil {
			return 0, err
		}
	}
	list, err := s.DB.SavedSearchesToRun(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, ss := range list {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		u, err := s.DB.UserByID(ctx, ss.UserID)
		if err != nil {
			return sent, err
		}
		n, err := s.runSaved(tsunagu.NewContextWithUser(ctx, u), u, ss, true)
		if err != nil {
			if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
				continue // deleted meanwhile
			}
			return sent, fmt.Errorf("saved search %d: %w", ss.ID, err)
		}
		if n > 0 {
			sent++
		}
	}
	return sent, nil
}

// runSaved runs one saved search as u and records what it found; with
// notify, it tells u of the new candidates. Returns how many were new.
func (s *Service) runSaved(ctx context.Context, u *tsunagu.User, ss *tsunagu.SavedSearch, notify bool) (int, error) {
	hits, err := s.Index.SearchCandidates(ctx, ss.Query, PoolQuery{PoolFilters: ss.PoolFilters}.filters(), search.Options{Viewer: u, Limit: savedLimit})
	if err != nil {
		return 0, err
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.CandidateID
	}
	var fresh []int64
	err = s.DB.InTx(ctx, func(tx *postgres.Tx) error {
		if err := postgres.LockSavedSearch(ctx, tx, ss.ID); err != nil {
			return err
		}
		fresh, err = postgres.AddSavedSearchHits(ctx, tx, ss.ID, ids, s.now())
		if err != nil || !notify || len(fresh) == 0 {
			return err
		}
		return postgres.AddNotification(ctx, tx, &tsunagu.Notification{UserID: u.ID, Kind: tsunagu.NotifySavedSearch,
			MessageID: "match.notify.saved_search", Data: map[string]any{"Name": ss.Name, "N": len(fresh)},
			Link: fmt.Sprintf("/coordinator/search?saved=%d", ss.ID)})
	})
	return len(fresh), err
}
