package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/hibiken/asynq"

	"github.com/tsunagu-org/tsunagu/internal/jobs"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// TaskImport runs a coordinator's previewed upload (import_jobs row, id in
// IDs["import_job"]; postgres.DB.QueueImportJob writes its outbox row).
const TaskImport = "import:run"

// RegisterTasks registers the handler of queued uploads. It runs an upload
// as the coordinator who uploaded, recording progress every few rows. It is
// idempotent: imports are by external id, so a second delivery re-runs to
// the same result, and a finished job is skipped.
func RegisterTasks(r jobs.Registrar, db *postgres.DB, candidates tsunagu.CandidateService, roles tsunagu.RoleService, log *slog.Logger) {
	r.Handle(TaskImport, func(ctx context.Context, t *asynq.Task) error {
		p, err := jobs.Decode(t)
		if err != nil {
			return err
		}
		j, err := db.ImportJobByID(ctx, p.IDs["import_job"])
		if tsunagu.ErrorCode(err) == tsunagu.ENOTFOUND {
			return fmt.Errorf("import job %d: %w", p.IDs["import_job"], asynq.SkipRetry)
		}
		if err != nil {
			return err
		}
		if j.Status == "done" || j.Status == "failed" {
			return nil
		}
		if j.CreatedBy == nil {
			return fmt.Errorf("import job %d has no owner: %w", j.ID, asynq.SkipRetry)
		}
		u, err := db.UserByID(ctx, *j.CreatedBy)
		if err != nil {
			return err
		}
		if err := db.StartImportJob(ctx, j.ID); err != nil {
			return err
		}
		var processed, imported, unchanged, rejected int
		sum, err := Import(tsunagu.NewContextWithUser(ctx, u), bytes.NewReader(j.Content), j.Kind, Options{
			Candidates: candidates, Roles: roles, LineOffset: 1,
			OnLine: func(_ int, out tsunagu.ImportOutcome, rej *Rejection) {
				processed++
				switch {
				case rej != nil:
					rejected++
				case out == tsunagu.ImportUnchanged:
					unchanged++
				default:
					imported++
				}
				if processed%20 == 0 {
					if err := db.ImportJobProgress(ctx, j.ID, processed, imported, unchanged, rejected); err != nil {
						log.Warn("import progress", "job", j.ID, "err", err)
					}
				}
			},
		})
		j.Status = "done"
		if err != nil {
			if ctx.Err() != nil {
				return err // cut short: Asynq retries, the import starts again
			}
			j.Status = "failed"
			log.Error("import job failed", "job", j.ID, "err", err)
		}
		j.Processed, j.Imported, j.Unchanged, j.Rejected = sum.Lines, sum.Imported(), sum.Unchanged, sum.Rejected
		j.Errors, _ = json.Marshal(sum.Rejections)
		return db.FinishImportJob(ctx, j, p.OutboxID)
	})
}
