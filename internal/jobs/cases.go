package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/cases"
)

// Case task types (the cases package defines them, since it writes their
// outbox rows; listed here with the rest).
const (
	TypeFollowupDue       = cases.TaskFollowupDue
	TypeFollowupOverdue   = cases.TaskFollowupOverdue
	TypeResidenceReminder = cases.TaskResidenceReminder
	TypeStaleAlert        = cases.TaskStaleAlert
	TypeNotifyMail        = cases.TaskNotifyMail
	TypeCaseScan          = cases.TaskScan
)

// CaseScanEvery is how often the scheduler plans residence reminders and
// stale-case alerts.
const CaseScanEvery = time.Hour

// NewCaseScanTask returns the periodic scan task (it carries nothing).
func NewCaseScanTask() *asynq.Task { return asynq.NewTask(TypeCaseScan, nil) }

// CaseHandlers returns the handlers of the case tasks. Each outbox task
// carries its outbox row id and the ids it acts on; a payload without them
// cannot succeed by retrying and wraps asynq.SkipRetry.
func CaseHandlers(s *cases.Service) []Handler {
	return []Handler{
		{Type: TypeFollowupDue, Func: outboxHandler(func(ctx context.Context, p Payload) error {
			return s.HandleFollowupDue(ctx, p.OutboxID, p.IDs["followup_id"])
		}, "followup_id")},
		{Type: TypeFollowupOverdue, Func: outboxHandler(func(ctx context.Context, p Payload) error {
			return s.HandleFollowupOverdue(ctx, p.OutboxID, p.IDs["followup_id"])
		}, "followup_id")},
		{Type: TypeResidenceReminder, Func: outboxHandler(func(ctx context.Context, p Payload) error {
			return s.HandleResidenceReminder(ctx, p.OutboxID, p.IDs["case_id"], p.IDs["days"], p.IDs["expiry"])
		}, "case_id", "days", "expiry")},
		{Type: TypeStaleAlert, Func: outboxHandler(func(ctx context.Context, p Payload) error {
			return s.HandleStaleAlert(ctx, p.OutboxID, p.IDs["case_id"], p.IDs["since"])
		}, "case_id", "since")},
		{Type: TypeNotifyMail, Func: outboxHandler(func(ctx context.Context, p Payload) error {
			return s.HandleNotifyMail(ctx, p.OutboxID, p.IDs["notification_id"])
		}, "notification_id")},
		{Type: TypeCaseScan, Func: func(ctx context.Context, t *asynq.Task) error { return s.Scan(ctx) }},
	}
}

// outboxHandler decodes an outbox task, checks it names its row and the
// ids in need, and runs fn.
func outboxHandler(fn func(ctx context.Context, p Payload) error, need ...string) func(ctx context.Context, t *asynq.Task) error {
	return func(ctx context.Context, t *asynq.Task) error {
		p, err := Decode(t)
		if err != nil {
			return err
		}
		if p.OutboxID == 0 {
			return fmt.Errorf("%s: no outbox id: %w", t.Type(), asynq.SkipRetry)
		}
		for _, k := range need {
			if _, ok := p.IDs[k]; !ok {
				return fmt.Errorf("%s: no %s: %w", t.Type(), k, asynq.SkipRetry)
			}
		}
		return fn(ctx, p)
	}
}
