package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

type workshopRow struct {
	ID             int64          `db:"id"`
	ExternalID     *string        `db:"external_id"`
	CompanyID      int64          `db:"company_id"`
	CompanyName    string         `db:"company_name"`
	RequestedBy    *int64         `db:"requested_by"`
	Topic          string         `db:"topic"`
	Audience       int            `db:"audience"`
	PreferredDates pq.StringArray `db:"preferred_dates"`
	Language       string         `db:"language"`
	Notes          string         `db:"notes"`
	Status         string         `db:"status"`
	ScheduledAt    *time.Time     `db:"scheduled_at"`
	Place          string         `db:"place"`
	Participants   int            `db:"participants"`
	DeliveredAt    *time.Time     `db:"delivered_at"`
	Version        int64          `db:"version"`
	CreatedAt      time.Time      `db:"created_at"`
	UpdatedAt      time.Time      `db:"updated_at"`
}

const workshopSelect = `
	SELECT w.id, w.external_id, w.company_id, co.name AS company_name, w.requested_by, w.topic, w.audience,
	       w.preferred_dates::text[] AS preferred_dates, w.language, w.notes, w.status, w.scheduled_at,
	       w.place, w.participants, w.delivered_at, w.version, w.created_at, w.updated_at
	FROM workshops w JOIN companies co ON co.id = w.company_id`

func (r *workshopRow) workshop() *tsunagu.Workshop {
	w := &tsunagu.Workshop{ID: r.ID, CompanyID: r.CompanyID, CompanyName: r.CompanyName, RequestedBy: r.RequestedBy,
		Topic: r.Topic, Audience: r.Audience, Language: r.Language, Notes: r.Notes,
		Status: tsunagu.WorkshopStatus(r.Status), ScheduledAt: r.ScheduledAt, Place: r.Place,
		Participants: r.Participants, DeliveredAt: r.DeliveredAt, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		PreferredDates: []time.Time{}, Lecturers: []*tsunagu.WorkshopLecturer{}, Feedback: []*tsunagu.WorkshopFeedback{}}
	for _, d := range r.PreferredDates {
		if t, err := time.Parse("2006-01-02", d); err == nil {
			w.PreferredDates = append(w.PreferredDates, t)
		}
	}
	return w
}

// WorkshopByID returns a workshop with every lecturer and its feedback
// (the service decides what a viewer sees), or ENOTFOUND.
func (db *DB) WorkshopByID(ctx context.Context, id int64) (*tsunagu.Workshop, error) {
	return workshopByID(ctx, db, id, "")
}

// LockWorkshop reads a workshop and locks it until tx ends.
func LockWorkshop(ctx context.Context, tx *Tx, id int64) (*tsunagu.Workshop, error) {
	return workshopByID(ctx, tx, id, " FOR UPDATE OF w")
}

// WorkshopByExternalID returns the workshop seeded under externalID, or ENOTFOUND.
func (db *DB) WorkshopByExternalID(ctx context.Context, externalID string) (*tsunagu.Workshop, error) {
	var id int64
	if err := db.GetContext(ctx, &id, `SELECT id FROM workshops WHERE external_id = $1`, externalID); err != nil {
		return nil, mapError(err, "find workshop")
	}
	return db.WorkshopByID(ctx, id)
}

func workshopByID(ctx context.Context, q querier, id int64, lock string) (*tsunagu.Workshop, error) {
	var r workshopRow
	if err := sqlx.GetContext(ctx, q, &r, workshopSelect+` WHERE w.id = $1`+lock, id); err != nil {
		return nil, mapError(err, "find workshop")
	}
	w := r.workshop()
	const ql = `
		SELECT l.workshop_id, l.candidate_id, c.name, c.headline, c.user_id, c.visibility, l.status, l.proposed_at, l.responded_at
		FROM workshop_lecturers l JOIN candidates c ON c.id = l.candidate_id
		WHERE l.workshop_id = $1 ORDER BY l.proposed_at, l.candidate_id`
	if err := sqlx.SelectContext(ctx, q, &w.Lecturers, ql, id); err != nil {
		return nil, mapError(err, "workshop lecturers")
	}
	const qf = `SELECT id, workshop_id, party, author_id, rating, comment, created_at FROM workshop_feedback
		WHERE workshop_id = $1 ORDER BY created_at, id`
	if err := sqlx.SelectContext(ctx, q, &w.Feedback, qf, id); err != nil {
		return nil, mapError(err, "workshop feedback")
	}
	return w, nil
}

