package postgres

import (
	"context"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

const followupSelect = `
	SELECT f.id, f.case_id, f.introduction_id, f.month, f.party, f.due_at, f.reminded_at, f.escalated_at,
	       f.completed_at, f.completed_by, f.still_employed, f.satisfaction, f.issues,
	       i.company_id, co.name AS company_name, r.title AS role_title, cand.user_id AS candidate_user_id
	FROM followups f
	JOIN introductions i ON i.id = f.introduction_id
	JOIN companies co ON co.id = i.company_id
	JOIN roles r ON r.id = i.role_id
	JOIN candidates cand ON cand.id = i.candidate_id`

// CreateFollowup adds a check-in and sets f.ID. A check-in already planned
// for the same introduction, month and party is kept (f.ID is then its id).
func CreateFollowup(ctx context.Context, tx *Tx, f *tsunagu.Followup) error {
	const q = `
		WITH ins AS (
			INSERT INTO followups (case_id, introduction_id, month, party, due_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (introduction_id, month, party) DO NOTHING RETURNING id)
		SELECT id FROM ins
		UNION ALL SELECT id FROM followups WHERE introduction_id = $2 AND month = $3 AND party = $4
		LIMIT 1`
	err := tx.GetContext(ctx, &f.ID, q, f.CaseID, f.IntroductionID, f.Month, f.Party, f.DueAt)
	return mapError(err, "create followup")
}

// FollowupByID returns a check-in. ENOTFOUND when there is none.
func (db *DB) FollowupByID(ctx context.Context, id int64) (*tsunagu.Followup, error) {
	var f tsunagu.Followup
	if err := db.GetContext(ctx, &f, followupSelect+` WHERE f.id = $1`, id); err != nil {
		return nil, mapError(err, "followup by id")
	}
	return &f, nil
}

// LockFollowup reads a check-in and locks it until tx ends.
func LockFollowup(ctx context.Context, tx *Tx, id int64) (*tsunagu.Followup, error) {
	var f tsunagu.Followup
	if err := tx.GetContext(ctx, &f, followupSelect+` WHERE f.id = $1 FOR UPDATE OF f`, id); err != nil {
		return nil, mapError(err, "lock followup")
	}
	return &f, nil
}

// FollowupsOfCase lists a case's check-ins by due date.
func (db *DB) FollowupsOfCase(ctx context.Context, caseID int64) ([]*tsunagu.Followup, error) {
	var out []*tsunagu.Followup
	if err := db.SelectContext(ctx, &out, followupSelect+` WHERE f.case_id = $1 ORDER BY f.due_at, f.party`, caseID); err != nil {
		return nil, mapError(err, "followups of case")
	}
	return out, nil
}

// OpenFollowupsFor lists the open, due check-ins a user answers: a
// candidate's own, or their companies' as employer.
func (db *DB) OpenFollowupsFor(ctx context.Context, userID int64, companyIDs []int64, now time.Time) ([]*tsunagu.Followup, error) {
	q := followupSelect + `
		WHERE f.completed_at IS NULL AND f.due_at <= $2
		  AND ((f.party = 'candidate' AND cand.user_id = $1)
		    OR (f.party = 'employer' AND i.company_id IN (SELECT company_id FROM company_members WHERE user_id = $1)))
		ORDER BY f.due_at`
	var out []*tsunagu.Followup
	if err := db.SelectContext(ctx, &out, q, userID, now); err != nil {
		return nil, mapError(err, "open followups")
	}
	return out, nil
}

// MarkFollowupReminded stamps the reminder.
func MarkFollowupReminded(ctx context.Context, tx *Tx, id int64, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE followups SET reminded_at = $2 WHERE id = $1`, id, at)
	return mapError(err, "mark followup reminded")
}

// MarkFollowupEscalated stamps the escalation.
func MarkFollowupEscalated(ctx context.Context, tx *Tx, id int64, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE followups SET escalated_at = $2 WHERE id = $1`, id, at)
	return mapError(err, "mark followup escalated")
}

// CompleteFollowup records the answers of a check-in.
func CompleteFollowup(ctx context.Context, tx *Tx, id int64, a tsunagu.FollowupAnswer, by int64, at time.Time) error {
	const q = `
		UPDATE followups SET completed_at = $2, completed_by = $3, still_employed = $4, satisfaction = $5, issues = $6
		WHERE id = $1`
	_, err := tx.ExecContext(ctx, q, id, at, by, a.StillEmployed, a.Satisfaction, a.Issues)
	return mapError(err, "complete followup")
}

// OpenFollowupsOfCase counts a case's check-ins still open.
func OpenFollowupsOfCase(ctx context.Context, tx *Tx, caseID int64) (int, error) {
	var n int
	err := tx.GetContext(ctx, &n, `SELECT count(*) FROM followups WHERE case_id = $1 AND completed_at IS NULL`, caseID)
	return n, mapError(err, "open followups of case")
}

// FollowupCaseID returns the case of a check-in, inside tx (task handlers
// read through their transaction so as to hold one connection each).
func FollowupCaseID(ctx context.Context, tx *Tx, id int64) (int64, error) {
	var caseID int64
	err := tx.GetContext(ctx, &caseID, `SELECT case_id FROM followups WHERE id = $1`, id)
	return caseID, mapError(err, "followup case")
}
