package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

type roleRow struct {
	ID              int64     `db:"id"`
	ExternalID      *string   `db:"external_id"`
	CompanyID       int64     `db:"company_id"`
	CompanyName     string    `db:"company_name"`
	Title           string    `db:"title"`
	OccupationURI   string    `db:"occupation_uri"`
	Description     string    `db:"description"`
	Country         string    `db:"country"`
	Prefecture      string    `db:"prefecture"`
	Workplace       string    `db:"workplace"`
	EmploymentType  string    `db:"employment_type"`
	SalaryMin       int       `db:"salary_min"`
	SalaryMax       int       `db:"salary_max"`
	VisaSupport     bool      `db:"visa_support"`
	Openings        int       `db:"openings"`
	Status          string    `db:"status"`
	Version         int64     `db:"version"`
	CreatedAt       time.Time `db:"created_at"`
	UpdatedAt       time.Time `db:"updated_at"`
	RequiredSkills  []byte    `db:"required_skills"`
	PreferredSkills []byte    `db:"preferred_skills"`
	Languages       []byte    `db:"languages"`
	// OccupationGuesses is JSON: [{"uri", "score"}], best first.
	OccupationGuesses []byte `db:"occupation_guesses"`
	// Translations is JSON: [{"lang", "title", "description"}].
	Translations []byte `db:"translations"`
}

const roleSelect = `
	SELECT r.*, co.name AS company_name,
		COALESCE((SELECT json_agg(json_build_object('label', s.label, 'esco_uri', s.esco_uri,
			'level', s.level, 'years', s.years) ORDER BY s.position)
			FROM role_skills s WHERE s.role_id = r.id AND s.kind = 'required'), '[]') AS required_skills,
		COALESCE((SELECT json_agg(json_build_object('label', s.label, 'esco_uri', s.esco_uri,
			'level', s.level, 'years', s.years) ORDER BY s.position)
			FROM role_skills s WHERE s.role_id = r.id AND s.kind = 'preferred'), '[]') AS preferred_skills,
		COALESCE((SELECT json_agg(json_build_object('code', l.code, 'level', l.level) ORDER BY l.position)
			FROM role_languages l WHERE l.role_id = r.id), '[]') AS languages
	FROM roles r JOIN companies co ON co.id = r.company_id`

