package workshop

import (
	"context"

	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/jobs"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
)

// TaskReminder is the task type of a workshop reminder: the company, the
// lecturers and the coordinators of a scheduled workshop are reminded
// (Schedule writes its outbox row).
const TaskReminder = "workshop:reminder"

// NewReminderTask returns a reminder task for an outbox row: ids only (the
// workshop and the scheduled time it was planned for).
func NewReminderTask(outboxID, workshopID, at int64) (*asynq.Task, error) {
	return jobs.NewOutboxTask(TaskReminder, outboxID, map[string]int64{"workshop_id": workshopID, "at": at})
}

// RegisterTasks registers the reminder handler. A reminder claims its
// outbox row in the transaction that writes the notifications and mail, so
// a task delivered twice reminds once; it stops when ctx is cancelled and
// the transaction rolls back. A payload without the outbox row, the
// workshop or the time wraps asynq.SkipRetry.
func RegisterTasks(r jobs.Registrar, s *Service) {
	r.Handle(TaskReminder, jobs.OutboxHandler(func(ctx context.Context, p jobs.Payload) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return s.DB.InTx(ctx, func(tx *postgres.Tx) error {
			ok, err := postgres.ClaimOutbox(ctx, tx, p.OutboxID)
			if err != nil || !ok {
				return err
			}
			return s.Remind(ctx, tx, p.IDs["workshop_id"], p.IDs["at"])
		})
	}, "workshop_id", "at"))
}
