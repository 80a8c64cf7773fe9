package postgres

import (
	"context"
	"encoding/json"
	"time"
)

// ImportJob is a coordinator's upload (import_jobs row): previewed, then
// queued and run by the worker, which records its progress here.
type ImportJob struct {
	ID         int64           `db:"id" json:"id"`
	Kind       string          `db:"kind" json:"kind"`
	Filename   string          `db:"filename" json:"filename"`
	CreatedBy  *int64          `db:"created_by" json:"created_by,omitempty"`
	Status     string          `db:"status" json:"status"`
	Content    []byte          `db:"content" json:"-"`
	Total      int             `db:"total" json:"total"`
	Processed  int             `db:"processed" json:"processed"`
	Imported   int             `db:"imported" json:"imported"`
	Unchanged  int             `db:"unchanged" json:"unchanged"`
	Rejected   int             `db:"rejected" json:"rejected"`
	Errors     json.RawMessage `db:"errors" json:"errors"`
	CreatedAt  time.Time       `db:"created_at" json:"created_at"`
	StartedAt  *time.Time      `db:"started_at" json:"started_at,omitempty"`
	FinishedAt *time.Time      `db:"finished_at" json:"finished_at,omitempty"`
}

// Percent is how far the job got, 0 to 100.
func (j *ImportJob) Percent() int {
	if j.Status == "done" {
		return 100
	}
	if j.Total == 0 {
		return 0
	}
	return j.Processed * 100 / j.Total
}

// CreateImportJob stores a previewed upload: its content (the JSON Lines
// to import), how many lines and the preview's rejections.
func (db *DB) CreateImportJob(ctx context.Context, j *ImportJob) error {
	const q = `
		INSERT INTO import_jobs (kind, filename, created_by, content, total, rejected, errors)
		VALUES ($1, $2, NULLIF($3, 0), $4, $5, $6, $7)
		RETURNING id, status, created_at`
	var by int64
	if j.CreatedBy != nil {
		by = *j.CreatedBy
	}
	if len(j.Errors) == 0 {
		j.Errors = json.RawMessage("[]")
	}
	err := db.QueryRowxContext(ctx, q, j.Kind, j.Filename, by, j.Content, j.Total, j.Rejected, []byte(j.Errors)).
		Scan(&j.ID, &j.Status, &j.CreatedAt)
	return mapError(err, "create import job")
}

// ImportJobByID returns an import job, or ENOTFOUND.
func (db *DB) ImportJobByID(ctx context.Context, id int64) (*ImportJob, error) {
	const q = `SELECT * FROM import_jobs WHERE id = $1`
	var j ImportJob
	if err := db.GetContext(ctx, &j, q, id); err != nil {
		return nil, mapError(err, "import job")
	}
	return &j, nil
}

// QueueImportJob marks a previewed job queued and plans its task in the
// same transaction (the outbox relays it to the worker). A job already
// queued is left alone.
func (db *DB) QueueImportJob(ctx context.Context, id int64, taskType string) error {
	const q = `UPDATE import_jobs SET status = 'queued' WHERE id = $1 AND status = 'previewed'`
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, q, id)
		if err != nil {
			return mapError(err, "queue import job")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return AddOutbox(ctx, tx, taskType, "import:"+itoa64(id), time.Now(), map[string]int64{"import_job": id})
	})
}

// StartImportJob marks a job running (from the start again if a previous
// run was cut short: the import is idempotent).
func (db *DB) StartImportJob(ctx context.Context, id int64) error {
	const q = `
		UPDATE import_jobs SET status = 'running', started_at = now(), processed = 0, imported = 0,
			unchanged = 0, rejected = 0, errors = '[]'
		WHERE id = $1`
	_, err := db.ExecContext(ctx, q, id)
	return mapError(err, "start import job")
}

// ImportJobProgress records how far a running job got.
func (db *DB) ImportJobProgress(ctx context.Context, id int64, processed, imported, unchanged, rejected int) error {
	const q = `UPDATE import_jobs SET processed = $2, imported = $3, unchanged = $4, rejected = $5 WHERE id = $1`
	_, err := db.ExecContext(ctx, q, id, processed, imported, unchanged, rejected)
	return mapError(err, "import job progress")
}

// FinishImportJob records the outcome and marks the outbox row done, in
// one transaction.
func (db *DB) FinishImportJob(ctx context.Context, j *ImportJob, outboxID int64) error {
	const q = `
		UPDATE import_jobs SET status = $2, processed = $3, imported = $4, unchanged = $5,
			rejected = $6, errors = $7, finished_at = now()
		WHERE id = $1`
	return db.InTx(ctx, func(tx *Tx) error {
		if outboxID != 0 {
			if _, err := ClaimOutbox(ctx, tx, outboxID); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, q, j.ID, j.Status, j.Processed, j.Imported, j.Unchanged, j.Rejected, []byte(j.Errors))
		return mapError(err, "finish import job")
	})
}

func itoa64(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
