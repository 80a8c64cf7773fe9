package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// candidateRow is a candidates row with its child rows aggregated as JSON.
// Its db tags are the one list of the candidates columns: every query of
// this file names them through candidateColumns and candidateWritable.
type candidateRow struct {
	ID int64 `db:"id"`
	candidateData
	Version     int64     `db:"version"`
	CreatedAt   time.Time `db:"created_at"`
	UpdatedAt   time.Time `db:"updated_at"`
	Skills      []byte    `db:"skills"`
	Languages   []byte    `db:"languages"`
	WorkHistory []byte    `db:"work_history"`
	Education   []byte    `db:"education"`
}

// candidateData are the candidates columns a save writes.
type candidateData struct {
	ExternalID           *string        `db:"external_id"`
	UserID               *int64         `db:"user_id"`
	Name                 string         `db:"name"`
	Email                string         `db:"email"`
	Phone                string         `db:"phone"`
	PhotoURL             string         `db:"photo_url"`
	Nationality          string         `db:"nationality"`
	ResidenceStatus      string         `db:"residence_status"`
	ResidenceExpiry      *time.Time     `db:"residence_expiry"`
	Headline             string         `db:"headline"`
	Summary              string         `db:"summary"`
	Country              string         `db:"country"`
	Prefecture           string         `db:"prefecture"`
	WillingToRelocate    bool           `db:"willing_to_relocate"`
	Certifications       pq.StringArray `db:"certifications"`
	DesiredOccupations   pq.StringArray `db:"desired_occupations"`
	PreferredPrefectures pq.StringArray `db:"preferred_prefectures"`
	WorkplacePreference  string         `db:"workplace_preference"`
	AvailableFrom        *time.Time     `db:"available_from"`
	Visibility           string         `db:"visibility"`
	SpeakerOptIn         bool           `db:"speaker_opt_in"`
	Locale               string         `db:"locale"`

	// A column each, named by their db tags.
	tsunagu.CandidateFacts
}

var (
	// candidateWritable lists the columns of candidateData.
	candidateWritable = columns(candidateData{})
	// candidateColumns lists the candidates columns a read returns.
	candidateColumns = slices.Concat([]string{"id"}, candidateWritable, []string{"version", "created_at", "updated_at"})
)

// newCandidateData is the row of c's own columns (an empty external id
// stored as NULL).
func newCandidateData(c *tsunagu.Candidate) candidateData {
	d := candidateData{
		UserID: c.UserID, Name: c.Name, Email: c.Email,
		Phone: c.Phone, PhotoURL: c.PhotoURL, Nationality: c.Nationality,
		ResidenceStatus: c.ResidenceStatus, ResidenceExpiry: c.ResidenceExpiry,
		Headline: c.Headline, Summary: c.Summary, Country: c.Location.Country,
		Prefecture: c.Location.Prefecture, WillingToRelocate: c.WillingToRelocate,
		Certifications:       pq.StringArray(nonNilStrings(c.Certifications)),
		DesiredOccupations:   pq.StringArray(nonNilStrings(c.DesiredOccupations)),
		PreferredPrefectures: pq.StringArray(nonNilStrings(c.PreferredPrefectures)),
		WorkplacePreference:  c.WorkplacePreference, AvailableFrom: c.AvailableFrom,
		Visibility: c.Visibility, SpeakerOptIn: c.SpeakerOptIn, Locale: c.Locale,
		CandidateFacts: c.CandidateFacts,
	}
	if c.ExternalID != "" {
		d.ExternalID = &c.ExternalID
	}
	return d
}

