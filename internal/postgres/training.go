package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// querier is a pool or a transaction: training and workshop reads run on
// either.
type querier interface {
	sqlx.ExtContext
}

type programmeRow struct {
	ID            int64                `db:"id"`
	ExternalID    *string              `db:"external_id"`
	TitleJA       string               `db:"title_ja"`
	TitleEN       string               `db:"title_en"`
	DescriptionJA string               `db:"description_ja"`
	DescriptionEN string               `db:"description_en"`
	Translations  tsunagu.Translations `db:"translations"`
	Kind          string               `db:"kind"`
	Format        string               `db:"format"`
	Capacity      int                  `db:"capacity"`
	MinAttendance int                  `db:"min_attendance"`
	Assessment    bool                 `db:"assessment"`
	Active        bool                 `db:"active"`
	CreatedAt     time.Time            `db:"created_at"`
	UpdatedAt     time.Time            `db:"updated_at"`
}

func (r *programmeRow) programme() *tsunagu.Programme {
	p := &tsunagu.Programme{ID: r.ID, TitleJA: r.TitleJA, TitleEN: r.TitleEN,
		DescriptionJA: r.DescriptionJA, DescriptionEN: r.DescriptionEN, Translations: r.Translations, Kind: r.Kind, Format: r.Format,
		Capacity: r.Capacity, MinAttendance: r.MinAttendance, Assessment: r.Assessment, Active: r.Active,
		Skills: []tsunagu.ProgrammeSkill{}, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.ExternalID != nil {
		p.ExternalID = *r.ExternalID
	}
	return p
}

// withSkills fills the skills of programmes in one query.
func withSkills(ctx context.Context, q querier, ps []*tsunagu.Programme) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]int64, len(ps))
	byID := map[int64]*tsunagu.Programme{}
	for i, p := range ps {
		ids[i], byID[p.ID] = p.ID, p
	}
	var rows []struct {
		ProgrammeID int64 `db:"programme_id"`
		tsunagu.ProgrammeSkill
	}
	const qs = `SELECT programme_id, esco_uri, label FROM training_programme_skills
		WHERE programme_id = ANY($1) ORDER BY programme_id, position`
	if err := sqlx.SelectContext(ctx, q, &rows, qs, pq.Array(ids)); err != nil {
		return mapError(err, "programme skills")
	}
	for _, r := range rows {
		p := byID[r.ProgrammeID]
		p.Skills = append(p.Skills, r.ProgrammeSkill)
	}
	return nil
}

// ProgrammeByID returns a programme with its skills, or ENOTFOUND.
func (db *DB) ProgrammeByID(ctx context.Context, id int64) (*tsunagu.Programme, error) {
	return programmeWhere(ctx, db, "id = $1", id)
}

// ProgrammeByExternalID returns the programme seeded under externalID, or ENOTFOUND.
func (db *DB) ProgrammeByExternalID(ctx context.Context, externalID string) (*tsunagu.Programme, error) {
	return programmeWhere(ctx, db, "external_id = $1", externalID)
}

func programmeWhere(ctx context.Context, q querier, where string, arg any) (*tsunagu.Programme, error) {
	var r programmeRow
	if err := sqlx.GetContext(ctx, q, &r, `SELECT * FROM training_programmes WHERE `+where, arg); err != nil {
		return nil, mapError(err, "find programme")
	}
	p := r.programme()
	return p, withSkills(ctx, q, []*tsunagu.Programme{p})
}

// ListProgrammes returns programmes (only active ones unless all), by title.
func (db *DB) ListProgrammes(ctx context.Context, all bool) ([]*tsunagu.Programme, error) {
	const q = `SELECT * FROM training_programmes WHERE $1 OR active ORDER BY active DESC, COALESCE(NULLIF(title_en, ''), title_ja), id`
	var rows []programmeRow
	if err := db.SelectContext(ctx, &rows, q, all); err != nil {
		return nil, mapError(err, "list programmes")
	}
	out := make([]*tsunagu.Programme, len(rows))
	for i := range rows {
		out[i] = rows[i].programme()
	}
	return out, withSkills(ctx, db, out)
}