// WorkshopFilter narrows a workshop listing.
type WorkshopFilter struct {
	CompanyIDs  []int64 // only these companies' workshops (nil: any)
	CandidateID int64   // only workshops this candidate was proposed for (0: any)
	Limit       int
}

// ListWorkshops returns workshops (without lecturers and feedback), newest first.
func (db *DB) ListWorkshops(ctx context.Context, f WorkshopFilter) ([]*tsunagu.Workshop, error) {
	const q = workshopSelect + `
		WHERE ($1::bigint[] IS NULL OR w.company_id = ANY($1))
		  AND ($2 = 0 OR EXISTS (SELECT 1 FROM workshop_lecturers l WHERE l.workshop_id = w.id AND l.candidate_id = $2))
		ORDER BY CASE w.status WHEN 'requested' THEN 0 WHEN 'scheduled' THEN 1 ELSE 2 END,
		         COALESCE(w.scheduled_at, w.created_at) DESC, w.id DESC
		LIMIT $3`
	limit := pageLimit(f.Limit, 200)
	var companies any
	if f.CompanyIDs != nil {
		companies = pq.Array(f.CompanyIDs)
	}
	var rows []workshopRow
	if err := db.SelectContext(ctx, &rows, q, companies, f.CandidateID, limit); err != nil {
		return nil, mapError(err, "list workshops")
	}
	out := make([]*tsunagu.Workshop, len(rows))
	for i := range rows {
		out[i] = rows[i].workshop()
	}
	return out, nil
}

// CreateWorkshop inserts a request and sets its ID. externalID may be "".
func (db *DB) CreateWorkshop(ctx context.Context, w *tsunagu.Workshop, externalID string) error {
	const q = `
		INSERT INTO workshops (external_id, company_id, requested_by, topic, audience, preferred_dates, language, notes)
		VALUES (NULLIF($1, ''), $2, $3, $4, $5, $6::date[], $7, $8) RETURNING id, status, created_at, updated_at`
	dates := make([]string, len(w.PreferredDates))
	for i, d := range w.PreferredDates {
		dates[i] = d.Format("2006-01-02")
	}
	err := db.QueryRowxContext(ctx, q, externalID, w.CompanyID, w.RequestedBy, w.Topic, w.Audience,
		pq.Array(dates), w.Language, w.Notes).Scan(&w.ID, &w.Status, &w.CreatedAt, &w.UpdatedAt)
	return mapError(err, "create workshop")
}

// ProposeLecturer adds a candidate as a proposed lecturer; proposing one
// who declined asks again. ECONFLICT when already proposed or accepted.
func ProposeLecturer(ctx context.Context, tx *Tx, workshopID, candidateID int64, by *int64, at time.Time) error {
	const q = `
		INSERT INTO workshop_lecturers (workshop_id, candidate_id, status, proposed_by, proposed_at)
		VALUES ($1, $2, 'proposed', $3, $4)
		ON CONFLICT (workshop_id, candidate_id) DO UPDATE SET status = 'proposed', proposed_by = EXCLUDED.proposed_by,
			proposed_at = EXCLUDED.proposed_at, responded_at = NULL
		WHERE workshop_lecturers.status = 'declined'
		RETURNING candidate_id`
	var id int64
	err := tx.QueryRowxContext(ctx, q, workshopID, candidateID, by, at).Scan(&id)
	if tsunagu.ErrorCode(mapError(err, "")) == tsunagu.ENOTFOUND {
		return tsunagu.Errorf(tsunagu.ECONFLICT, "workshop.error.already_proposed")
	}
	return mapError(err, "propose lecturer")
}

// SetLecturerStatus records a lecturer's answer. ENOTFOUND when the
// candidate was not proposed.
func SetLecturerStatus(ctx context.Context, tx *Tx, workshopID, candidateID int64, status string, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE workshop_lecturers SET status = $3, responded_at = $4
		WHERE workshop_id = $1 AND candidate_id = $2`, workshopID, candidateID, status, at)
	if err != nil {
		return mapError(err, "set lecturer status")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
	}
	return nil
}

// ScheduleWorkshop sets the date and place and moves it to scheduled.
func ScheduleWorkshop(ctx context.Context, tx *Tx, id int64, at time.Time, place string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE workshops SET status = 'scheduled', scheduled_at = $2, place = $3, updated_at = $4
		WHERE id = $1`, id, at, place, now)
	return mapError(err, "schedule workshop")
}

