package matching

import (
	"context"
	"time"

	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/jobs"
)

// TaskSavedSearches runs every coordinator's saved search and notifies new
// matches in the app (periodic; it carries nothing).
const TaskSavedSearches = "match:saved_searches"

// SavedSearchesEvery is how often saved searches run.
const SavedSearchesEvery = 15 * time.Minute

// NewSavedSearchesTask returns the periodic saved-search task.
func NewSavedSearchesTask() *asynq.Task { return asynq.NewTask(TaskSavedSearches, nil) }

// RegisterTasks registers the saved-search handler and schedules it. The
// handler is RunSavedSearches, which records what it reported in the
// transaction that notifies, so a task delivered twice notifies once.
func RegisterTasks(r jobs.Registrar, s *Service) {
	r.Handle(TaskSavedSearches, func(ctx context.Context, _ *asynq.Task) error {
		_, err := s.RunSavedSearches(ctx)
		return err
	})
	r.Every(TaskSavedSearches, SavedSearchesEvery)
}