// SaveProgramme inserts p (ID 0; an ExternalID that exists updates that
// one) or updates it, replacing its skills. Returns ENOTFOUND for an
// unknown ID.
func (db *DB) SaveProgramme(ctx context.Context, p *tsunagu.Programme) error {
	const qInsert = `
		INSERT INTO training_programmes (external_id, title_ja, title_en, description_ja, description_en,
			kind, format, capacity, min_attendance, assessment, active, translations)
		VALUES (NULLIF($1, ''), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (external_id) DO UPDATE SET title_ja = EXCLUDED.title_ja, title_en = EXCLUDED.title_en,
			description_ja = EXCLUDED.description_ja, description_en = EXCLUDED.description_en,
			translations = EXCLUDED.translations,
			kind = EXCLUDED.kind, format = EXCLUDED.format, capacity = EXCLUDED.capacity,
			min_attendance = EXCLUDED.min_attendance, assessment = EXCLUDED.assessment,
			active = EXCLUDED.active, updated_at = now()
		RETURNING id, created_at, updated_at`
	const qUpdate = `
		UPDATE training_programmes SET title_ja = $2, title_en = $3, description_ja = $4, description_en = $5,
			translations = $12, kind = $6, format = $7, capacity = $8, min_attendance = $9, assessment = $10, active = $11,
			updated_at = now()
		WHERE id = $1 AND ($13::timestamptz IS NULL OR updated_at = $13)
		RETURNING id, created_at, updated_at`
	return db.InTx(ctx, func(tx *Tx) error {
		args := []any{p.ExternalID, p.TitleJA, p.TitleEN, p.DescriptionJA, p.DescriptionEN,
			p.Kind, p.Format, p.Capacity, p.MinAttendance, p.Assessment, p.Active, p.Translations}
		q := qInsert
		// An update of a programme read at UpdatedAt saves only if nobody
		// saved it since.
		var since any
		if p.ID != 0 {
			q, args[0] = qUpdate, p.ID
			if !p.UpdatedAt.IsZero() {
				since = p.UpdatedAt
			}
			args = append(args, since)
		}
		err := tx.QueryRowxContext(ctx, q, args...).Scan(&p.ID, &p.CreatedAt, &p.UpdatedAt)
		if errors.Is(err, sql.ErrNoRows) && since != nil {
			return tsunagu.Errorf(tsunagu.ECONFLICT, "training.error.changed_meanwhile")
		}
		if err != nil {
			return mapError(err, "save programme")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM training_programme_skills WHERE programme_id = $1`, p.ID); err != nil {
			return mapError(err, "save programme skills")
		}
		uris, labels := make([]string, len(p.Skills)), make([]string, len(p.Skills))
		for i, s := range p.Skills {
			uris[i], labels[i] = s.URI, s.Label
		}
		const qs = `
			INSERT INTO training_programme_skills (programme_id, position, esco_uri, label)
			SELECT $1, t.ord, t.uri, t.label FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(uri, label, ord)`
		_, err = tx.ExecContext(ctx, qs, p.ID, pq.Array(uris), pq.Array(labels))
		return mapError(err, "save programme skills")
	})
}

// ProgrammesTeaching returns the active programmes that teach any of the
// ESCO skills, one row per programme and skill.
func (db *DB) ProgrammesTeaching(ctx context.Context, skillURIs []string) ([]tsunagu.ProgrammeRef, error) {
	const q = `
		SELECT p.id, p.title_ja, p.title_en, p.translations, s.esco_uri
		FROM training_programme_skills s JOIN training_programmes p ON p.id = s.programme_id
		WHERE p.active AND s.esco_uri = ANY($1)
		ORDER BY s.esco_uri, p.id`
	var out []tsunagu.ProgrammeRef
	if err := db.SelectContext(ctx, &out, q, pq.Array(skillURIs)); err != nil {
		return nil, mapError(err, "programmes teaching")
	}
	return out, nil
}

// GapReach counts, per active programme, the candidates with an open case
// (or no case) who lack at least one skill the programme teaches that an
// open role requires: how many candidates' gaps the programme would close.
func (db *DB) GapReach(ctx context.Context) (map[int64]int, error) {
	const q = `
		WITH wanted AS (
			SELECT DISTINCT rs.esco_uri FROM role_skills rs JOIN roles r ON r.id = rs.role_id
			WHERE r.status = 'open' AND rs.kind = 'required' AND rs.esco_uri <> ''
		), taught AS (
			SELECT ps.programme_id, ps.esco_uri FROM training_programme_skills ps
			JOIN training_programmes p ON p.id = ps.programme_id
			WHERE p.active AND ps.esco_uri IN (SELECT esco_uri FROM wanted)
		)
		SELECT t.programme_id, count(DISTINCT c.id) AS n
		FROM taught t CROSS JOIN candidates c
		WHERE NOT EXISTS (SELECT 1 FROM candidate_skills cs WHERE cs.candidate_id = c.id AND cs.esco_uri = t.esco_uri)
		  AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.candidate_id = c.id AND k.stage IN ('hired', 'retention', 'settled', 'closed'))
		GROUP BY t.programme_id`
	var rows []struct {
		ID int64 `db:"programme_id"`
		N  int   `db:"n"`
	}
	if err := db.SelectContext(ctx, &rows, q); err != nil {
		return nil, mapError(err, "gap reach")
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.ID] = r.N
	}
	return out, nil
}

// cohortSelect reads cohorts with their seated and waiting counts.
const cohortSelect = `
	SELECT c.id, c.programme_id, c.name, c.starts_on, c.ends_on, c.trainer, c.place, c.online_url,
	       c.capacity, c.created_at,
	       (SELECT count(*) FROM training_enrolments e WHERE e.cohort_id = c.id
	          AND e.status IN ('enrolled', 'completed', 'not_completed')) AS seated,
	       (SELECT count(*) FROM training_enrolments e WHERE e.cohort_id = c.id AND e.status = 'waitlisted') AS waiting
	FROM training_cohorts c`

type cohortRow struct {
	ID          int64     `db:"id"`
	ProgrammeID int64     `db:"programme_id"`
	Name        string    `db:"name"`
	StartsOn    time.Time `db:"starts_on"`
	EndsOn      time.Time `db:"ends_on"`
	Trainer     string    `db:"trainer"`
	Place       string    `db:"place"`
	OnlineURL   string    `db:"online_url"`
	Capacity    int       `db:"capacity"`
	CreatedAt   time.Time `db:"created_at"`
	Seated      int       `db:"seated"`
	Waiting     int       `db:"waiting"`
}

func (r *cohortRow) cohort() *tsunagu.Cohort {
	return &tsunagu.Cohort{ID: r.ID, ProgrammeID: r.ProgrammeID, Name: r.Name,
		StartsOn: *utcDate(&r.StartsOn), EndsOn: *utcDate(&r.EndsOn), Trainer: r.Trainer, Place: r.Place,
		OnlineURL: r.OnlineURL, Capacity: r.Capacity, CreatedAt: r.CreatedAt, Seated: r.Seated, Waiting: r.Waiting,
		Sessions: []*tsunagu.CohortSession{}}
}

// CohortByID returns a cohort with its sessions and counts, or ENOTFOUND.
func (db *DB) CohortByID(ctx context.Context, id int64) (*tsunagu.Cohort, error) {
	return cohortByID(ctx, db, id)
}

// LockCohort locks a cohort until tx ends and then reads it: every
// enrolment change locks its cohort first, so places are counted one at a
// time. (The read is a second statement so that, under READ COMMITTED, its
// counts see what the previous lock holder committed.)
func LockCohort(ctx context.Context, tx *Tx, id int64) (*tsunagu.Cohort, error) {
	var one int
	if err := tx.GetContext(ctx, &one, `SELECT 1 FROM training_cohorts WHERE id = $1 FOR UPDATE`, id); err != nil {
		return nil, mapError(err, "lock cohort")
	}
	return cohortByID(ctx, tx, id)
}

func cohortByID(ctx context.Context, q querier, id int64) (*tsunagu.Cohort, error) {
	var r cohortRow
	if err := sqlx.GetContext(ctx, q, &r, cohortSelect+` WHERE c.id = $1`, id); err != nil {
		return nil, mapError(err, "find cohort")
	}
	c := r.cohort()
	const qs = `SELECT id, cohort_id, starts_at, topic FROM training_sessions WHERE cohort_id = $1 ORDER BY starts_at`
	if err := sqlx.SelectContext(ctx, q, &c.Sessions, qs, id); err != nil {
		return nil, mapError(err, "cohort sessions")
	}
	return c, nil
}

// CohortsOfProgramme lists a programme's cohorts, earliest first (sessions
// not filled).
func (db *DB) CohortsOfProgramme(ctx context.Context, programmeID int64) ([]*tsunagu.Cohort, error) {
	var rows []cohortRow
	if err := db.SelectContext(ctx, &rows, cohortSelect+` WHERE c.programme_id = $1 ORDER BY c.starts_on, c.id`, programmeID); err != nil {
		return nil, mapError(err, "list cohorts")
	}
	out := make([]*tsunagu.Cohort, len(rows))
	for i := range rows {
		out[i] = rows[i].cohort()
	}
	return out, nil
}

// OpenCohorts lists cohorts that have not ended by day, earliest first.
func (db *DB) OpenCohorts(ctx context.Context, day time.Time) ([]*tsunagu.Cohort, error) {
	var rows []cohortRow
	if err := db.SelectContext(ctx, &rows, cohortSelect+` WHERE c.ends_on >= $1 ORDER BY c.starts_on, c.id`, day); err != nil {
		return nil, mapError(err, "open cohorts")
	}
	out := make([]*tsunagu.Cohort, len(rows))
	for i := range rows {
		out[i] = rows[i].cohort()
	}
	return out, nil
}

// CreateCohort inserts a cohort with its sessions.
func (db *DB) CreateCohort(ctx context.Context, c *tsunagu.Cohort) error {
	const q = `
		INSERT INTO training_cohorts (programme_id, name, starts_on, ends_on, trainer, place, online_url, capacity)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, created_at`
	return db.InTx(ctx, func(tx *Tx) error {
		err := tx.QueryRowxContext(ctx, q, c.ProgrammeID, c.Name, c.StartsOn, c.EndsOn, c.Trainer, c.Place,
			c.OnlineURL, c.Capacity).Scan(&c.ID, &c.CreatedAt)
		if err != nil {
			return mapError(err, "create cohort")
		}
		for _, s := range c.Sessions {
			s.CohortID = c.ID
			if err := addSession(ctx, tx, s); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddSession adds a session to a cohort. ECONFLICT when one starts at the
// same time.
func (db *DB) AddSession(ctx context.Context, s *tsunagu.CohortSession) error {
	return db.InTx(ctx, func(tx *Tx) error { return addSession(ctx, tx, s) })
}

func addSession(ctx context.Context, tx *Tx, s *tsunagu.CohortSession) error {
	const q = `INSERT INTO training_sessions (cohort_id, starts_at, topic) VALUES ($1, $2, $3) RETURNING id`
	return mapError(tx.QueryRowxContext(ctx, q, s.CohortID, s.StartsAt, s.Topic).Scan(&s.ID), "add session")
}

// enrolmentSelect reads enrolments with the candidate's name, the cohort's
// programme, attendance and waiting-list position.
const enrolmentSelect = `
	SELECT e.id, e.cohort_id, co.programme_id, e.candidate_id, cand.name AS candidate_name,
	       cand.user_id AS candidate_user_id, e.status, e.required, e.assessment_passed,
	       (SELECT count(*) FROM training_attendance a WHERE a.enrolment_id = e.id AND a.present) AS attended,
	       (SELECT count(*) FROM training_sessions s WHERE s.cohort_id = e.cohort_id) AS sessions,
	       CASE WHEN e.status = 'waitlisted' THEN (SELECT count(*) FROM training_enrolments w
	            WHERE w.cohort_id = e.cohort_id AND w.status = 'waitlisted'
	              AND (w.waitlisted_at, w.id) <= (e.waitlisted_at, e.id)) ELSE 0 END AS wait_position,
	       e.seated_at, e.completed_at, e.created_at
	FROM training_enrolments e
	JOIN training_cohorts co ON co.id = e.cohort_id
	JOIN candidates cand ON cand.id = e.candidate_id`

// EnrolmentByID returns an enrolment, or ENOTFOUND.
func (db *DB) EnrolmentByID(ctx context.Context, id int64) (*tsunagu.Enrolment, error) {
	var e tsunagu.Enrolment
	if err := db.GetContext(ctx, &e, enrolmentSelect+` WHERE e.id = $1`, id); err != nil {
		return nil, mapError(err, "find enrolment")
	}
	return &e, nil
}

// EnrolmentIn returns the candidate's enrolment in a cohort inside tx, or ENOTFOUND.
func EnrolmentIn(ctx context.Context, tx *Tx, cohortID, candidateID int64) (*tsunagu.Enrolment, error) {
	var e tsunagu.Enrolment
	if err := tx.GetContext(ctx, &e, enrolmentSelect+` WHERE e.cohort_id = $1 AND e.candidate_id = $2`, cohortID, candidateID); err != nil {
		return nil, mapError(err, "find enrolment")
	}
	return &e, nil
}

// EnrolmentInTx returns an enrolment inside tx (its cohort locked by the
// caller), or ENOTFOUND.
func EnrolmentInTx(ctx context.Context, tx *Tx, id int64) (*tsunagu.Enrolment, error) {
	var e tsunagu.Enrolment
	if err := tx.GetContext(ctx, &e, enrolmentSelect+` WHERE e.id = $1`, id); err != nil {
		return nil, mapError(err, "find enrolment")
	}
	return &e, nil
}

// EnrolmentsOfCohort lists a cohort's enrolments: seated first by name,
// then the waiting list in order, then requests and the rest.
func (db *DB) EnrolmentsOfCohort(ctx context.Context, cohortID int64) ([]*tsunagu.Enrolment, error) {
	const order = ` WHERE e.cohort_id = $1 ORDER BY CASE e.status WHEN 'enrolled' THEN 0 WHEN 'completed' THEN 0
		WHEN 'not_completed' THEN 0 WHEN 'waitlisted' THEN 1 WHEN 'requested' THEN 2 ELSE 3 END,
		e.waitlisted_at NULLS LAST, cand.name, e.id`
	var out []*tsunagu.Enrolment
	if err := db.SelectContext(ctx, &out, enrolmentSelect+order, cohortID); err != nil {
		return nil, mapError(err, "cohort enrolments")
	}
	return out, nil
}

// EnrolmentsOfCandidate lists a candidate's enrolments, newest first.
func (db *DB) EnrolmentsOfCandidate(ctx context.Context, candidateID int64) ([]*tsunagu.Enrolment, error) {
	var out []*tsunagu.Enrolment
	if err := db.SelectContext(ctx, &out, enrolmentSelect+` WHERE e.candidate_id = $1 ORDER BY co.starts_on DESC, e.id DESC`, candidateID); err != nil {
		return nil, mapError(err, "candidate enrolments")
	}
	return out, nil
}

// PutEnrolment creates the candidate's enrolment in a cohort with status,
// or, when one ended (withdrawn, declined), starts it again. Returns
// ECONFLICT when one is under way or finished.
func PutEnrolment(ctx context.Context, tx *Tx, cohortID, candidateID int64, status tsunagu.EnrolmentStatus, required bool, by *int64, at time.Time) (int64, error) {
	const q = `
		INSERT INTO training_enrolments (cohort_id, candidate_id, status, required, requested_by,
			seated_at, waitlisted_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5,
			CASE WHEN $3 = 'enrolled' THEN $6::timestamptz END,
			CASE WHEN $3 = 'waitlisted' THEN $6::timestamptz END, $6, $6)
		ON CONFLICT (cohort_id, candidate_id) DO UPDATE SET status = EXCLUDED.status,
			required = EXCLUDED.required, requested_by = EXCLUDED.requested_by,
			seated_at = EXCLUDED.seated_at, waitlisted_at = EXCLUDED.waitlisted_at,
			assessment_passed = NULL, completed_at = NULL, ended_at = NULL, updated_at = EXCLUDED.updated_at
		WHERE training_enrolments.status IN ('withdrawn', 'declined')
		RETURNING id`
	var id int64
	err := tx.QueryRowxContext(ctx, q, cohortID, candidateID, string(status), required, by, at).Scan(&id)
	if tsunagu.ErrorCode(mapError(err, "")) == tsunagu.ENOTFOUND {
		return 0, tsunagu.Errorf(tsunagu.ECONFLICT, "training.error.already_enrolled")
	}
	return id, mapError(err, "put enrolment")
}

// SetEnrolmentStatus moves an enrolment, stamping when it took a place,
// joined the waiting list, completed or ended.
func SetEnrolmentStatus(ctx context.Context, tx *Tx, id int64, status tsunagu.EnrolmentStatus, at time.Time) error {
	const q = `
		UPDATE training_enrolments SET status = $2, updated_at = $3,
			seated_at = CASE WHEN $2 = 'enrolled' THEN $3 ELSE seated_at END,
			waitlisted_at = CASE WHEN $2 = 'waitlisted' THEN $3 ELSE waitlisted_at END,
			completed_at = CASE WHEN $2 = 'completed' THEN $3 ELSE completed_at END,
			ended_at = CASE WHEN $2 IN ('completed', 'not_completed', 'withdrawn', 'declined') THEN $3 ELSE ended_at END
		WHERE id = $1`
	res, err := tx.ExecContext(ctx, q, id, string(status), at)
	if err != nil {
		return mapError(err, "set enrolment status")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
	}
	return nil
}

// SetAssessment records whether the assessment was passed.
func SetAssessment(ctx context.Context, tx *Tx, id int64, passed *bool, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE training_enrolments SET assessment_passed = $2, updated_at = $3 WHERE id = $1`, id, passed, at)
	return mapError(err, "set assessment")
}

// FirstWaiting returns the id of the first enrolment on a cohort's waiting
// list, or 0.
func FirstWaiting(ctx context.Context, tx *Tx, cohortID int64) (int64, error) {
	const q = `SELECT id FROM training_enrolments WHERE cohort_id = $1 AND status = 'waitlisted'
		ORDER BY waitlisted_at, id LIMIT 1`
	var id int64
	err := tx.GetContext(ctx, &id, q, cohortID)
	if tsunagu.ErrorCode(mapError(err, "")) == tsunagu.ENOTFOUND {
		return 0, nil
	}
	return id, mapError(err, "first waiting")
}

// SetAttendance records whether an enrolment attended a session.
func SetAttendance(ctx context.Context, tx *Tx, sessionID, enrolmentID int64, present bool, by *int64, at time.Time) error {
	const q = `
		INSERT INTO training_attendance (session_id, enrolment_id, present, marked_by, marked_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (session_id, enrolment_id) DO UPDATE SET present = EXCLUDED.present,
			marked_by = EXCLUDED.marked_by, marked_at = EXCLUDED.marked_at`
	_, err := tx.ExecContext(ctx, q, sessionID, enrolmentID, present, by, at)
	return mapError(err, "set attendance")
}

// Attendance returns, for a cohort, which enrolments were present at which
// session: session id → enrolment id → present.
func (db *DB) Attendance(ctx context.Context, cohortID int64) (map[int64]map[int64]bool, error) {
	const q = `SELECT a.session_id, a.enrolment_id, a.present FROM training_attendance a
		JOIN training_sessions s ON s.id = a.session_id WHERE s.cohort_id = $1`
	var rows []struct {
		SessionID   int64 `db:"session_id"`
		EnrolmentID int64 `db:"enrolment_id"`
		Present     bool  `db:"present"`
	}
	if err := db.SelectContext(ctx, &rows, q, cohortID); err != nil {
		return nil, mapError(err, "attendance")
	}
	out := map[int64]map[int64]bool{}
	for _, r := range rows {
		if out[r.SessionID] == nil {
			out[r.SessionID] = map[int64]bool{}
		}
		out[r.SessionID][r.EnrolmentID] = r.Present
	}
	return out, nil
}

// AddVerifiedSkills marks the candidate's skills with these ESCO URIs as
// verified by verifiedBy (a programme's title), adding those the profile
// lacks at the end, and writes a change_log row so the search index
// follows: all inside tx, beside the completion that causes it.
func AddVerifiedSkills(ctx context.Context, tx *Tx, candidateID int64, skills []tsunagu.ProgrammeSkill, verifiedBy string) error {
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM candidates WHERE id = $1 FOR UPDATE`, candidateID); err != nil {
		return mapError(err, "lock candidate")
	}
	uris, labels := make([]string, len(skills)), make([]string, len(skills))
	for i, s := range skills {
		uris[i], labels[i] = s.URI, s.Label
	}
	const qUpdate = `UPDATE candidate_skills SET verified = $3 WHERE candidate_id = $1 AND esco_uri = ANY($2)`
	if _, err := tx.ExecContext(ctx, qUpdate, candidateID, pq.Array(uris), verifiedBy); err != nil {
		return mapError(err, "verify skills")
	}
	const qInsert = `
		INSERT INTO candidate_skills (candidate_id, position, label, esco_uri, level, verified)
		SELECT $1, COALESCE((SELECT max(position) FROM candidate_skills WHERE candidate_id = $1), 0) + t.ord,
		       t.label, t.uri, $4, $3
		FROM (SELECT u.uri, u.label, row_number() OVER (ORDER BY u.ord) AS ord
		      FROM unnest($2::text[], $5::text[]) WITH ORDINALITY AS u(uri, label, ord)
		      WHERE NOT EXISTS (SELECT 1 FROM candidate_skills s WHERE s.candidate_id = $1 AND s.esco_uri = u.uri)) t`
	if _, err := tx.ExecContext(ctx, qInsert, candidateID, pq.Array(uris), verifiedBy, tsunagu.LevelBeginner, pq.Array(labels)); err != nil {
		return mapError(err, "add verified skills")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE candidates SET updated_at = now() WHERE id = $1`, candidateID); err != nil {
		return mapError(err, "touch candidate")
	}
	return logChange(ctx, tx, "candidate", candidateID, "upsert")
}

