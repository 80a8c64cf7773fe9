package jobs

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/workshop"
)

// TypeWorkshopReminder reminds the company, the lecturers and the
// coordinators of a scheduled workshop (the workshop package writes its
// outbox rows when it schedules).
const TypeWorkshopReminder = workshop.TaskReminder

// NewWorkshopReminderTask returns a reminder task for an outbox row: ids
// only (the workshop and the scheduled time it was planned for).
func NewWorkshopReminderTask(outboxID, workshopID, at int64) (*asynq.Task, error) {
	return newOutboxTask(TypeWorkshopReminder, outboxID, map[string]int64{"workshop_id": workshopID, "at": at})
}

func newOutboxTask(typ string, outboxID int64, ids map[string]int64) (*asynq.Task, error) {
	b, err := json.Marshal(Payload{OutboxID: outboxID, IDs: ids})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(typ, b), nil
}

// WorkshopHandlers returns the handlers of the workshop tasks. A reminder
// claims its outbox row in the transaction that writes the notifications
// and mail, so a task delivered twice reminds once; it stops when ctx is
// cancelled and the transaction rolls back.
func WorkshopHandlers(db *postgres.DB, s *workshop.Service) []Handler {
	return []Handler{{Type: TypeWorkshopReminder, Func: func(ctx context.Context, t *asynq.Task) error {
		p, err := Decode(t)
		if err != nil {
			return err
		}
		wid, okW := p.IDs["workshop_id"]
		at, okA := p.IDs["at"]
		if p.OutboxID == 0 || !okW || !okA {
			return fmt.Errorf("%s: payload lacks outbox_id, workshop_id or at: %w", t.Type(), asynq.SkipRetry)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return db.InTx(ctx, func(tx *postgres.Tx) error {
			ok, err := postgres.ClaimOutbox(ctx, tx, p.OutboxID)
			if err != nil || !ok {
				return err
			}
			return s.Remind(ctx, tx, wid, at)
		})
	}}}
}
