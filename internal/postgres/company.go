package postgres

import (
	"errors"

	"context"
	"github.com/lib/pq"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

type companyRow struct {
	ID           int64      `db:"id"`
	ExternalID   *string    `db:"external_id"`
	Name         string     `db:"name"`
	Industry     string     `db:"industry"`
	Size         string     `db:"size"`
	Prefecture   string     `db:"prefecture"`
	ContactName  string     `db:"contact_name"`
	ContactEmail string     `db:"contact_email"`
	ContactPhone string     `db:"contact_phone"`
	Status       string     `db:"status"`
	VerifiedBy   *int64     `db:"verified_by"`
	VerifiedAt   *time.Time `db:"verified_at"`
	Note         string     `db:"verification_note"`
	Version      int64      `db:"version"`
	CreatedAt    time.Time  `db:"created_at"`
	UpdatedAt    time.Time  `db:"updated_at"`
}

func (r *companyRow) company() *tsunagu.Company {
	c := &tsunagu.Company{
		ID: r.ID, Name: r.Name, Industry: r.Industry, Size: r.Size, Prefecture: r.Prefecture,
		ContactName: r.ContactName, ContactEmail: r.ContactEmail, ContactPhone: r.ContactPhone,
		Status: tsunagu.CompanyStatus(r.Status), VerifiedBy: r.VerifiedBy, VerifiedAt: r.VerifiedAt,
		VerificationNote: r.Note, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.ExternalID != nil {
		c.ExternalID = *r.ExternalID
	}
	return c
}

// CompanyByID returns the company with id, or ENOTFOUND.
func (db *DB) CompanyByID(ctx context.Context, id int64) (*tsunagu.Company, error) {
	const q = `SELECT * FROM companies WHERE id = $1`
	var r companyRow
	if err := db.GetContext(ctx, &r, q, id); err != nil {
		return nil, mapError(err, "company by id")
	}
	return r.company(), nil
}

// CompanyByName returns the company named name (case-insensitive), or ENOTFOUND.
func (db *DB) CompanyByName(ctx context.Context, name string) (*tsunagu.Company, error) {
	const q = `SELECT * FROM companies WHERE lower(name) = lower($1)`
	var r companyRow
	if err := db.GetContext(ctx, &r, q, name); err != nil {
		return nil, mapError(err, "company by name")
	}
	return r.company(), nil
}

// EnsureCompany returns the company named name, creating it (with only its
// name) when there is none. Concurrent calls create it once.
func (db *DB) EnsureCompany(ctx context.Context, name string) (*tsunagu.Company, error) {
	const q = `
		INSERT INTO companies (name) VALUES ($1)
		ON CONFLICT (lower(name)) DO NOTHING`
	if _, err := db.ExecContext(ctx, q, name); err != nil {
		return nil, mapError(err, "ensure company")
	}
	return db.CompanyByName(ctx, name)
}

// ListCompanies returns companies by name and how many match in all.
func (db *DB) ListCompanies(ctx context.Context, f tsunagu.CompanyFilter) ([]*tsunagu.Company, int, error) {
	const q = `
		SELECT count(*) OVER () AS total, c.*
		FROM companies c
		WHERE ($1 = '' OR c.name ILIKE $1 OR c.industry ILIKE $1) AND ($4 = '' OR c.status = $4)
		ORDER BY lower(c.name), c.id
		LIMIT $2 OFFSET $3`
	limit, pattern := pageLimit(f.Limit, 50), likePattern(f.Query)
	var rows []struct {
		Total int `db:"total"`
		companyRow
	}
	if err := db.SelectContext(ctx, &rows, q, pattern, limit, max(f.Offset, 0), string(f.Status)); err != nil {
		return nil, 0, mapError(err, "list companies")
	}
	out := make([]*tsunagu.Company, 0, len(rows))
	total := 0
	for i := range rows {
		total = rows[i].Total
		out = append(out, rows[i].companyRow.company())
	}
	return out, total, nil
}

// SaveCompany inserts c (ID 0) or updates it, setting ID, Version and
// timestamps. An update with a Version saves only if the company is still
// at that version. Returns ECONFLICT when the name or external id is taken
// or the version is stale (tsunagu.Stale), ENOTFOUND when updating an ID
// that does not exist.
func (db *DB) SaveCompany(ctx context.Context, c *tsunagu.Company) error {
	const qInsert = `
		INSERT INTO companies (external_id, name, industry, size, prefecture, contact_name, contact_email, contact_phone)
		VALUES (NULLIF(:external_id, ''), :name, :industry, :size, :prefecture, :contact_name, :contact_email, :contact_phone)
		RETURNING id, version, created_at, updated_at`
	const qUpdate = `
		UPDATE companies SET external_id = NULLIF(:external_id, ''), name = :name, industry = :industry,
			size = :size, prefecture = :prefecture, contact_name = :contact_name,
			contact_email = :contact_email, contact_phone = :contact_phone, updated_at = now()
		WHERE id = :id AND (:version = 0 OR version = :version)
		RETURNING id, version, created_at, updated_at`
	r := companyRow{
		ID: c.ID, ExternalID: &c.ExternalID, Name: c.Name, Industry: c.Industry, Size: c.Size,
		Prefecture: c.Prefecture, ContactName: c.ContactName, ContactEmail: c.ContactEmail,
		ContactPhone: c.ContactPhone, Version: c.Version,
	}
	q := qInsert
	if c.ID != 0 {
		q = qUpdate
	}
	return saveVersioned(ctx, db, "companies", "save company", q, r, c.ID, c.Version, &c.ID, &c.Version, &c.CreatedAt, &c.UpdatedAt)
}

// UpsertCompanyByExternalID saves c under its ExternalID: it updates the
// company with that external id, or else the one with that name, or
// creates it. It sets ID and timestamps.
func (db *DB) UpsertCompanyByExternalID(ctx context.Context, c *tsunagu.Company) error {
	const q = `
		SELECT id FROM companies
		WHERE external_id = $1 OR (lower(name) = lower($2) AND external_id IS NULL)
		ORDER BY (external_id = $1) DESC NULLS LAST
		LIMIT 1`
	var id int64
	err := db.GetContext(ctx, &id, q, c.ExternalID, c.Name)
	if err != nil && tsunagu.ErrorCode(mapError(err, "")) != tsunagu.ENOTFOUND {
		return mapError(err, "upsert company")
	}
	c.ID, c.Version = id, 0
	return db.SaveCompany(ctx, c)
}

// DeleteCompany removes a company, its memberships and its roles (writing
// a change_log row for each role). Returns ENOTFOUND.
func (db *DB) DeleteCompany(ctx context.Context, id int64) error {
	const qRoles = `
		INSERT INTO change_log (entity, entity_id, op)
		SELECT 'role', id, 'delete' FROM roles WHERE company_id = $1 ORDER BY id`
	const q = `DELETE FROM companies WHERE id = $1`
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, qRoles, id); err != nil {
			return mapError(err, "delete company")
		}
		res, err := tx.ExecContext(ctx, q, id)
		if err != nil {
			return mapError(err, "delete company")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
		}
		return nil
	})
}