// PendingRequired counts a candidate's required enrolments still under way.
func PendingRequired(ctx context.Context, tx *Tx, candidateID int64) (int, error) {
	var n int
	err := tx.GetContext(ctx, &n, `SELECT count(*) FROM training_enrolments
		WHERE candidate_id = $1 AND required AND status IN ('requested', 'enrolled', 'waitlisted')`, candidateID)
	return n, mapError(err, "pending enrolments")
}

// ConfirmJobReadySetting reports whether completing training asks a
// coordinator to confirm the move to job-ready.
func (db *DB) ConfirmJobReadySetting(ctx context.Context) (bool, error) {
	var b bool
	err := db.GetContext(ctx, &b, `SELECT confirm_job_ready FROM training_settings`)
	return b, mapError(err, "training settings")
}

// SetConfirmJobReadySetting changes the setting.
func (db *DB) SetConfirmJobReadySetting(ctx context.Context, confirm bool) error {
	_, err := db.ExecContext(ctx, `UPDATE training_settings SET confirm_job_ready = $1, updated_at = now()`, confirm)
	return mapError(err, "training settings")
}

// MarkJobReadyPending records that a candidate finished their plan and
// waits for a coordinator to confirm job-ready.
func MarkJobReadyPending(ctx context.Context, tx *Tx, candidateID int64, at time.Time) error {
	const q = `INSERT INTO training_job_ready (candidate_id, since) VALUES ($1, $2)
		ON CONFLICT (candidate_id) DO UPDATE SET since = EXCLUDED.since, confirmed_at = NULL, confirmed_by = NULL`
	_, err := tx.ExecContext(ctx, q, candidateID, at)
	return mapError(err, "job-ready pending")
}