func (r *roleRow) role() (*tsunagu.JobRole, error) {
	j := &tsunagu.JobRole{
		ID: r.ID, CompanyID: r.CompanyID, CompanyName: r.CompanyName, Title: r.Title,
		OccupationURI: r.OccupationURI, Description: r.Description,
		Location:  tsunagu.Location{Country: r.Country, Prefecture: r.Prefecture},
		Workplace: r.Workplace, EmploymentType: r.EmploymentType, SalaryMin: r.SalaryMin,
		SalaryMax: r.SalaryMax, VisaSupport: r.VisaSupport, Openings: r.Openings,
		Status: r.Status, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.ExternalID != nil {
		j.ExternalID = *r.ExternalID
	}
	for _, f := range []struct {
		raw []byte
		dst any
	}{{r.RequiredSkills, &j.RequiredSkills}, {r.PreferredSkills, &j.PreferredSkills}, {r.Languages, &j.Languages},
		{r.OccupationGuesses, &j.OccupationGuesses}, {r.Translations, &j.Translations}} {
		if len(f.raw) == 0 {
			continue
		}
		if err := json.Unmarshal(f.raw, f.dst); err != nil {
			return nil, fmt.Errorf("decode role %d children: %w", r.ID, err)
		}
	}
	if len(j.OccupationGuesses) == 0 {
		j.OccupationGuesses = nil
	}
	if len(j.Translations) == 0 {
		j.Translations = nil
	}
	return j, nil
}

func (db *DB) getRole(ctx context.Context, where string, arg any) (*tsunagu.JobRole, error) {
	var r roleRow
	if err := db.GetContext(ctx, &r, roleSelect+" WHERE "+where, arg); err != nil {
		return nil, mapError(err, "find role")
	}
	return r.role()
}

// RoleByID returns the role with id, or ENOTFOUND. It checks no permission.
func (db *DB) RoleByID(ctx context.Context, id int64) (*tsunagu.JobRole, error) {
	return db.getRole(ctx, "r.id = $1", id)
}

// RoleByExternalID returns the role imported under externalID, or ENOTFOUND.
func (db *DB) RoleByExternalID(ctx context.Context, externalID string) (*tsunagu.JobRole, error) {
	return db.getRole(ctx, "r.external_id = $1", externalID)
}

// ListRoles returns the roles matching f, newest first, and how many match.
// With orCompanies, roles of those companies match whatever f.Status says
// (a company sees its own drafts beside everyone's open roles).
func (db *DB) ListRoles(ctx context.Context, f tsunagu.RoleFilter, orCompanies []int64) ([]*tsunagu.JobRole, int, error) {
	const q = `
		WITH matched AS (
			SELECT r.id FROM roles r
			WHERE ($1 = 0 OR r.company_id = $1)
			  AND ($2 = '' OR r.status = $2 OR r.company_id = ANY($3))
			  AND ($4 = '' OR r.title ILIKE $4 OR r.description ILIKE $4)
		)
		SELECT (SELECT count(*) FROM matched) AS total, page.*
		FROM (` + roleSelect + `
			WHERE r.id IN (SELECT id FROM matched)
			ORDER BY r.updated_at DESC, r.id DESC
			LIMIT $5 OFFSET $6) page`
	limit, pattern := pageLimit(f.Limit, 50), likePattern(f.Query)
	var rows []struct {
		Total int `db:"total"`
		roleRow
	}
	if err := db.SelectContext(ctx, &rows, q, f.CompanyID, f.Status, pq.Array(orCompanies), pattern, limit, max(f.Offset, 0)); err != nil {
		return nil, 0, mapError(err, "list roles")
	}
	out := make([]*tsunagu.JobRole, 0, len(rows))
	total := 0
	for i := range rows {
		total = rows[i].Total
		r, err := rows[i].roleRow.role()
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, nil
}

// SaveRole inserts r (ID 0) or updates it, replacing its skills and
// languages, and writes a change_log row, in one transaction. A new role
// whose ExternalID exists updates that role. An update with a Version saves
// only if the role is still at that version. r.CompanyID must be set. Sets
// ID, Version and timestamps. Returns ENOTFOUND when updating an ID that
// does not exist or the company does not exist, ECONFLICT on a taken
// external id or a stale version (tsunagu.Stale).
func (db *DB) SaveRole(ctx context.Context, r *tsunagu.JobRole) error {
	const qInsert = `
		INSERT INTO roles (external_id, company_id, title, occupation_uri, description, country,
			prefecture, workplace, employment_type, salary_min, salary_max, visa_support, openings, status,
			occupation_guesses, translations)
		VALUES (NULLIF(:external_id, ''), :company_id, :title, :occupation_uri, :description, :country,
			:prefecture, :workplace, :employment_type, :salary_min, :salary_max, :visa_support, :openings, :status,
			:occupation_guesses, :translations)
		ON CONFLICT (external_id) DO UPDATE SET
			company_id = EXCLUDED.company_id, title = EXCLUDED.title,
			occupation_uri = EXCLUDED.occupation_uri, description = EXCLUDED.description,
			country = EXCLUDED.country, prefecture = EXCLUDED.prefecture, workplace = EXCLUDED.workplace,
			employment_type = EXCLUDED.employment_type, salary_min = EXCLUDED.salary_min,
			salary_max = EXCLUDED.salary_max, visa_support = EXCLUDED.visa_support,
			openings = EXCLUDED.openings, status = EXCLUDED.status,
			occupation_guesses = EXCLUDED.occupation_guesses, translations = EXCLUDED.translations,
			updated_at = now()
		RETURNING id, version, created_at, updated_at`
	const qUpdate = `
		UPDATE roles SET external_id = NULLIF(:external_id, ''), company_id = :company_id,
			title = :title, occupation_uri = :occupation_uri, description = :description,
			country = :country, prefecture = :prefecture, workplace = :workplace,
			employment_type = :employment_type, salary_min = :salary_min, salary_max = :salary_max,
			visa_support = :visa_support, openings = :openings, status = :status,
			occupation_guesses = :occupation_guesses, translations = :translations, updated_at = now()
		WHERE id = :id AND (:version = 0 OR version = :version)
		RETURNING id, version, created_at, updated_at`
	row := roleRow{
		ID: r.ID, ExternalID: &r.ExternalID, CompanyID: r.CompanyID, Title: r.Title,
		OccupationURI: r.OccupationURI, Description: r.Description, Country: r.Location.Country,
		Prefecture: r.Location.Prefecture, Workplace: r.Workplace, EmploymentType: r.EmploymentType,
		SalaryMin: r.SalaryMin, SalaryMax: r.SalaryMax, VisaSupport: r.VisaSupport,
		Openings: r.Openings, Status: r.Status, Version: r.Version,
	}
	guesses, translations := r.OccupationGuesses, r.Translations.Compact()
	if guesses == nil {
		guesses = []tsunagu.OccupationGuess{}
	}
	var err error
	if row.OccupationGuesses, err = json.Marshal(guesses); err != nil {
		return fmt.Errorf("save role: %w", err)
	}
	if row.Translations, err = json.Marshal(translations); err != nil {
		return fmt.Errorf("save role: %w", err)
	}
	q := qInsert
	if r.ID != 0 {
		q = qUpdate
	}
	return db.InTx(ctx, func(tx *Tx) error {
		err := saveVersioned(ctx, tx, "roles", "save role", q, row, r.ID, r.Version, &r.ID, &r.Version, &r.CreatedAt, &r.UpdatedAt)
		if pgCode(err) == "23503" {
			return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
		}
		if err != nil {
			return err
		}
		if err := replaceRoleChildren(ctx, tx, r); err != nil {
			return err
		}
		return logChange(ctx, tx, "role", r.ID, "upsert")
	})
}

func replaceRoleChildren(ctx context.Context, tx *Tx, r *tsunagu.JobRole) error {
	const qDelete = `
		WITH s AS (DELETE FROM role_skills WHERE role_id = $1)
		DELETE FROM role_languages WHERE role_id = $1`
	const qSkills = `
		INSERT INTO role_skills (role_id, kind, position, label, esco_uri, level, years)
		SELECT $1, t.kind, row_number() OVER (PARTITION BY t.kind ORDER BY t.ord), t.label, t.esco_uri, t.level, t.years
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[])
			WITH ORDINALITY AS t(kind, label, esco_uri, level, years, ord)`
	const qLanguages = `
		INSERT INTO role_languages (role_id, position, code, level)
		SELECT $1, t.ord, t.code, t.level
		FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(code, level, ord)`
	if _, err := tx.ExecContext(ctx, qDelete, r.ID); err != nil {
		return mapError(err, "save role children")
	}
	var kind, label, uri, level []string
	var years []float64
	for _, set := range []struct {
		kind   string
		skills []tsunagu.SkillRef
	}{{"required", r.RequiredSkills}, {"preferred", r.PreferredSkills}} {
		for _, s := range set.skills {
			kind = append(kind, set.kind)
			label = append(label, s.Label)
			uri = append(uri, s.ESCOURI)
			level = append(level, s.Level)
			years = append(years, s.Years)
		}
	}
	if len(kind) > 0 {
		if _, err := tx.ExecContext(ctx, qSkills, r.ID, pq.Array(kind), pq.Array(label), pq.Array(uri), pq.Array(level), pq.Array(years)); err != nil {
			return mapError(err, "save role skills")
		}
	}
	if n := len(r.Languages); n > 0 {
		code, lvl := make([]string, n), make([]string, n)
		for i, l := range r.Languages {
			code[i], lvl[i] = l.Code, l.Level
		}
		if _, err := tx.ExecContext(ctx, qLanguages, r.ID, pq.Array(code), pq.Array(lvl)); err != nil {
			return mapError(err, "save role languages")
		}
	}
	return nil
}

// DeleteRole removes a role and writes a change_log row. Returns ENOTFOUND.
func (db *DB) DeleteRole(ctx context.Context, id int64) error {
	const q = `DELETE FROM roles WHERE id = $1`
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, q, id)
		if err != nil {
			return mapError(err, "delete role")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
		}
		return logChange(ctx, tx, "role", id, "delete")
	})
}
