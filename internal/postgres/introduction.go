package postgres

import (
	"context"
	"time"

	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// introSelect reads an introduction with its role, company and candidate.
// The candidate's name is always read; the service blanks it for viewers
// who may not see it.
const introSelect = `
	SELECT i.id, i.case_id, i.candidate_id, i.role_id, i.company_id, i.stage, i.uses_expertise,
	       i.consented_at, i.hired_at, i.stage_since, i.version, i.created_at,
	       r.title AS role_title, co.name AS company_name, cand.name AS candidate_name,
	       cand.headline, cand.user_id AS candidate_user_id, cand.locale AS candidate_locale,
	       i.consent_record_id IS NOT NULL AS consent_recorded
	FROM introductions i
	JOIN roles r ON r.id = i.role_id
	JOIN companies co ON co.id = i.company_id
	JOIN candidates cand ON cand.id = i.candidate_id`

// IntroductionByID returns an introduction. ENOTFOUND when there is none.
func (db *DB) IntroductionByID(ctx context.Context, id int64) (*tsunagu.Introduction, error) {
	var in tsunagu.Introduction
	if err := db.GetContext(ctx, &in, introSelect+` WHERE i.id = $1`, id); err != nil {
		return nil, mapError(err, "introduction by id")
	}
	return &in, nil
}

// LockIntroduction reads an introduction and locks it until tx ends (lock
// its case first).
func LockIntroduction(ctx context.Context, tx *Tx, id int64) (*tsunagu.Introduction, error) {
	var in tsunagu.Introduction
	if err := tx.GetContext(ctx, &in, introSelect+` WHERE i.id = $1 FOR UPDATE OF i`, id); err != nil {
		return nil, mapError(err, "lock introduction")
	}
	return &in, nil
}

// CreateIntroduction suggests a candidate's case for a role. ECONFLICT when
// the candidate is already put forward for it; ENOTFOUND for a missing role.
func CreateIntroduction(ctx context.Context, tx *Tx, caseID, candidateID, roleID int64, actorID *int64, at time.Time) (int64, error) {
	const q = `
		INSERT INTO introductions (case_id, candidate_id, role_id, company_id, created_by, stage_since, created_at, updated_at)
		SELECT $1, $2, r.id, r.company_id, $4, $5, $5, $5 FROM roles r WHERE r.id = $3
		RETURNING id`
	var id int64
	if err := tx.GetContext(ctx, &id, q, caseID, candidateID, roleID, actorID, at); err != nil {
		return 0, mapError(err, "create introduction")
	}
	return id, nil
}

// SetIntroductionStage moves an introduction (the caller has locked and
// checked it); consent and hire stamp their times. A consent or decline
// forgets the recorded consent behind the previous answer (a recorded
// answer sets its own after: SetIntroductionConsentRecord).
func SetIntroductionStage(ctx context.Context, tx *Tx, id int64, stage tsunagu.IntroStage, usesExpertise *bool, at time.Time) error {
	const q = `
		UPDATE introductions SET stage = $2, stage_since = $3, updated_at = $3,
		       consented_at = CASE WHEN $2 = 'candidate_consented' THEN $3 ELSE consented_at END,
		       hired_at = CASE WHEN $2 = 'hired' THEN $3 ELSE hired_at END,
		       uses_expertise = COALESCE($4, uses_expertise),
		       consent_record_id = CASE WHEN $2 IN ('candidate_consented', 'declined_by_candidate') THEN NULL ELSE consent_record_id END
		WHERE id = $1`
	_, err := tx.ExecContext(ctx, q, id, stage, at, usesExpertise)
	return mapError(err, "set introduction stage")
}

// IntroductionsOfCase lists a case's introductions, newest first.
func (db *DB) IntroductionsOfCase(ctx context.Context, caseID int64) ([]*tsunagu.Introduction, error) {
	var out []*tsunagu.Introduction
	if err := db.SelectContext(ctx, &out, introSelect+` WHERE i.case_id = $1 ORDER BY i.created_at DESC, i.id DESC`, caseID); err != nil {
		return nil, mapError(err, "introductions of case")
	}
	return out, nil
}

// IntroductionsOfCompanies lists the introductions to the given companies
// that the candidate consented to at some point (never mere suggestions).
func (db *DB) IntroductionsOfCompanies(ctx context.Context, companyIDs []int64) ([]*tsunagu.Introduction, error) {
	var out []*tsunagu.Introduction
	q := introSelect + ` WHERE i.company_id = ANY($1) AND i.consented_at IS NOT NULL AND i.stage <> 'suggested'
		ORDER BY i.stage_since DESC, i.id DESC`
	if err := db.SelectContext(ctx, &out, q, pq.Array(companyIDs)); err != nil {
		return nil, mapError(err, "introductions of companies")
	}
	return out, nil
}

// CompanyMemberIDs returns the active member accounts of a company.
func CompanyMemberIDs(ctx context.Context, tx *Tx, companyID int64) ([]int64, error) {
	const q = `SELECT m.user_id FROM company_members m JOIN users u ON u.id = m.user_id WHERE m.company_id = $1 AND NOT u.disabled ORDER BY m.user_id`
	var ids []int64
	if err := tx.SelectContext(ctx, &ids, q, companyID); err != nil {
		return nil, mapError(err, "company members")
	}
	return ids, nil
}

// IdentityShared reports whether the candidate has an introduction to one
// of the companies in a stage that shares their identity.
func (db *DB) IdentityShared(ctx context.Context, candidateID int64, companyIDs []int64) (bool, error) {
	const q = `
		SELECT EXISTS (SELECT 1 FROM introductions WHERE candidate_id = $1 AND company_id = ANY($2)
		               AND stage = ANY($3))`
	var stages []string
	for _, s := range tsunagu.IntroStages {
		if s.SharesIdentity() {
			stages = append(stages, string(s))
		}
	}
	var ok bool
	if err := db.GetContext(ctx, &ok, q, candidateID, pq.Array(companyIDs), pq.Array(stages)); err != nil {
		return false, mapError(err, "identity shared")
	}
	return ok, nil
}

// RoleRef names an open role (for suggesting introductions).
type RoleRef struct {
	ID      int64  `db:"id"`
	Title   string `db:"title"`
	Company string `db:"company"`
}

// OpenRoles lists open roles, for the introduction form.
func (db *DB) OpenRoles(ctx context.Context, limit int) ([]RoleRef, error) {
	const q = `
		SELECT r.id, r.title, co.name AS company FROM roles r JOIN companies co ON co.id = r.company_id
		WHERE r.status = 'open' ORDER BY co.name, r.title, r.id LIMIT $1`
	var out []RoleRef
	if err := db.SelectContext(ctx, &out, q, limit); err != nil {
		return nil, mapError(err, "open roles")
	}
	return out, nil
}

// CompanyRef names a company.
type CompanyRef struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// CompaniesWithIntroductions lists companies that have introductions, for
// the board's filter.
func (db *DB) CompaniesWithIntroductions(ctx context.Context) ([]CompanyRef, error) {
	const q = `SELECT co.id, co.name FROM companies co WHERE EXISTS (SELECT 1 FROM introductions i WHERE i.company_id = co.id) ORDER BY co.name`
	var out []CompanyRef
	if err := db.SelectContext(ctx, &out, q); err != nil {
		return nil, mapError(err, "companies with introductions")
	}
	return out, nil
}

// SetIntroductionExpertise records whether the job uses the candidate's
// expertise (an outcome figure).
func SetIntroductionExpertise(ctx context.Context, tx *Tx, id int64, uses bool, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE introductions SET uses_expertise = $2, updated_at = $3 WHERE id = $1`, id, uses, at)
	return mapError(err, "set introduction expertise")
}

// recordedSelect reads recorded consents with the name of who recorded them.
const recordedSelect = `
	SELECT rc.id, rc.introduction_id, rc.answer, rc.method, rc.obtained_at, rc.words,
	       rc.recorded_by, COALESCE(u.display_name, '') AS recorded_by_name, rc.recorded_at
	FROM recorded_consents rc
	LEFT JOIN users u ON u.id = rc.recorded_by`

// AddRecordedConsent stores an answer given outside the platform and sets
// r.ID; the caller has locked the introduction and checked the move.
func AddRecordedConsent(ctx context.Context, tx *Tx, r *tsunagu.RecordedConsent) error {
	const q = `
		INSERT INTO recorded_consents (introduction_id, answer, method, obtained_at, words, recorded_by, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		RETURNING id`
	err := tx.GetContext(ctx, &r.ID, q, r.IntroductionID, r.Answer, r.Method, r.ObtainedAt, r.Words, r.RecordedBy, r.RecordedAt)
	return mapError(err, "add recorded consent")
}

// SetIntroductionConsentRecord marks the recorded consent behind an
// introduction's current answer.
func SetIntroductionConsentRecord(ctx context.Context, tx *Tx, id, recordID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE introductions SET consent_record_id = $2 WHERE id = $1`, id, recordID)
	return mapError(err, "set introduction consent record")
}

// CurrentRecordedConsents returns, by introduction id, the recorded
// consent behind each current answer of the given introductions (none for
// an answer the candidate gave on the platform).
func (db *DB) CurrentRecordedConsents(ctx context.Context, introIDs []int64) (map[int64]*tsunagu.RecordedConsent, error) {
	out := map[int64]*tsunagu.RecordedConsent{}
	if len(introIDs) == 0 {
		return out, nil
	}
	q := recordedSelect + ` JOIN introductions i ON i.consent_record_id = rc.id WHERE i.id = ANY($1)`
	var list []*tsunagu.RecordedConsent
	if err := db.SelectContext(ctx, &list, q, pq.Array(introIDs)); err != nil {
		return nil, mapError(err, "current recorded consents")
	}
	for _, r := range list {
		out[r.IntroductionID] = r
	}
	return out, nil
}

// AuditTx writes one audit log row in tx, so the record and its audit
// commit together.
func AuditTx(ctx context.Context, tx *Tx, actorID *int64, action, subjectType, subjectID string, detail []byte) error {
	if detail == nil {
		detail = []byte("{}")
	}
	const q = `INSERT INTO audit_log (actor_id, action, subject_type, subject_id, detail) VALUES ($1, $2, $3, $4, $5)`
	_, err := tx.ExecContext(ctx, q, actorID, action, subjectType, subjectID, detail)
	return mapError(err, "audit")
}