// SetWorkshopDelivered records delivery and how many took part.
func SetWorkshopDelivered(ctx context.Context, tx *Tx, id int64, participants int, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE workshops SET status = 'delivered', participants = $2, delivered_at = $3, updated_at = $3
		WHERE id = $1`, id, participants, now)
	return mapError(err, "deliver workshop")
}

// SetWorkshopCancelled cancels a workshop.
func SetWorkshopCancelled(ctx context.Context, tx *Tx, id int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE workshops SET status = 'cancelled', updated_at = $2 WHERE id = $1`, id, now)
	return mapError(err, "cancel workshop")
}

// AddWorkshopFeedback stores feedback. ECONFLICT when the author gave some already.
func AddWorkshopFeedback(ctx context.Context, tx *Tx, f *tsunagu.WorkshopFeedback) error {
	const q = `INSERT INTO workshop_feedback (workshop_id, party, author_id, rating, comment, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`
	err := tx.QueryRowxContext(ctx, q, f.WorkshopID, f.Party, f.AuthorID, f.Rating, f.Comment, f.CreatedAt).Scan(&f.ID)
	if IsUniqueViolation(err, "") {
		return tsunagu.Errorf(tsunagu.ECONFLICT, "workshop.error.feedback_given")
	}
	return mapError(err, "add workshop feedback")
}

// WorkshopCompanyMembers returns the user ids and e-mail addresses of a
// company's members, for reminders.
func WorkshopCompanyMembers(ctx context.Context, tx *Tx, companyID int64) ([]*tsunagu.User, error) {
	var out []*tsunagu.User
	err := tx.SelectContext(ctx, &out, `SELECT u.* FROM users u JOIN company_members m ON m.user_id = u.id
		WHERE m.company_id = $1 AND NOT u.disabled ORDER BY u.id`, companyID)
	return out, mapError(err, "company members")
}

// StaffUsers returns the coordinators and admins who are not disabled.
func StaffUsers(ctx context.Context, tx *Tx) ([]*tsunagu.User, error) {
	var out []*tsunagu.User
	err := tx.SelectContext(ctx, &out, `SELECT * FROM users WHERE role = 'coordinator' AND NOT disabled ORDER BY id`)
	return out, mapError(err, "staff users")
}

// UserInTx returns a user inside tx, or ENOTFOUND.
func UserInTx(ctx context.Context, tx *Tx, id int64) (*tsunagu.User, error) {
	var u tsunagu.User
	if err := tx.GetContext(ctx, &u, `SELECT * FROM users WHERE id = $1`, id); err != nil {
		return nil, mapError(err, "user")
	}
	return &u, nil
}

// NotifyInTx writes an in-app notification and queues its mail, both inside
// tx, so that a reminder and the claim of its outbox row commit together.
func NotifyInTx(ctx context.Context, tx *Tx, u *tsunagu.User, kind, msgID string, data map[string]any, link, subject, body string) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, kind, message_id, data, link) VALUES ($1, $2, $3, $4, $5)`,
		u.ID, kind, msgID, raw, link); err != nil {
		return mapError(err, "notify")
	}
	if u.Email == "" {
		return nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO mail_outbox (to_addr, subject, body) VALUES ($1, $2, $3)`, u.Email, subject, body)
	return mapError(err, "queue mail")
}

// Lecturer is what a permission decision on a candidate's workshop
// history needs about them, with that history.
type Lecturer struct {
	UserID     *int64 // their account (nil: none)
	Visibility string
	// Workshops are the scheduled and delivered workshops they accepted to
	// teach, newest session first, with every company name (the service
	// decides what a viewer sees).
	Workshops []tsunagu.LecturerWorkshop
}