// candidateSelect reads candidates with their child rows in one round trip.
var candidateSelect = `
	SELECT ` + qualified("c", candidateColumns) + `,
		COALESCE((SELECT json_agg(json_build_object('label', s.label, 'esco_uri', s.esco_uri,
			'level', s.level, 'years', s.years, 'verified', s.verified) ORDER BY s.position)
			FROM candidate_skills s WHERE s.candidate_id = c.id), '[]') AS skills,
		COALESCE((SELECT json_agg(json_build_object('code', l.code, 'level', l.level) ORDER BY l.position)
			FROM candidate_languages l WHERE l.candidate_id = c.id), '[]') AS languages,
		COALESCE((SELECT json_agg(json_build_object('title', w.title, 'occupation_uri', w.occupation_uri,
			'years', w.years, 'country', w.country, 'employer', w.employer) ORDER BY w.position)
			FROM candidate_work_history w WHERE w.candidate_id = c.id), '[]') AS work_history,
		COALESCE((SELECT json_agg(json_build_object('level', e.level, 'field', e.field,
			'institution', e.institution, 'country', e.country, 'completed', e.completed) ORDER BY e.position)
			FROM candidate_education e WHERE e.candidate_id = c.id), '[]') AS education
	FROM candidates c`

func (r *candidateRow) candidate() (*tsunagu.Candidate, error) {
	c := r.fields()
	for _, f := range []struct {
		raw []byte
		dst any
	}{{r.Skills, &c.Skills}, {r.Languages, &c.Languages}, {r.WorkHistory, &c.WorkHistory}, {r.Education, &c.Education}} {
		if err := json.Unmarshal(f.raw, f.dst); err != nil {
			return nil, fmt.Errorf("decode candidate %d children: %w", r.ID, err)
		}
	}
	return c, nil
}

// fields returns the candidate of r without its child rows.
func (r *candidateRow) fields() *tsunagu.Candidate {
	c := &tsunagu.Candidate{
		ID:                   r.ID,
		UserID:               r.UserID,
		Name:                 r.Name,
		Email:                r.Email,
		Phone:                r.Phone,
		PhotoURL:             r.PhotoURL,
		Nationality:          r.Nationality,
		ResidenceStatus:      r.ResidenceStatus,
		ResidenceExpiry:      utcDate(r.ResidenceExpiry),
		Headline:             r.Headline,
		Summary:              r.Summary,
		Location:             tsunagu.Location{Country: r.Country, Prefecture: r.Prefecture},
		WillingToRelocate:    r.WillingToRelocate,
		Certifications:       nonNilStrings(r.Certifications),
		DesiredOccupations:   nonNilStrings(r.DesiredOccupations),
		PreferredPrefectures: nonNilStrings(r.PreferredPrefectures),
		WorkplacePreference:  r.WorkplacePreference,
		AvailableFrom:        utcDate(r.AvailableFrom),
		Visibility:           r.Visibility,
		SpeakerOptIn:         r.SpeakerOptIn,
		Locale:               r.Locale,
		CandidateFacts:       r.CandidateFacts,
		Version:              r.Version,
		CreatedAt:            r.CreatedAt,
		UpdatedAt:            r.UpdatedAt,
	}
	if r.ExternalID != nil {
		c.ExternalID = *r.ExternalID
	}
	return c
}

