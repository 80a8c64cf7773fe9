package postgres

import (
	"context"
	"encoding/json"
	"time"
)

// OutboxRow is a task to run at RunAt.
type OutboxRow struct {
	ID        int64     `db:"id"`
	TaskType  string    `db:"task_type"`
	Payload   []byte    `db:"payload"`
	UniqueKey string    `db:"unique_key"`
	RunAt     time.Time `db:"run_at"`
}

// IDs decodes the row's payload of ids.
func (r OutboxRow) IDs() map[string]int64 {
	m := map[string]int64{}
	json.Unmarshal(r.Payload, &m)
	return m
}

// AddOutbox records a task in the same transaction as its cause. A second
// row with the same unique key is ignored (the task is already planned).
func AddOutbox(ctx context.Context, tx *Tx, taskType, uniqueKey string, runAt time.Time, ids map[string]int64) error {
	const q = `
		INSERT INTO job_outbox (task_type, payload, unique_key, run_at)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (unique_key) DO NOTHING`
	payload, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, q, taskType, payload, uniqueKey, runAt)
	return mapError(err, "add outbox")
}

// DueOutbox returns rows due before `before` that are not done: those never
// enqueued, and with sweep those enqueued over five minutes ago and still
// not done.
func (db *DB) DueOutbox(ctx context.Context, before time.Time, sweep bool, limit int) ([]OutboxRow, error) {
	const q = `
		SELECT id, task_type, payload, unique_key, run_at FROM job_outbox
		WHERE done_at IS NULL AND run_at <= $1
		  AND (enqueued_at IS NULL OR ($2 AND enqueued_at < now() - interval '5 minutes' AND run_at < now() - interval '1 minute'))
		ORDER BY run_at LIMIT $3`
	var rows []OutboxRow
	if err := db.SelectContext(ctx, &rows, q, before, sweep, limit); err != nil {
		return nil, mapError(err, "due outbox")
	}
	return rows, nil
}

// MarkOutboxEnqueued notes that a row is in the queue.
func (db *DB) MarkOutboxEnqueued(ctx context.Context, id int64) error {
	const q = `UPDATE job_outbox SET enqueued_at = now(), attempts = attempts + 1 WHERE id = $1`
	_, err := db.ExecContext(ctx, q, id)
	return mapError(err, "mark outbox enqueued")
}

// ClaimOutbox marks a row done inside tx, returning false if it was done
// already (a duplicate delivery: the handler must then do nothing). Lock
// order: the row is locked until tx ends, so two deliveries at once
// serialise.
func ClaimOutbox(ctx context.Context, tx *Tx, id int64) (bool, error) {
	const q = `UPDATE job_outbox SET done_at = now() WHERE id = $1 AND done_at IS NULL`
	res, err := tx.ExecContext(ctx, q, id)
	if err != nil {
		return false, mapError(err, "claim outbox")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RequeueOutbox forgets that the rows not done yet were enqueued, so the
// relay enqueues them again (with their task ids: one that is still in the
// queue is not duplicated). The worker calls it when Redis lost its data.
// It returns how many rows it reset.
func (db *DB) RequeueOutbox(ctx context.Context) (int64, error) {
	const q = `UPDATE job_outbox SET enqueued_at = NULL WHERE done_at IS NULL AND enqueued_at IS NOT NULL`
	res, err := db.ExecContext(ctx, q)
	if err != nil {
		return 0, mapError(err, "requeue outbox")
	}
	n, _ := res.RowsAffected()
	return n, nil
}