// JobReadyPending is a candidate waiting for a coordinator's confirmation.
type JobReadyPending struct {
	CandidateID int64     `db:"candidate_id" json:"candidate_id"`
	Name        string    `db:"name" json:"name"`
	Since       time.Time `db:"since" json:"since"`
}

// PendingJobReady lists candidates waiting for confirmation, oldest first.
func (db *DB) PendingJobReady(ctx context.Context) ([]JobReadyPending, error) {
	const q = `SELECT j.candidate_id, c.name, j.since FROM training_job_ready j
		JOIN candidates c ON c.id = j.candidate_id WHERE j.confirmed_at IS NULL ORDER BY j.since`
	var out []JobReadyPending
	if err := db.SelectContext(ctx, &out, q); err != nil {
		return nil, mapError(err, "pending job-ready")
	}
	return out, nil
}

// ConfirmJobReady closes a pending confirmation. ENOTFOUND when none is open.
func (db *DB) ConfirmJobReady(ctx context.Context, candidateID int64, by *int64, at time.Time) error {
	res, err := db.ExecContext(ctx, `UPDATE training_job_ready SET confirmed_at = $2, confirmed_by = $3
		WHERE candidate_id = $1 AND confirmed_at IS NULL`, candidateID, at, by)
	if err != nil {
		return mapError(err, "confirm job-ready")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
	}
	return nil
}

