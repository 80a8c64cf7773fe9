package profile

import (
	"context"
	"time"

	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/jobs"
)

// TaskDuplicates is the task type of the nightly duplicate scan: it lists
// the likely duplicate pairs for review (ScanDuplicates). It carries no
// payload and is idempotent (a pair found again is recorded once).
const TaskDuplicates = "profile:duplicates"

// DuplicatesEvery is how often the scan runs.
const DuplicatesEvery = 24 * time.Hour

// RegisterTasks registers the duplicate scan and has the one scheduler run
// it nightly. It stops when ctx is cancelled.
func RegisterTasks(r jobs.Registrar, s *Service) {
	r.Handle(TaskDuplicates, func(ctx context.Context, _ *asynq.Task) error {
		_, err := s.ScanDuplicates(ctx)
		return err
	})
	r.Every(TaskDuplicates, DuplicatesEvery)
}
