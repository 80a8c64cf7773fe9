package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// Registrar is how a feature hands its tasks to the worker. Each feature
// defines its task types, their constructors and handlers in its own
// tasks.go and registers them here (cases.RegisterTasks, ...); jobs knows
// none of them.
type Registrar interface {
	// Handle serves the tasks of type typ with fn.
	Handle(typ string, fn func(ctx context.Context, t *asynq.Task) error)
	// Every has the one scheduler enqueue a task of type typ, without a
	// payload, once per interval.
	Every(typ string, interval time.Duration)
}

// Tasks is the Registrar a process collects its features' tasks in; a
// Worker serves its Handlers and schedules its Periodic tasks.
type Tasks struct {
	Handlers []Handler
	// Periodic tasks: type → interval.
	Periodic map[string]time.Duration
}

// Handle implements Registrar. A type registered twice is a wiring
// mistake and panics, as asynq.ServeMux does.
func (ts *Tasks) Handle(typ string, fn func(ctx context.Context, t *asynq.Task) error) {
	if ts.Handler(typ) != nil {
		panic("jobs: task type registered twice: " + typ)
	}
	ts.Handlers = append(ts.Handlers, Handler{Type: typ, Func: fn})
}

// Every implements Registrar.
func (ts *Tasks) Every(typ string, interval time.Duration) {
	if ts.Periodic == nil {
		ts.Periodic = map[string]time.Duration{}
	}
	ts.Periodic[typ] = interval
}

// Handler returns the handler registered for typ, nil when none is.
func (ts *Tasks) Handler(typ string) func(ctx context.Context, t *asynq.Task) error {
	for _, h := range ts.Handlers {
		if h.Type == typ {
			return h.Func
		}
	}
	return nil
}

// NewOutboxTask returns a task of type typ for an outbox row: its id and
// the ids the handler needs, nothing else.
func NewOutboxTask(typ string, outboxID int64, ids map[string]int64) (*asynq.Task, error) {
	b, err := json.Marshal(Payload{OutboxID: outboxID, IDs: ids})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(typ, b), nil
}

// OutboxHandler returns the handler of an outbox task: it decodes the
// payload, checks that it names its outbox row and each id in need, and
// runs fn. A payload that cannot be decoded or lacks an id cannot succeed
// by retrying, so the error wraps asynq.SkipRetry.
func OutboxHandler(fn func(ctx context.Context, p Payload) error, need ...string) func(ctx context.Context, t *asynq.Task) error {
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