// utcDate returns a DATE column as midnight UTC, whatever the session zone.
func utcDate(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return &d
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (db *DB) getCandidate(ctx context.Context, where string, arg any) (*tsunagu.Candidate, error) {
	var r candidateRow
	if err := db.GetContext(ctx, &r, candidateSelect+" WHERE "+where, arg); err != nil {
		return nil, mapError(err, "find candidate")
	}
	return r.candidate()
}

// CandidateByID returns the full candidate with id, or ENOTFOUND. It checks
// no permission: the profile service does.
func (db *DB) CandidateByID(ctx context.Context, id int64) (*tsunagu.Candidate, error) {
	return db.getCandidate(ctx, "c.id = $1", id)
}

// candidateViewerQuery reads a candidate with its child rows, the
// companies the viewing user ($2) is a member of and whether the candidate
// was ever proposed as a workshop lecturer, in one round trip. The child
// rows come as flat text arrays, a fixed number of columns per row
// (decodeChildren), which cost less to build and to read than JSON.
var candidateViewerQuery = `
	SELECT ` + qualified("c", candidateColumns) + `,
		ARRAY(SELECT u.x FROM candidate_skills s
			CROSS JOIN LATERAL unnest(ARRAY[s.label, s.esco_uri, s.level, s.years::text, s.verified]) WITH ORDINALITY u(x, i)
			WHERE s.candidate_id = c.id ORDER BY s.position, u.i) AS skill_values,
		ARRAY(SELECT u.x FROM candidate_languages l
			CROSS JOIN LATERAL unnest(ARRAY[l.code, l.level]) WITH ORDINALITY u(x, i)
			WHERE l.candidate_id = c.id ORDER BY l.position, u.i) AS language_values,
		ARRAY(SELECT u.x FROM candidate_work_history w
			CROSS JOIN LATERAL unnest(ARRAY[w.title, w.occupation_uri, w.years::text, w.country, w.employer]) WITH ORDINALITY u(x, i)
			WHERE w.candidate_id = c.id ORDER BY w.position, u.i) AS work_values,
		ARRAY(SELECT u.x FROM candidate_education e
			CROSS JOIN LATERAL unnest(ARRAY[e.level, e.field, e.institution, e.country, e.completed::text]) WITH ORDINALITY u(x, i)
			WHERE e.candidate_id = c.id ORDER BY e.position, u.i) AS education_values,
		ARRAY(SELECT m.company_id FROM company_members m JOIN companies co ON co.id = m.company_id
		      WHERE m.user_id = $2 AND co.status = 'verified' ORDER BY m.company_id) AS viewer_companies,
		EXISTS (SELECT 1 FROM workshop_lecturers wl WHERE wl.candidate_id = c.id) AS lecturer
	FROM candidates c
	WHERE c.id = $1`

// CandidateForViewer returns the full candidate with id, the ids of the
// companies viewerUserID is a member of (what a permission decision about
// that viewer needs) and whether the candidate was ever proposed as a
// workshop lecturer (without that, their workshop history is empty), in
// one round trip: a prepared statement. The candidate is the one
// CandidateByID returns. It checks no permission: the profile service
// does. Returns ENOTFOUND.
func (db *DB) CandidateForViewer(ctx context.Context, id, viewerUserID int64) (*tsunagu.Candidate, []int64, bool, error) {
	st, err := db.prepared(ctx, candidateViewerQuery)
	if err != nil {
		return nil, nil, false, mapError(err, "find candidate")
	}
	var r struct {
		candidateRow
		SkillValues     pq.StringArray `db:"skill_values"`
		LanguageValues  pq.StringArray `db:"language_values"`
		WorkValues      pq.StringArray `db:"work_values"`
		EducationValues pq.StringArray `db:"education_values"`
		Companies       pq.Int64Array  `db:"viewer_companies"`
		Lecturer        bool           `db:"lecturer"`
	}
	stx := &sqlx.Stmt{Stmt: st, Mapper: db.Mapper}
	if err := stx.QueryRowxContext(ctx, id, viewerUserID).StructScan(&r); err != nil {
		return nil, nil, false, mapError(err, "find candidate")
	}
	c := r.fields()
	if err := decodeChildren(c, r.SkillValues, r.LanguageValues, r.WorkValues, r.EducationValues); err != nil {
		return nil, nil, false, fmt.Errorf("decode candidate %d children: %w", r.ID, err)
	}
	if len(r.Companies) == 0 {
		return c, nil, r.Lecturer, nil
	}
	return c, []int64(r.Companies), r.Lecturer, nil
}

// decodeChildren fills c's child rows from the flat arrays of
// candidateViewerQuery: 5 values a skill, 2 a language, 5 a job and 5 a
// degree, in the order the query lists them.
func decodeChildren(c *tsunagu.Candidate, skills, languages, work, education []string) error {
	if len(skills)%5 != 0 || len(languages)%2 != 0 || len(work)%5 != 0 || len(education)%5 != 0 {
		return fmt.Errorf("child arrays of %d, %d, %d, %d values", len(skills), len(languages), len(work), len(education))
	}
	var err error
	num := func(s string) float64 {
		f, e := strconv.ParseFloat(s, 64)
		if e != nil && err == nil {
			err = e
		}
		return f
	}
	c.Skills = make([]tsunagu.SkillRef, 0, len(skills)/5)
	for i := 0; i < len(skills); i += 5 {
		v := skills[i : i+5]
		c.Skills = append(c.Skills, tsunagu.SkillRef{Label: v[0], ESCOURI: v[1], Level: v[2], Years: num(v[3]), Verified: v[4]})
	}
	c.Languages = make([]tsunagu.LanguageSkill, 0, len(languages)/2)
	for i := 0; i < len(languages); i += 2 {
		c.Languages = append(c.Languages, tsunagu.LanguageSkill{Code: languages[i], Level: languages[i+1]})
	}
	c.WorkHistory = make([]tsunagu.WorkExperience, 0, len(work)/5)
	for i := 0; i < len(work); i += 5 {
		v := work[i : i+5]
		c.WorkHistory = append(c.WorkHistory, tsunagu.WorkExperience{Title: v[0], OccupationURI: v[1], Years: num(v[2]), Country: v[3], Employer: v[4]})
	}
	c.Education = make([]tsunagu.Education, 0, len(education)/5)
	for i := 0; i < len(education); i += 5 {
		v := education[i : i+5]
		c.Education = append(c.Education, tsunagu.Education{Level: v[0], Field: v[1], Institution: v[2], Country: v[3], Completed: v[4] == "true"})
	}
	return err
}

// CandidateByExternalID returns the candidate imported under externalID, or ENOTFOUND.
func (db *DB) CandidateByExternalID(ctx context.Context, externalID string) (*tsunagu.Candidate, error) {
	return db.getCandidate(ctx, "c.external_id = $1", externalID)
}

// CandidateByUserID returns the candidate whose account is userID, or ENOTFOUND.
func (db *DB) CandidateByUserID(ctx context.Context, userID int64) (*tsunagu.Candidate, error) {
	return db.getCandidate(ctx, "c.user_id = $1", userID)
}

// candidateSearchSQL is, per search field, the condition a free-text
// pattern ($2) matches it by.
var candidateSearchSQL = map[tsunagu.SearchField]string{
	tsunagu.SearchSkills: `EXISTS (SELECT 1 FROM candidate_skills s WHERE s.candidate_id = c.id AND s.label ILIKE $2)`,
	tsunagu.SearchOccupations: `EXISTS (SELECT 1 FROM esco_occupations o
		WHERE (o.uri = ANY (c.desired_occupations) OR o.uri IN (SELECT w.occupation_uri FROM candidate_work_history w WHERE w.candidate_id = c.id))
		  AND (o.label_en ILIKE $2 OR o.label_ja ILIKE $2 OR o.label_ar ILIKE $2))`,
	tsunagu.SearchEducation:  `EXISTS (SELECT 1 FROM candidate_education e WHERE e.candidate_id = c.id AND e.field ILIKE $2)`,
	tsunagu.SearchHeadline:   `c.headline ILIKE $2`,
	tsunagu.SearchWorkTitles: `EXISTS (SELECT 1 FROM candidate_work_history w WHERE w.candidate_id = c.id AND w.title ILIKE $2)`,
	tsunagu.SearchName:       `c.name ILIKE $2`,
	tsunagu.SearchEmail:      `c.email ILIKE $2`,
	tsunagu.SearchExternalID: `c.external_id ILIKE $2`,
}

// searchCondition is the OR of the conditions of fields (nil: all).
func searchCondition(fields []tsunagu.SearchField) string {
	if fields == nil {
		fields = tsunagu.AllSearchFields
	}
	var parts []string
	for _, f := range fields {
		if cond, ok := candidateSearchSQL[f]; ok {
			parts = append(parts, cond)
		}
	}
	if len(parts) == 0 {
		return "FALSE"
	}
	return strings.Join(parts, "\n\t\t\t\tOR ")
}

// ListCandidates returns the candidates matching f, newest first, and how
// many match in all. f.Query matches only f.Fields (nil: all of them).
func (db *DB) ListCandidates(ctx context.Context, f tsunagu.CandidateFilter) ([]*tsunagu.Candidate, int, error) {
	q := `
		WITH matched AS (
			SELECT c.id FROM candidates c
			WHERE ($1 = '' OR c.visibility = $1)
			  AND ($2 = '' OR ` + searchCondition(f.Fields) + `)
			  AND ($5 = 0 OR c.visibility <> 'hidden'
				OR EXISTS (SELECT 1 FROM cases k WHERE k.candidate_id = c.id AND k.coordinator_id = $5))
		)
		SELECT (SELECT count(*) FROM matched) AS total, page.*
		FROM (` + candidateSelect + `
			WHERE c.id IN (SELECT id FROM matched)
			ORDER BY c.updated_at DESC, c.id DESC
			LIMIT $3 OFFSET $4) page`
	limit, pattern := pageLimit(f.Limit, 50), likePattern(f.Query)
	var rows []struct {
		Total int `db:"total"`
		candidateRow
	}
	if err := db.SelectContext(ctx, &rows, q, f.Visibility, pattern, limit, max(f.Offset, 0), f.HiddenFor); err != nil {
		return nil, 0, mapError(err, "list candidates")
	}
	out := make([]*tsunagu.Candidate, 0, len(rows))
	total := 0
	if len(rows) == 0 && f.Offset > 0 {
		if err := db.GetContext(ctx, &total, `SELECT count(*) FROM candidates WHERE ($1 = '' OR visibility = $1)`, f.Visibility); err != nil {
			return nil, 0, mapError(err, "count candidates")
		}
	}
	for i := range rows {
		total = rows[i].Total
		c, err := rows[i].candidateRow.candidate()
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, nil
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// SaveCandidate inserts c (ID 0) or updates it, replacing its skills,
// languages, work history and education, and writes a change_log row, all
// in one transaction. A new candidate with an ExternalID that exists updates
// that record (imports are idempotent). An update with a Version saves only
// if the record is still at that version (tsunagu.Stale otherwise). It sets
// ID, Version and timestamps. Returns ENOTFOUND when updating an ID that
// does not exist, ECONFLICT when the external id or user belongs to another
// candidate or the version is stale.
func (db *DB) SaveCandidate(ctx context.Context, c *tsunagu.Candidate) error {
	return db.InTx(ctx, func(tx *Tx) error { return saveCandidate(ctx, tx, c) })
}

// candidateUpsert inserts a candidate, or updates the one imported under
// the same external id (keeping its account when the import names none).
var candidateUpsert = `
	INSERT INTO candidates (` + strings.Join(candidateWritable, ", ") + `)
	VALUES (` + namedParams(candidateWritable) + `)
	ON CONFLICT (external_id) DO UPDATE SET ` + excludedSet(slices.DeleteFunc(slices.Clone(candidateWritable), func(c string) bool { return c == "user_id" })) + `,
		user_id = COALESCE(EXCLUDED.user_id, candidates.user_id), updated_at = now()
	RETURNING id, version, created_at, updated_at`

// candidateUpdate updates a candidate by id, at its version unless 0.
var candidateUpdate = `
	UPDATE candidates SET ` + namedSet(candidateWritable) + `, updated_at = now()
	WHERE id = :id AND (:version = 0 OR version = :version)
	RETURNING id, version, created_at, updated_at`

func saveCandidate(ctx context.Context, tx *Tx, c *tsunagu.Candidate) error {
	r := candidateRow{ID: c.ID, candidateData: newCandidateData(c), Version: c.Version}
	q := candidateUpsert
	if c.ID != 0 {
		q = candidateUpdate
	}
	if err := saveVersioned(ctx, tx, "candidates", "save candidate", q, r, c.ID, c.Version, &c.ID, &c.Version, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return err
	}
	if err := replaceCandidateChildren(ctx, tx, c); err != nil {
		return err
	}
	return logChange(ctx, tx, "candidate", c.ID, "upsert")
}

// replaceCandidateChildren replaces the child rows (skills, languages,
// work history, education) of every candidate of cs, which have their ids:
// one statement per table for all of them, positions from 1 in each
// candidate's order.
func replaceCandidateChildren(ctx context.Context, tx *Tx, cs ...*tsunagu.Candidate) error {
	const qDelete = `
		WITH s AS (DELETE FROM candidate_skills WHERE candidate_id = ANY($1)),
		     l AS (DELETE FROM candidate_languages WHERE candidate_id = ANY($1)),
		     w AS (DELETE FROM candidate_work_history WHERE candidate_id = ANY($1))
		DELETE FROM candidate_education WHERE candidate_id = ANY($1)`
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	if _, err := tx.ExecContext(ctx, qDelete, pq.Array(ids)); err != nil {
		return mapError(err, "save candidate children")
	}
	// Each table's rows as columns: owner, position, then the values.
	var sk, lg, wk, ed childColumns
	for _, c := range cs {
		for i, s := range c.Skills {
			sk.add(c.ID, i, s.Label, s.ESCOURI, s.Level, s.Years, s.Verified)
		}
		for i, l := range c.Languages {
			lg.add(c.ID, i, l.Code, l.Level)
		}
		for i, w := range c.WorkHistory {
			wk.add(c.ID, i, w.Title, w.OccupationURI, w.Years, w.Country, w.Employer)
		}
		for i, e := range c.Education {
			ed.add(c.ID, i, e.Level, e.Field, e.Institution, e.Country, e.Completed)
		}
	}
	for _, t := range []struct {
		what string
		rows *childColumns
		q    string
	}{
		{"save candidate skills", &sk, `
			INSERT INTO candidate_skills (candidate_id, position, label, esco_uri, level, years, verified)
			SELECT * FROM unnest($1::int8[], $2::int[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[])`},
		{"save candidate languages", &lg, `
			INSERT INTO candidate_languages (candidate_id, position, code, level)
			SELECT * FROM unnest($1::int8[], $2::int[], $3::text[], $4::text[])`},
		{"save candidate work history", &wk, `
			INSERT INTO candidate_work_history (candidate_id, position, title, occupation_uri, years, country, employer)
			SELECT * FROM unnest($1::int8[], $2::int[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[])`},
		{"save candidate education", &ed, `
			INSERT INTO candidate_education (candidate_id, position, level, field, institution, country, completed)
			SELECT * FROM unnest($1::int8[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bool[])`},
	} {
		if len(t.rows.owner) == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, t.q, t.rows.args()...); err != nil {
			return mapError(err, t.what)
		}
	}
	return nil
}

// childColumns are child rows as columns, for one INSERT ... SELECT FROM
// unnest of them all: the owner's id, the 1-based position, then each
// value column (text, float8 or bool, by the values added).
type childColumns struct {
	owner    []int64
	position []int64
	cols     []any // *[]string, *[]float64 or *[]bool
}

func (c *childColumns) add(owner int64, i int, values ...any) {
	c.owner, c.position = append(c.owner, owner), append(c.position, int64(i+1))
	if c.cols == nil {
		for _, v := range values {
			switch v.(type) {
			case string:
				c.cols = append(c.cols, &[]string{})
			case float64:
				c.cols = append(c.cols, &[]float64{})
			case bool:
				c.cols = append(c.cols, &[]bool{})
			}
		}
	}
	for j, v := range values {
		switch x := v.(type) {
		case string:
			col := c.cols[j].(*[]string)
			*col = append(*col, x)
		case float64:
			col := c.cols[j].(*[]float64)
			*col = append(*col, x)
		case bool:
			col := c.cols[j].(*[]bool)
			*col = append(*col, x)
		}
	}
}

func (c *childColumns) args() []any {
	out := []any{pq.Array(c.owner), pq.Array(c.position)}
	for _, col := range c.cols {
		out = append(out, pq.Array(col))
	}
	return out
}

// SaveCandidates creates or updates, in one transaction, candidates that
// each have a distinct external id (an import's batch): one INSERT ... ON
// CONFLICT (external_id) for all of them (as candidateUpsert), their child
// rows as in SaveCandidate, one change-log row each. Each gets its id,
// version and times. Any failure rolls back all of them; the caller saves
// them one by one to learn which one failed.
func (db *DB) SaveCandidates(ctx context.Context, cs []*tsunagu.Candidate) error {
	if len(cs) == 0 {
		return nil
	}
	byExt := make(map[string]*tsunagu.Candidate, len(cs))
	for _, c := range cs {
		if c.ExternalID == "" || byExt[c.ExternalID] != nil {
			return fmt.Errorf("save candidates: external id %q empty or repeated", c.ExternalID)
		}
		byExt[c.ExternalID] = c
	}
	// One row's VALUES from the named form, repeated with renumbered
	// parameters.
	one, _, err := sqlx.Named("("+namedParams(candidateWritable)+")", candidateRow{})
	if err != nil {
		return mapError(err, "save candidates")
	}
	n := strings.Count(one, "?")
	var values strings.Builder
	args := make([]any, 0, n*len(cs))
	for i, c := range cs {
		_, a, err := sqlx.Named("("+namedParams(candidateWritable)+")", candidateRow{candidateData: newCandidateData(c)})
		if err != nil {
			return mapError(err, "save candidates")
		}
		if i > 0 {
			values.WriteString(",")
		}
		values.WriteString("(")
		for j := range n {
			if j > 0 {
				values.WriteString(",")
			}
			fmt.Fprintf(&values, "$%d", i*n+j+1)
		}
		values.WriteString(")")
		args = append(args, a...)
	}
	q := `INSERT INTO candidates (` + strings.Join(candidateWritable, ", ") + `) VALUES ` + values.String() + `
		ON CONFLICT (external_id) DO UPDATE SET ` + excludedSet(slices.DeleteFunc(slices.Clone(candidateWritable), func(c string) bool { return c == "user_id" })) + `,
			user_id = COALESCE(EXCLUDED.user_id, candidates.user_id), updated_at = now()
		RETURNING external_id, id, version, created_at, updated_at`
	return db.InTx(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return mapError(err, "save candidates")
		}
		defer rows.Close()
		for rows.Next() {
			var ext string
			var id, version int64
			var created, updated time.Time
			if err := rows.Scan(&ext, &id, &version, &created, &updated); err != nil {
				return mapError(err, "save candidates")
			}
			if c := byExt[ext]; c != nil {
				c.ID, c.Version, c.CreatedAt, c.UpdatedAt = id, version, created, updated
			}
		}
		if err := rows.Err(); err != nil {
			return mapError(err, "save candidates")
		}
		rows.Close()
		if err := replaceCandidateChildren(ctx, tx, cs...); err != nil {
			return err
		}
		ids := make([]int64, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		const qLog = `INSERT INTO change_log (entity, entity_id, op) SELECT 'candidate', unnest($1::int8[]), 'upsert'`
		if _, err := tx.ExecContext(ctx, qLog, pq.Array(ids)); err != nil {
			return mapError(err, "log change")
		}
		return nil
	})
}

// logChange writes a change_log row for the search index, in tx.
func logChange(ctx context.Context, tx *Tx, entity string, id int64, op string) error {
	const q = `INSERT INTO change_log (entity, entity_id, op) VALUES ($1, $2, $3)`
	if _, err := tx.ExecContext(ctx, q, entity, id, op); err != nil {
		return mapError(err, "log change")
	}
	return nil
}

// DeleteCandidate erases the candidate with id and its child rows, and
// writes a change_log row. Returns ENOTFOUND if there is none.
func (db *DB) DeleteCandidate(ctx context.Context, id int64) error {
	return db.InTx(ctx, func(tx *Tx) error { return deleteCandidate(ctx, tx, id) })
}

// deleteCandidate deletes a candidate (the schema cascades to every row
// that refers to them) and logs the change for the search index, in tx.
// Returns ENOTFOUND if there is none.
func deleteCandidate(ctx context.Context, tx *Tx, id int64) error {
	const q = `DELETE FROM candidates WHERE id = $1`
	res, err := tx.ExecContext(ctx, q, id)
	if err != nil {
		return mapError(err, "delete candidate")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tsunagu.Errorf(tsunagu.ENOTFOUND, "error.not_found")
	}
	return logChange(ctx, tx, "candidate", id, "delete")
}

// CandidatesByExternalIDs returns the candidates with those external ids
// (missing ones are left out), for an import's batch.
func (db *DB) CandidatesByExternalIDs(ctx context.Context, externalIDs []string) ([]*tsunagu.Candidate, error) {
	var rows []candidateRow
	if err := db.SelectContext(ctx, &rows, candidateSelect+" WHERE c.external_id = ANY($1)", pq.Array(externalIDs)); err != nil {
		return nil, mapError(err, "find candidates")
	}
	out := make([]*tsunagu.Candidate, 0, len(rows))
	for i := range rows {
		c, err := rows[i].candidate()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