// LecturerByID returns a candidate's account, visibility and workshops in
// one round trip (the card page asks on every view). ENOTFOUND when the
// candidate does not exist.
func (db *DB) LecturerByID(ctx context.Context, candidateID int64) (*Lecturer, error) {
	const q = `
		SELECT c.user_id, c.visibility, w.id AS workshop_id, w.topic, w.status, w.scheduled_at, w.language,
		       w.participants, w.company_id, co.name AS company_name
		FROM candidates c
		LEFT JOIN (workshop_lecturers l
			JOIN workshops w ON w.id = l.workshop_id AND w.status IN ('scheduled', 'delivered')
			JOIN companies co ON co.id = w.company_id)
		  ON l.candidate_id = c.id AND l.status = 'accepted'
		WHERE c.id = $1
		ORDER BY w.scheduled_at DESC NULLS LAST, w.id DESC
		LIMIT 500`
	var rows []struct {
		UserID       *int64     `db:"user_id"`
		Visibility   string     `db:"visibility"`
		WorkshopID   *int64     `db:"workshop_id"`
		Topic        *string    `db:"topic"`
		Status       *string    `db:"status"`
		ScheduledAt  *time.Time `db:"scheduled_at"`
		Language     *string    `db:"language"`
		Participants *int       `db:"participants"`
		CompanyID    *int64     `db:"company_id"`
		CompanyName  *string    `db:"company_name"`
	}
	if err := db.SelectContext(ctx, &rows, q, candidateID); err != nil {
		return nil, mapError(err, "lecturer")
	}
	if len(rows) == 0 {
		return nil, tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
	}
	l := &Lecturer{UserID: rows[0].UserID, Visibility: rows[0].Visibility, Workshops: []tsunagu.LecturerWorkshop{}}
	for _, r := range rows {
		if r.WorkshopID == nil || r.ScheduledAt == nil {
			continue
		}
		l.Workshops = append(l.Workshops, tsunagu.LecturerWorkshop{WorkshopID: *r.WorkshopID, Topic: *r.Topic,
			Status: tsunagu.WorkshopStatus(*r.Status), ScheduledAt: *r.ScheduledAt, Language: *r.Language,
			Participants: *r.Participants, CompanyID: *r.CompanyID, CompanyName: *r.CompanyName})
	}
	return l, nil
}

// LecturerPart is a candidate's part in one workshop with the workshop's
// state: what a case timeline derives its workshop milestones from.
type LecturerPart struct {
	WorkshopID   int64      `db:"workshop_id"`
	Topic        string     `db:"topic"`
	CompanyName  string     `db:"company_name"`
	Status       string     `db:"status"` // the workshop's
	ScheduledAt  *time.Time `db:"scheduled_at"`
	Place        string     `db:"place"`
	Participants int        `db:"participants"`
	DeliveredAt  *time.Time `db:"delivered_at"`
	UpdatedAt    time.Time  `db:"updated_at"`
	Lecturer     string     `db:"lecturer"` // accepted, declined or proposed
	ProposedAt   time.Time  `db:"proposed_at"`
	ProposedBy   *string    `db:"proposed_by"` // display name, nil when unknown
	RespondedAt  *time.Time `db:"responded_at"`
}

// LecturerFeedback is feedback on a workshop a candidate was part of: the
// company's, and the candidate's own.
type LecturerFeedback struct {
	WorkshopID int64     `db:"workshop_id"`
	Party      string    `db:"party"`
	Rating     int       `db:"rating"`
	Author     *string   `db:"author"`
	CreatedAt  time.Time `db:"created_at"`
}

// LecturerParts returns every workshop a candidate was proposed for, and
// the feedback on them left by the company or by the candidate.
func (db *DB) LecturerParts(ctx context.Context, candidateID int64) ([]LecturerPart, []LecturerFeedback, error) {
	const qp = `
		SELECT w.id AS workshop_id, w.topic, co.name AS company_name, w.status, w.scheduled_at, w.place,
		       w.participants, w.delivered_at, w.updated_at, l.status AS lecturer, l.proposed_at,
		       u.display_name AS proposed_by, l.responded_at
		FROM workshop_lecturers l
		JOIN workshops w ON w.id = l.workshop_id
		JOIN companies co ON co.id = w.company_id
		LEFT JOIN users u ON u.id = l.proposed_by
		WHERE l.candidate_id = $1
		ORDER BY l.proposed_at, w.id
		LIMIT 500`
	parts := []LecturerPart{}
	if err := db.SelectContext(ctx, &parts, qp, candidateID); err != nil {
		return nil, nil, mapError(err, "lecturer parts")
	}
	const qf = `
		SELECT f.workshop_id, f.party, f.rating, u.display_name AS author, f.created_at
		FROM workshop_feedback f
		JOIN workshop_lecturers l ON l.workshop_id = f.workshop_id AND l.candidate_id = $1
		JOIN candidates c ON c.id = l.candidate_id
		LEFT JOIN users u ON u.id = f.author_id
		WHERE f.party = 'company' OR (f.party = 'lecturer' AND f.author_id = c.user_id)
		ORDER BY f.created_at, f.id
		LIMIT 1000`
	fb := []LecturerFeedback{}
	if err := db.SelectContext(ctx, &fb, qf, candidateID); err != nil {
		return nil, nil, mapError(err, "lecturer feedback")
	}
	return parts, fb, nil
}