// ProgrammeFigure is one programme's completion figures.
type ProgrammeFigure struct {
	ID        int64  `db:"id" json:"id"`
	TitleJA   string `db:"title_ja" json:"title_ja"`
	TitleEN   string `db:"title_en" json:"title_en"`
	Seated    int    `db:"seated" json:"seated"`       // ever took a place
	Completed int    `db:"completed" json:"completed"` // completed
	Ended     int    `db:"ended" json:"ended"`         // took a place and finished: completed, not completed or withdrawn
}

// TrainingFigures are the raw outcome figures of training and workshops.
type TrainingFigures struct {
	Programmes []ProgrammeFigure
	// DaysToJobReady holds, per candidate who reached job-ready after
	// first taking a place in a cohort, the days between the two.
	DaysToJobReady []float64
	// CompletedCandidates counts candidates who completed a programme at
	// least six months ago (or before until), the base of HiredWithin6.
	CompletedCandidates int
	// HiredWithin6 counts those hired within six months of a completion.
	HiredWithin6 int
	// Delivered workshops, the participants they reached, and lecturers.
	Workshops, Participants, Lecturers int
}

// TrainingOutcomeFigures computes the figures as of until, for what
// happened in flt's period (places taken, first places before job-ready,
// completions, workshops delivered) to the people of flt's programme (the
// programme table then has that programme's row alone; workshop figures
// are for every programme).
func (db *DB) TrainingOutcomeFigures(ctx context.Context, until time.Time, flt tsunagu.OutcomeFilter) (*TrainingFigures, error) {
	f := &TrainingFigures{}
	args := outcomeArgs(flt)
	qProg := `
		SELECT p.id, p.title_ja, p.title_en,
		       count(e.id) FILTER (WHERE e.seated_at IS NOT NULL) AS seated,
		       count(e.id) FILTER (WHERE e.status = 'completed') AS completed,
		       count(e.id) FILTER (WHERE e.seated_at IS NOT NULL AND e.status IN ('completed', 'not_completed', 'withdrawn')) AS ended
		FROM training_programmes p
		LEFT JOIN training_cohorts c ON c.programme_id = p.id
		LEFT JOIN training_enrolments e ON e.cohort_id = c.id AND ` + inPeriod("e.seated_at") + `
		WHERE ($3::bigint = 0 OR p.id = $3)
		GROUP BY p.id ORDER BY p.id`
	if err := db.SelectContext(ctx, &f.Programmes, qProg, args...); err != nil {
		return nil, mapError(err, "programme figures")
	}
	qDays := `
		WITH first_seat AS (
			SELECT e.candidate_id, min(e.seated_at) AS at FROM training_enrolments e JOIN training_cohorts c ON c.id = e.cohort_id
			WHERE e.seated_at IS NOT NULL AND ($3::bigint = 0 OR c.programme_id = $3) GROUP BY e.candidate_id
		)
		SELECT EXTRACT(EPOCH FROM (min(ev.at) - fs.at)) / 86400.0 AS days
		FROM first_seat fs
		JOIN cases k ON k.candidate_id = fs.candidate_id
		JOIN case_events ev ON ev.case_id = k.id AND ev.kind = 'stage' AND ev.to_state = 'job_ready' AND ev.at >= fs.at
		WHERE ` + inPeriod("fs.at") + `
		GROUP BY fs.candidate_id, fs.at`
	if err := db.SelectContext(ctx, &f.DaysToJobReady, qDays, args...); err != nil {
		return nil, mapError(err, "days to job-ready")
	}
	qHired := `
		WITH done AS (
			SELECT e.candidate_id, min(e.completed_at) AS at FROM training_enrolments e JOIN training_cohorts c ON c.id = e.cohort_id
			WHERE e.status = 'completed' AND e.completed_at <= $4::timestamptz - interval '6 months'
			  AND ($3::bigint = 0 OR c.programme_id = $3)
			GROUP BY e.candidate_id
		)
		SELECT count(*) AS base,
		       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM introductions i WHERE i.candidate_id = d.candidate_id
		           AND i.hired_at >= d.at AND i.hired_at <= d.at + interval '6 months')) AS hired
		FROM done d WHERE ` + inPeriod("d.at")
	var h struct {
		Base  int `db:"base"`
		Hired int `db:"hired"`
	}
	if err := db.GetContext(ctx, &h, qHired, append(args, until)...); err != nil {
		return nil, mapError(err, "hires after training")
	}
	f.CompletedCandidates, f.HiredWithin6 = h.Base, h.Hired
	qWorkshops := `
		SELECT count(*) AS workshops, COALESCE(sum(participants), 0) AS participants,
		       (SELECT count(DISTINCT l.candidate_id) FROM workshop_lecturers l JOIN workshops w2 ON w2.id = l.workshop_id
		        WHERE w2.status = 'delivered' AND l.status = 'accepted' AND ` + inPeriod("w2.delivered_at") + `) AS lecturers
		FROM workshops w WHERE w.status = 'delivered' AND ` + inPeriod("w.delivered_at")
	var w struct {
		Workshops    int `db:"workshops"`
		Participants int `db:"participants"`
		Lecturers    int `db:"lecturers"`
	}
	from, to := flt.Period()
	if err := db.GetContext(ctx, &w, qWorkshops, from, to); err != nil {
		return nil, mapError(err, "workshop figures")
	}
	f.Workshops, f.Participants, f.Lecturers = w.Workshops, w.Participants, w.Lecturers
	return f, nil
}

// SpeakerCandidates lists candidates who opted in as speakers, by name,
// leaving out those who chose to be hidden (a hidden profile is read only
// by the coordinator working the case: tsunagu.Can).
func (db *DB) SpeakerCandidates(ctx context.Context) ([]tsunagu.WorkshopLecturer, error) {
	const q = `SELECT 0 AS workshop_id, id AS candidate_id, name, headline, user_id, '' AS status,
		created_at AS proposed_at FROM candidates WHERE speaker_opt_in AND visibility <> 'hidden'
		ORDER BY name, id LIMIT 500`
	var out []tsunagu.WorkshopLecturer
	if err := db.SelectContext(ctx, &out, q); err != nil {
		return nil, mapError(err, "speakers")
	}
	return out, nil
}

// ProgrammeInTx returns a programme with its skills inside tx, or ENOTFOUND.
func ProgrammeInTx(ctx context.Context, tx *Tx, id int64) (*tsunagu.Programme, error) {
	return programmeWhere(ctx, tx, "id = $1", id)
}
