package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// caseSelect reads a case with its candidate's name and coordinator.
const caseSelect = `
	SELECT c.id, c.candidate_id, cand.name AS candidate_name, cand.user_id AS candidate_user_id,
	       cand.headline, c.stage, c.close_reason, c.residence, c.coordinator_id,
	       COALESCE(u.display_name, '') AS coordinator_name, c.stage_since, c.last_activity_at,
	       c.version, c.created_at, c.updated_at, 0 AS overdue
	FROM cases c
	JOIN candidates cand ON cand.id = c.candidate_id
	LEFT JOIN users u ON u.id = c.coordinator_id`

// CaseByID returns a case. ENOTFOUND when there is none.
func (db *DB) CaseByID(ctx context.Context, id int64) (*tsunagu.Case, error) {
	var c tsunagu.Case
	if err := db.GetContext(ctx, &c, caseSelect+` WHERE c.id = $1`, id); err != nil {
		return nil, mapError(err, "case by id")
	}
	return &c, nil
}

// CaseByCandidate returns the case of a candidate. ENOTFOUND when there is none.
func (db *DB) CaseByCandidate(ctx context.Context, candidateID int64) (*tsunagu.Case, error) {
	var c tsunagu.Case
	if err := db.GetContext(ctx, &c, caseSelect+` WHERE c.candidate_id = $1`, candidateID); err != nil {
		return nil, mapError(err, "case by candidate")
	}
	return &c, nil
}

// CaseByCandidateUser returns the case of the candidate whose account is
// userID. ENOTFOUND when there is none.
func (db *DB) CaseByCandidateUser(ctx context.Context, userID int64) (*tsunagu.Case, error) {
	var c tsunagu.Case
	if err := db.GetContext(ctx, &c, caseSelect+` WHERE cand.user_id = $1`, userID); err != nil {
		return nil, mapError(err, "case by candidate user")
	}
	return &c, nil
}

// LockCase reads a case and locks it until tx ends. Every change to a case
// or its introductions locks the case first, so they serialise.
func LockCase(ctx context.Context, tx *Tx, id int64) (*tsunagu.Case, error) {
	var c tsunagu.Case
	if err := tx.GetContext(ctx, &c, caseSelect+` WHERE c.id = $1 FOR UPDATE OF c`, id); err != nil {
		return nil, mapError(err, "lock case")
	}
	return &c, nil
}

// CreateCase opens the case of a candidate in intake. ECONFLICT when the
// candidate has one already; ENOTFOUND when the candidate does not exist.
func CreateCase(ctx context.Context, tx *Tx, candidateID int64, coordinatorID *int64, at time.Time) (int64, error) {
	const q = `
		INSERT INTO cases (candidate_id, coordinator_id, stage_since, last_activity_at, created_at, updated_at)
		SELECT id, $2, $3, $3, $3, $3 FROM candidates WHERE id = $1
		RETURNING id`
	var id int64
	if err := tx.GetContext(ctx, &id, q, candidateID, coordinatorID, at); err != nil {
		return 0, mapError(err, "create case")
	}
	return id, nil
}

// SetCaseStage moves a case (the caller has locked and checked it).
func SetCaseStage(ctx context.Context, tx *Tx, id int64, stage tsunagu.CaseStage, reason string, at time.Time) error {
	const q = `
		UPDATE cases SET stage = $2, close_reason = $3, stage_since = $4, last_activity_at = $4, updated_at = $4
		WHERE id = $1`
	_, err := tx.ExecContext(ctx, q, id, stage, reason, at)
	return mapError(err, "set case stage")
}

// SetCaseResidence moves the residence-status track of a case.
func SetCaseResidence(ctx context.Context, tx *Tx, id int64, r tsunagu.ResidenceTrack, at time.Time) error {
	const q = `UPDATE cases SET residence = $2, last_activity_at = $3, updated_at = $3 WHERE id = $1`
	_, err := tx.ExecContext(ctx, q, id, r, at)
	return mapError(err, "set case residence")
}

// SetCaseCoordinator assigns a case (nil: unassigns).
func SetCaseCoordinator(ctx context.Context, tx *Tx, id int64, coordinatorID *int64, at time.Time) error {
	const q = `UPDATE cases SET coordinator_id = $2, last_activity_at = $3, updated_at = $3 WHERE id = $1`
	_, err := tx.ExecContext(ctx, q, id, coordinatorID, at)
	return mapError(err, "assign case")
}

// TouchCase records activity on a case.
func TouchCase(ctx context.Context, tx *Tx, id int64, at time.Time) error {
	const q = `UPDATE cases SET last_activity_at = GREATEST(last_activity_at, $2), updated_at = $2 WHERE id = $1`
	_, err := tx.ExecContext(ctx, q, id, at)
	return mapError(err, "touch case")
}

