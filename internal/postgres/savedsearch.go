package postgres

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// savedSearchColumns lists the saved_searches columns: the db tags of
// tsunagu.SavedSearch, its filters (tsunagu.PoolFilters) a column each.
var savedSearchColumns = columns(tsunagu.SavedSearch{})

var savedSearchSelect = `SELECT ` + qualified("s", savedSearchColumns) + ` FROM saved_searches s`

// CreateSavedSearch saves s and sets its ID and CreatedAt.
func (db *DB) CreateSavedSearch(ctx context.Context, s *tsunagu.SavedSearch) error {
	cols := slices.Concat([]string{"user_id", "name", "query"}, columns(tsunagu.PoolFilters{}))
	q := `INSERT INTO saved_searches (` + strings.Join(cols, ", ") + `)
		VALUES (` + namedParams(cols) + `)
		RETURNING id, created_at`
	rows, err := db.NamedQueryContext(ctx, q, s)
	if err != nil {
		return mapError(err, "create saved search")
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&s.ID, &s.CreatedAt); err != nil {
			return mapError(err, "create saved search")
		}
	}
	return mapError(rows.Err(), "create saved search")
}

// SavedSearchByID returns a saved search. ENOTFOUND when there is none.
func (db *DB) SavedSearchByID(ctx context.Context, id int64) (*tsunagu.SavedSearch, error) {
	var s tsunagu.SavedSearch
	if err := db.GetContext(ctx, &s, savedSearchSelect+` WHERE s.id = $1`, id); err != nil {
		return nil, mapError(err, "saved search")
	}
	return &s, nil
}

// SavedSearchesOfUser lists a user's saved searches, oldest first.
func (db *DB) SavedSearchesOfUser(ctx context.Context, userID int64) ([]*tsunagu.SavedSearch, error) {
	out := []*tsunagu.SavedSearch{}
	if err := db.SelectContext(ctx, &out, savedSearchSelect+` WHERE s.user_id = $1 ORDER BY s.id`, userID); err != nil {
		return nil, mapError(err, "saved searches")
	}
	return out, nil
}

// SavedSearchesToRun lists every saved search of an enabled staff account.
func (db *DB) SavedSearchesToRun(ctx context.Context) ([]*tsunagu.SavedSearch, error) {
	q := savedSearchSelect + `
		JOIN users u ON u.id = s.user_id
		WHERE NOT u.disabled AND u.role IN ('coordinator', 'admin')
		ORDER BY s.id`
	out := []*tsunagu.SavedSearch{}
	if err := db.SelectContext(ctx, &out, q); err != nil {
		return nil, mapError(err, "saved searches to run")
	}
	return out, nil
}

// DeleteSavedSearch removes a saved search. ENOTFOUND when there is none.
func (db *DB) DeleteSavedSearch(ctx context.Context, id int64) error {
	res, err := db.ExecContext(ctx, `DELETE FROM saved_searches WHERE id = $1`, id)
	if err != nil {
		return mapError(err, "delete saved search")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
	}
	return nil
}

// AddSavedSearchHits records candidates a saved search found and returns
// those it had not found before, in the order given; it stamps the run.
// Called inside the transaction that notifies, so each is reported once.
func AddSavedSearchHits(ctx context.Context, tx *Tx, searchID int64, candidateIDs []int64, at time.Time) ([]int64, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE saved_searches SET last_run_at = $2 WHERE id = $1`, searchID, at); err != nil {
		return nil, mapError(err, "stamp saved search")
	}
	if len(candidateIDs) == 0 {
		return nil, nil
	}
	const q = `
		INSERT INTO saved_search_hits (saved_search_id, candidate_id, found_at)
		SELECT $1, c.id, $3 FROM unnest($2::bigint[]) AS x(id) JOIN candidates c ON c.id = x.id
		ON CONFLICT DO NOTHING
		RETURNING candidate_id`
	var fresh []int64
	if err := tx.SelectContext(ctx, &fresh, q, searchID, pq.Array(candidateIDs), at); err != nil {
		return nil, mapError(err, "add saved search hits")
	}
	isNew := make(map[int64]bool, len(fresh))
	for _, id := range fresh {
		isNew[id] = true
	}
	out := make([]int64, 0, len(fresh))
	for _, id := range candidateIDs {
		if isNew[id] {
			out = append(out, id)
			delete(isNew, id)
		}
	}
	return out, nil
}

// LockSavedSearch locks a saved search row for one run (ENOTFOUND when it
// was deleted meanwhile).
func LockSavedSearch(ctx context.Context, tx *Tx, id int64) error {
	var got int64
	err := tx.GetContext(ctx, &got, `SELECT id FROM saved_searches WHERE id = $1 FOR UPDATE`, id)
	return mapError(err, "lock saved search")
}
