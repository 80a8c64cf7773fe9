package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/jobs"
)

// TestOutboxHandler: a task that names its outbox row and the ids in need
// runs; one that cannot be decoded or lacks them fails with SkipRetry and
// never runs.
func TestOutboxHandler(t *testing.T) {
	var got []jobs.Payload
	h := jobs.OutboxHandler(func(ctx context.Context, p jobs.Payload) error {
		got = append(got, p)
		return nil
	}, "case_id")
	ok, err := jobs.NewOutboxTask("t:x", 7, map[string]int64{"case_id": 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := h(context.Background(), ok); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].OutboxID != 7 || got[0].IDs["case_id"] != 3 {
		t.Fatalf("handled %+v, want outbox 7 with case 3", got)
	}
	noID, _ := jobs.NewOutboxTask("t:x", 7, map[string]int64{"other": 1})
	noRow, _ := jobs.NewOutboxTask("t:x", 0, map[string]int64{"case_id": 3})
	for name, task := range map[string]*asynq.Task{
		"garbage": asynq.NewTask("t:x", []byte("{")),
		"no id":   noID,
		"no row":  noRow,
	} {
		if err := h(context.Background(), task); !errors.Is(err, asynq.SkipRetry) {
			t.Errorf("%s: err = %v, want SkipRetry", name, err)
		}
	}
	if len(got) != 1 {
		t.Errorf("a bad payload ran the handler: %+v", got)
	}
}

// TestTasksRegistrar: Tasks collects handlers and periodic tasks, and a
// type registered twice panics at wiring time.
func TestTasksRegistrar(t *testing.T) {
	var ts jobs.Tasks
	var r jobs.Registrar = &ts
	r.Handle("t:a", func(context.Context, *asynq.Task) error { return nil })
	r.Every("t:a", time.Minute)
	if ts.Handler("t:a") == nil || ts.Handler("t:b") != nil || len(ts.Handlers) != 1 {
		t.Fatalf("handlers = %+v", ts.Handlers)
	}
	if ts.Periodic["t:a"] != time.Minute {
		t.Fatalf("periodic = %v", ts.Periodic)
	}
	defer func() {
		if recover() == nil {
			t.Error("registering t:a twice did not panic")
		}
	}()
	r.Handle("t:a", func(context.Context, *asynq.Task) error { return nil })
}