// AddCompanyMember makes userID a member of companyID (no error if it is);
// the company's first member becomes its admin (who invites and removes
// the others).
func (db *DB) AddCompanyMember(ctx context.Context, companyID, userID int64) error {
	const q = `
		INSERT INTO company_members (company_id, user_id, is_admin)
		VALUES ($1, $2, NOT EXISTS (SELECT 1 FROM company_members WHERE company_id = $1 AND is_admin))
		ON CONFLICT DO NOTHING`
	_, err := db.ExecContext(ctx, q, companyID, userID)
	if pgCode(err) == "23503" {
		return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
	}
	return mapError(err, "add company member")
}

// RemoveCompanyMember ends userID's membership of companyID.
func (db *DB) RemoveCompanyMember(ctx context.Context, companyID, userID int64) error {
	const q = `DELETE FROM company_members WHERE company_id = $1 AND user_id = $2`
	_, err := db.ExecContext(ctx, q, companyID, userID)
	return mapError(err, "remove company member")
}

// CompanyMembers lists the users who are members of companyID.
func (db *DB) CompanyMembers(ctx context.Context, companyID int64) ([]*tsunagu.User, error) {
	const q = `
		SELECT u.* FROM users u JOIN company_members m ON m.user_id = u.id
		WHERE m.company_id = $1 ORDER BY u.display_name, u.id`
	var us []*tsunagu.User
	if err := db.SelectContext(ctx, &us, q, companyID); err != nil {
		return nil, mapError(err, "company members")
	}
	return us, nil
}