// AddCaseEvent appends an entry to a case's timeline and sets e.ID.
func AddCaseEvent(ctx context.Context, tx *Tx, e *tsunagu.CaseEvent) error {
	const q = `
		INSERT INTO case_events (case_id, kind, from_state, to_state, reason, note, actor_id, introduction_id, followup_id, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`
	err := tx.GetContext(ctx, &e.ID, q, e.CaseID, e.Kind, e.From, e.To, e.Reason, e.Note, e.ActorID, e.IntroductionID, e.FollowupID, e.At)
	return mapError(err, "add case event")
}

// CaseEvents returns a case's timeline, oldest first.
func (db *DB) CaseEvents(ctx context.Context, caseID int64) ([]*tsunagu.CaseEvent, error) {
	const q = `
		SELECT e.id, e.case_id, e.kind, e.from_state, e.to_state, e.reason, e.note, e.actor_id,
		       COALESCE(u.display_name, '') AS actor_name, e.introduction_id, e.followup_id, e.at
		FROM case_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.case_id = $1 ORDER BY e.at, e.id`
	var out []*tsunagu.CaseEvent
	if err := db.SelectContext(ctx, &out, q, caseID); err != nil {
		return nil, mapError(err, "case events")
	}
	return out, nil
}

// ListCases returns the cases of the board, filtered; Overdue counts each
// case's check-ins open past their grace period at now.
func (db *DB) ListCases(ctx context.Context, f tsunagu.CaseFilter, now time.Time) ([]*tsunagu.Case, error) {
	var where []string
	args := []any{now.Add(-tsunagu.FollowupGrace)}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.CoordinatorID != 0 {
		where = append(where, "c.coordinator_id = "+arg(f.CoordinatorID))
	}
	if f.Unassigned {
		where = append(where, "c.coordinator_id IS NULL")
	}
	if f.Stage != "" {
		where = append(where, "c.stage = "+arg(string(f.Stage)))
	}
	if f.CompanyID != 0 {
		where = append(where, "EXISTS (SELECT 1 FROM introductions i WHERE i.case_id = c.id AND i.company_id = "+arg(f.CompanyID)+")")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		p := arg("%" + likeEscapeCase(q) + "%")
		where = append(where, "(cand.name ILIKE "+p+" OR cand.headline ILIKE "+p+")")
	}
	if f.Overdue {
		where = append(where, "(COALESCE(o.n, 0) > 0 OR (c.stage NOT IN ('settled', 'closed') AND c.last_activity_at <= "+arg(now.Add(-tsunagu.StaleAfter))+"))")
	}
	limit := f.Limit
	if limit <= 0 || limit > 2000 {
		limit = 2000
	}
	q := `
		SELECT c.id, c.candidate_id, cand.name AS candidate_name, cand.user_id AS candidate_user_id,
		       cand.headline, c.stage, c.close_reason, c.residence, c.coordinator_id,
		       COALESCE(u.display_name, '') AS coordinator_name, c.stage_since, c.last_activity_at,
		       c.version, c.created_at, c.updated_at, COALESCE(o.n, 0) AS overdue
		FROM cases c
		JOIN candidates cand ON cand.id = c.candidate_id
		LEFT JOIN users u ON u.id = c.coordinator_id
		LEFT JOIN (SELECT case_id, count(*) AS n FROM followups
		           WHERE completed_at IS NULL AND due_at < $1 GROUP BY case_id) o ON o.case_id = c.id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY c.stage_since, c.id LIMIT %d", limit)
	var out []*tsunagu.Case
	if err := db.SelectContext(ctx, &out, q, args...); err != nil {
		return nil, mapError(err, "list cases")
	}
	return out, nil
}

func likeEscapeCase(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CandidateRef names a candidate (staff listings only).
type CandidateRef struct {
	ID       int64  `db:"id"`
	Name     string `db:"name"`
	Headline string `db:"headline"`
}

// CandidatesWithoutCase lists candidates who have no case yet.
func (db *DB) CandidatesWithoutCase(ctx context.Context, limit int) ([]CandidateRef, error) {
	const q = `
		SELECT cand.id, cand.name, cand.headline FROM candidates cand
		WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.candidate_id = cand.id)
		ORDER BY cand.name, cand.id LIMIT $1`
	var out []CandidateRef
	if err := db.SelectContext(ctx, &out, q, limit); err != nil {
		return nil, mapError(err, "candidates without case")
	}
	return out, nil
}

// CandidatesNamed lists up to limit candidates whose name holds query
// (any case), or whose id it is, by name; hidden profiles are left out
// (only the coordinator working the case reads those).
func (db *DB) CandidatesNamed(ctx context.Context, query string, limit int) ([]CandidateRef, error) {
	const q = `
		SELECT cand.id, cand.name, cand.headline FROM candidates cand
		WHERE cand.visibility <> 'hidden' AND (cand.name ILIKE $1 OR cand.id::text = $2)
		ORDER BY cand.name, cand.id LIMIT $3`
	pattern := likePattern(query)
	if pattern == "" {
		return nil, nil
	}
	var out []CandidateRef
	if err := db.SelectContext(ctx, &out, q, pattern, strings.TrimSpace(query), limit); err != nil {
		return nil, mapError(err, "candidates named")
	}
	return out, nil
}

// UserRef names a user.
type UserRef struct {
	ID   int64  `db:"id"`
	Name string `db:"display_name"`
}

// Coordinators lists the staff a case may be assigned to.
func (db *DB) Coordinators(ctx context.Context) ([]UserRef, error) {
	const q = `SELECT id, display_name FROM users WHERE role IN ('coordinator', 'admin') AND NOT disabled ORDER BY display_name, id`
	var out []UserRef
	if err := db.SelectContext(ctx, &out, q); err != nil {
		return nil, mapError(err, "coordinators")
	}
	return out, nil
}

// StaffIDs returns the coordinators to tell about a case: its coordinator,
// or every active coordinator when nobody is assigned.
func StaffIDs(ctx context.Context, tx *Tx, caseID int64) ([]int64, error) {
	const q = `
		SELECT c.coordinator_id FROM cases c JOIN users u ON u.id = c.coordinator_id
		WHERE c.id = $1 AND NOT u.disabled
		UNION ALL
		SELECT u.id FROM users u
		WHERE u.role = 'coordinator' AND NOT u.disabled
		  AND NOT EXISTS (SELECT 1 FROM cases c JOIN users cu ON cu.id = c.coordinator_id WHERE c.id = $1 AND NOT cu.disabled)
		ORDER BY 1`
	var ids []int64
	if err := tx.SelectContext(ctx, &ids, q, caseID); err != nil {
		return nil, mapError(err, "staff ids")
	}
	return ids, nil
}

// StaleCase is an open case without activity since LastActivityAt.
type StaleCase struct {
	ID             int64     `db:"id"`
	LastActivityAt time.Time `db:"last_activity_at"`
}

// StaleCases lists open cases whose last activity is at or before before.
func (db *DB) StaleCases(ctx context.Context, before time.Time) ([]StaleCase, error) {
	const q = `
		SELECT id, last_activity_at FROM cases
		WHERE stage NOT IN ('settled', 'closed') AND last_activity_at <= $1 ORDER BY id`
	var out []StaleCase
	if err := db.SelectContext(ctx, &out, q, before); err != nil {
		return nil, mapError(err, "stale cases")
	}
	return out, nil
}

// ResidenceExpiry is a case whose candidate's residence card expires.
type ResidenceExpiry struct {
	CaseID      int64     `db:"case_id"`
	CandidateID int64     `db:"candidate_id"`
	Expiry      time.Time `db:"residence_expiry"`
}

// ResidenceExpiries lists cases (not closed) whose candidate's card expires
// after from and on or before until.
func (db *DB) ResidenceExpiries(ctx context.Context, from, until time.Time) ([]ResidenceExpiry, error) {
	const q = `
		SELECT c.id AS case_id, c.candidate_id, cand.residence_expiry
		FROM cases c JOIN candidates cand ON cand.id = c.candidate_id
		WHERE c.stage <> 'closed' AND cand.residence_expiry IS NOT NULL
		  AND cand.residence_expiry > $1::date AND cand.residence_expiry <= $2::date
		ORDER BY c.id`
	var out []ResidenceExpiry
	if err := db.SelectContext(ctx, &out, q, from, until); err != nil {
		return nil, mapError(err, "residence expiries")
	}
	return out, nil
}

// CandidateResidence returns the candidate's residence status and card
// expiry (nil when unknown) for a case.
func CandidateResidence(ctx context.Context, tx *Tx, caseID int64) (string, *time.Time, error) {
	var row struct {
		Status string     `db:"residence_status"`
		Expiry *time.Time `db:"residence_expiry"`
	}
	const q = `SELECT cand.residence_status, cand.residence_expiry FROM cases c JOIN candidates cand ON cand.id = c.candidate_id WHERE c.id = $1`
	if err := tx.GetContext(ctx, &row, q, caseID); err != nil {
		return "", nil, mapError(err, "candidate residence")
	}
	return row.Status, row.Expiry, nil
}

// Outcomes are the programme's figures, computed live.
type Outcomes struct {
	PeopleConnected  int `db:"people_connected"`
	HiredExpertise   int `db:"hired_expertise"`
	HiredTotal       int `db:"hired_total"`
	ResidenceChanged int `db:"residence_changed"`
	// Funnel counts the cases that ever reached each stage; Current those in
	// it now.
	Funnel  map[tsunagu.CaseStage]int
	Current map[tsunagu.CaseStage]int
	// MedianDays is the median time spent in each stage, over stays that
	// ended, in days.
	MedianDays map[tsunagu.CaseStage]float64
	// Retention: of the hires whose m-month check-in has an answer, the share
	// still employed.
	Retention []RetentionFigure
}

// RetentionFigure is retention at one month.
type RetentionFigure struct {
	Month    int `db:"month"`
	Answered int `db:"answered"`
	Employed int `db:"employed"`
}

// Rate returns Employed/Answered, 0 when nothing was answered.
func (r RetentionFigure) Rate() float64 {
	if r.Answered == 0 {
		return 0
	}
	return float64(r.Employed) / float64(r.Answered)
}

// inPeriod and ofProgramme are the SQL that narrows outcome figures to a
// filter: with $1 and $2 the period's bounds (NULL for open) and $3 the
// programme (0 for every one; another placeholder may be named),
// inPeriod(x) holds when the instant x falls in the period and
// ofProgramme(c) when the candidate c is enrolled in the programme.
func inPeriod(x string) string {
	return fmt.Sprintf("($1::timestamptz IS NULL OR %[1]s >= $1) AND ($2::timestamptz IS NULL OR %[1]s < $2)", x)
}

func ofProgramme(candidate string, param ...string) string {
	p := "$3"
	if len(param) > 0 {
		p = param[0]
	}
	return fmt.Sprintf(`(%[2]s::bigint = 0 OR %[1]s IN (SELECT e.candidate_id FROM training_enrolments e
		JOIN training_cohorts k ON k.id = e.cohort_id WHERE k.programme_id = %[2]s))`, candidate, p)
}

// outcomeArgs are the arguments $1, $2, $3 of inPeriod and ofProgramme.
func outcomeArgs(f tsunagu.OutcomeFilter) []any {
	from, to := f.Period()
	return []any{from, to, f.ProgrammeID}
}

// CaseOutcomes computes the outcome figures for what happened in f's
// period (every figure counts events whose time falls in it: cases opened,
// hires, moves, residence changes, stays begun, check-ins answered) to the
// people of f's programme. Current, the cases in each stage now, ignores
// the period.
func (db *DB) CaseOutcomes(ctx context.Context, f tsunagu.OutcomeFilter) (*Outcomes, error) {
	o := &Outcomes{Funnel: map[tsunagu.CaseStage]int{}, Current: map[tsunagu.CaseStage]int{}, MedianDays: map[tsunagu.CaseStage]float64{}}
	args := outcomeArgs(f)
	// People connected: everyone the programme took on (a case), however it
	// went. Hired into their expertise: distinct people hired through an
	// introduction marked as using their expertise. A residence change
	// counts in a period when its move is in the timeline there.
	head := `
		SELECT (SELECT count(*) FROM cases c WHERE ` + inPeriod("c.created_at") + ` AND ` + ofProgramme("c.candidate_id") + `) AS people_connected,
		       (SELECT count(DISTINCT candidate_id) FROM introductions WHERE stage = 'hired' AND uses_expertise
		           AND ` + inPeriod("hired_at") + ` AND ` + ofProgramme("candidate_id") + `) AS hired_expertise,
		       (SELECT count(DISTINCT candidate_id) FROM introductions WHERE stage = 'hired'
		           AND ` + inPeriod("hired_at") + ` AND ` + ofProgramme("candidate_id") + `) AS hired_total,
		       (SELECT count(*) FROM cases c WHERE residence = 'changed' AND ` + ofProgramme("c.candidate_id") + `
		           AND ($1::timestamptz IS NULL AND $2::timestamptz IS NULL OR EXISTS (SELECT 1 FROM case_events ev
		               WHERE ev.case_id = c.id AND ev.kind = 'residence' AND ev.to_state = 'changed' AND ` + inPeriod("ev.at") + `))) AS residence_changed`
	if err := db.GetContext(ctx, o, head, args...); err != nil {
		return nil, mapError(err, "outcomes")
	}
	type stageN struct {
		Stage string  `db:"stage"`
		N     float64 `db:"n"`
	}
	var rows []stageN
	// A case reached a stage if it is there now (since stage_since) or a
	// move went there; every case started in intake when it was opened.
	funnel := `
		SELECT s.stage, count(DISTINCT s.case_id)::float8 AS n FROM (
			SELECT id AS case_id, candidate_id, 'intake' AS stage, created_at AS at FROM cases
			UNION ALL SELECT id, candidate_id, stage, stage_since FROM cases
			UNION ALL SELECT ev.case_id, c.candidate_id, ev.to_state, ev.at FROM case_events ev JOIN cases c ON c.id = ev.case_id WHERE ev.kind = 'stage'
		) s WHERE ` + inPeriod("s.at") + ` AND ` + ofProgramme("s.candidate_id") + ` GROUP BY s.stage`
	if err := db.SelectContext(ctx, &rows, funnel, args...); err != nil {
		return nil, mapError(err, "funnel")
	}
	for _, r := range rows {
		o.Funnel[tsunagu.CaseStage(r.Stage)] = int(r.N)
	}
	rows = rows[:0]
	current := `SELECT stage, count(*)::float8 AS n FROM cases WHERE ` + ofProgramme("candidate_id", "$1") + ` GROUP BY stage`
	if err := db.SelectContext(ctx, &rows, current, f.ProgrammeID); err != nil {
		return nil, mapError(err, "current stages")
	}
	for _, r := range rows {
		o.Current[tsunagu.CaseStage(r.Stage)] = int(r.N)
	}
	// A stay in a stage runs from the move into it (opening the case is the
	// move into intake) to the next move; a period keeps the stays begun in
	// it.
	median := `
		WITH moves AS (
			SELECT ev.case_id, c.candidate_id, ev.to_state AS stage, ev.at, ev.id AS seq
			FROM case_events ev JOIN cases c ON c.id = ev.case_id WHERE ev.kind = 'stage'
		), stays AS (
			SELECT stage, candidate_id, at, lead(at) OVER (PARTITION BY case_id ORDER BY at, seq) AS left_at FROM moves
		)
		SELECT stage, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - at) / 86400.0) AS n
		FROM stays WHERE left_at IS NOT NULL AND ` + inPeriod("at") + ` AND ` + ofProgramme("candidate_id") + ` GROUP BY stage`
	rows = rows[:0]
	if err := db.SelectContext(ctx, &rows, median, args...); err != nil {
		return nil, mapError(err, "median time in stage")
	}
	for _, r := range rows {
		o.MedianDays[tsunagu.CaseStage(r.Stage)] = r.N
	}
	// Retention per hire: the employer's answer when there is one, else the
	// candidate's; a period keeps the answers given in it.
	retention := `
		SELECT m.month, count(a.introduction_id) AS answered, count(a.introduction_id) FILTER (WHERE a.still_employed) AS employed
		FROM unnest($4::int[]) AS m(month)
		LEFT JOIN (
			SELECT DISTINCT ON (f.introduction_id, f.month) f.introduction_id, f.month, f.still_employed
			FROM followups f JOIN cases c ON c.id = f.case_id
			WHERE f.completed_at IS NOT NULL AND f.still_employed IS NOT NULL
			  AND ` + inPeriod("f.completed_at") + ` AND ` + ofProgramme("c.candidate_id") + `
			ORDER BY f.introduction_id, f.month, (f.party = 'employer') DESC
		) a ON a.month = m.month
		GROUP BY m.month ORDER BY m.month`
	months := make([]int64, 0, len(tsunagu.RetentionMonths))
	for _, m := range tsunagu.RetentionMonths {
		if m >= 3 {
			months = append(months, int64(m))
		}
	}
	if err := db.SelectContext(ctx, &o.Retention, retention, append(args, pq.Array(months))...); err != nil {
		return nil, mapError(err, "retention")
	}
	return o, nil
}

// RecomputeCaseTimes sets a case's stage_since and last_activity_at from
// its timeline (for histories written out of order, as demo data is).
func RecomputeCaseTimes(ctx context.Context, tx *Tx, id int64) error {
	const q = `
		UPDATE cases c SET
			stage_since = COALESCE((SELECT max(at) FROM case_events WHERE case_id = c.id AND kind = 'stage' AND to_state = c.stage), c.stage_since),
			last_activity_at = COALESCE((SELECT max(at) FROM case_events WHERE case_id = c.id AND kind NOT IN ('alert')), c.last_activity_at)
		WHERE c.id = $1`
	_, err := tx.ExecContext(ctx, q, id)
	return mapError(err, "recompute case times")
}
