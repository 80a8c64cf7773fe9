package jobs

import (
	"context"
	"time"

	"github.com/hibiken/asynq"
)

// TypeSavedSearches runs every coordinator's saved search and notifies new
// matches in the app (periodic; it carries nothing).
const TypeSavedSearches = "match:saved_searches"

// SavedSearchesEvery is how often saved searches run.
const SavedSearchesEvery = 15 * time.Minute

// NewSavedSearchesTask returns the periodic saved-search task.
func NewSavedSearchesTask() *asynq.Task { return asynq.NewTask(TypeSavedSearches, nil) }

// SavedSearchHandler returns the handler of the saved-search task; run is
// matching.Service.RunSavedSearches, which records what it reported in the
// transaction that notifies, so a task delivered twice notifies once.
func SavedSearchHandler(run func(ctx context.Context) (int, error)) Handler {
	return Handler{Type: TypeSavedSearches, Func: func(ctx context.Context, _ *asynq.Task) error {
		_, err := run(ctx)
		return err
	}}
}