// CompanyIDsForUser lists the ids of the verified companies userID is a
// member of: the memberships that grant anything (a member of a pending
// company acts for no company until staff verify it).
func (db *DB) CompanyIDsForUser(ctx context.Context, userID int64) ([]int64, error) {
	const q = `
		SELECT m.company_id FROM company_members m JOIN companies c ON c.id = m.company_id
		WHERE m.user_id = $1 AND c.status = 'verified' ORDER BY m.company_id`
	var ids []int64
	if err := db.SelectContext(ctx, &ids, q, userID); err != nil {
		return nil, mapError(err, "companies for user")
	}
	return ids, nil
}

// CompaniesForUser lists the companies userID is a member of, pending ones
// included (so their members can be told what happens next).
func (db *DB) CompaniesForUser(ctx context.Context, userID int64) ([]*tsunagu.Company, error) {
	const q = `
		SELECT c.* FROM companies c JOIN company_members m ON m.company_id = c.id
		WHERE m.user_id = $1 ORDER BY lower(c.name), c.id`
	var rows []companyRow
	if err := db.SelectContext(ctx, &rows, q, userID); err != nil {
		return nil, mapError(err, "companies for user")
	}
	out := make([]*tsunagu.Company, len(rows))
	for i := range rows {
		out[i] = rows[i].company()
	}
	return out, nil
}

// CreateCompanyAccount creates u together with a new company named
// companyName in pending status, u its first member and admin, in one
// transaction.
// Returns ECONFLICT when the e-mail (constraint users_email_key) or the
// company name (companies_name_key) is taken.
func (db *DB) CreateCompanyAccount(ctx context.Context, u *tsunagu.User, companyName string) (*tsunagu.Company, error) {
	const qCompany = `
		INSERT INTO companies (name, status) VALUES ($1, 'pending')
		RETURNING *`
	const qMember = `INSERT INTO company_members (company_id, user_id, is_admin) VALUES ($1, $2, TRUE)`
	var c *tsunagu.Company
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := createUser(ctx, tx.Tx, u); err != nil {
			return err
		}
		var r companyRow
		if err := tx.GetContext(ctx, &r, qCompany, companyName); err != nil {
			return mapError(err, "create pending company")
		}
		c = r.company()
		if _, err := tx.ExecContext(ctx, qMember, c.ID, u.ID); err != nil {
			return mapError(err, "add first member")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// VerifyCompany marks a company verified by staff member by, with a note
// of what was checked. Returns ENOTFOUND.
func (db *DB) VerifyCompany(ctx context.Context, id, by int64, note string) (*tsunagu.Company, error) {
	const q = `
		UPDATE companies SET status = 'verified', verified_by = $2, verified_at = now(),
			verification_note = $3, updated_at = now()
		WHERE id = $1
		RETURNING *`
	var r companyRow
	if err := db.GetContext(ctx, &r, q, id, by, note); err != nil {
		return nil, mapError(err, "verify company")
	}
	return r.company(), nil
}

// pgCode returns the SQLSTATE of a driver error, or "".
func pgCode(err error) string {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return string(pqErr.Code)
	}
	return ""
}
