package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/lib/pq"
)

// ESCOOccupation is a row of esco_occupations.
type ESCOOccupation struct {
	URI       string         `db:"uri"`
	ISCOGroup string         `db:"isco_group"`
	LabelEn   string         `db:"label_en"`
	LabelJa   string         `db:"label_ja"`
	LabelAr   string         `db:"label_ar"`
	AltLabels pq.StringArray `db:"alt_labels"`
	Broader   pq.StringArray `db:"broader"`
}

// ESCOSkill is a row of esco_skills.
type ESCOSkill struct {
	URI        string         `db:"uri"`
	SkillType  string         `db:"skill_type"`
	ReuseLevel string         `db:"reuse_level"`
	LabelEn    string         `db:"label_en"`
	LabelJa    string         `db:"label_ja"`
	AltLabels  pq.StringArray `db:"alt_labels"`
	Broader    pq.StringArray `db:"broader"`
}

// ESCOOccupationSkill is a row of esco_occupation_skills.
type ESCOOccupationSkill struct {
	OccupationURI string `db:"occupation_uri"`
	SkillURI      string `db:"skill_uri"`
	Relation      string `db:"relation"` // essential | optional
}

// TaxonomyLoadStats counts what a load changed.
type TaxonomyLoadStats struct {
	Occupations, Skills, Relations int64 // rows inserted or updated
	Deleted                        int64 // rows no longer in the data
}

// TaxonomyStore keeps the ESCO concepts in PostgreSQL.
type TaxonomyStore struct{ db *DB }

// NewTaxonomyStore returns a store on db.
func NewTaxonomyStore(db *DB) *TaxonomyStore { return &TaxonomyStore{db: db} }

// Load makes the three ESCO tables equal to the given rows, in one
// transaction: rows are upserted (only changed rows are written) and rows
// absent from the data are deleted. Loading the same data twice changes
// nothing.
func (s *TaxonomyStore) Load(ctx context.Context, occs []ESCOOccupation, skills []ESCOSkill, rels []ESCOOccupationSkill) (TaxonomyLoadStats, error) {
	var st TaxonomyLoadStats
	err := s.db.InTx(ctx, func(tx *Tx) error {
		const tmp = `
CREATE TEMP TABLE tmp_esco_occupations (LIKE esco_occupations INCLUDING DEFAULTS) ON COMMIT DROP;
CREATE TEMP TABLE tmp_esco_skills (LIKE esco_skills INCLUDING DEFAULTS) ON COMMIT DROP;
CREATE TEMP TABLE tmp_esco_occupation_skills (LIKE esco_occupation_skills) ON COMMIT DROP;`
		if _, err := tx.ExecContext(ctx, tmp); err != nil {
			return fmt.Errorf("load taxonomy: %w", err)
		}
		if err := copyRows(ctx, tx, "tmp_esco_occupations",
			[]string{"uri", "isco_group", "label_en", "label_ja", "label_ar", "alt_labels", "broader"}, len(occs),
			func(i int) []any {
				o := occs[i]
				return []any{o.URI, o.ISCOGroup, o.LabelEn, o.LabelJa, o.LabelAr, arr(o.AltLabels), arr(o.Broader)}
			}); err != nil {
			return err
		}
		if err := copyRows(ctx, tx, "tmp_esco_skills",
			[]string{"uri", "skill_type", "reuse_level", "label_en", "label_ja", "alt_labels", "broader"}, len(skills),
			func(i int) []any {
				k := skills[i]
				return []any{k.URI, k.SkillType, k.ReuseLevel, k.LabelEn, k.LabelJa, arr(k.AltLabels), arr(k.Broader)}
			}); err != nil {
			return err
		}
		if err := copyRows(ctx, tx, "tmp_esco_occupation_skills",
			[]string{"occupation_uri", "skill_uri", "relation"}, len(rels),
			func(i int) []any { r := rels[i]; return []any{r.OccupationURI, r.SkillURI, r.Relation} }); err != nil {
			return err
		}

		const upsertOccupations = `
INSERT INTO esco_occupations (uri, isco_group, label_en, label_ja, label_ar, alt_labels, broader)
SELECT uri, isco_group, label_en, label_ja, label_ar, alt_labels, broader FROM tmp_esco_occupations
ON CONFLICT (uri) DO UPDATE SET
    isco_group = EXCLUDED.isco_group, label_en = EXCLUDED.label_en, label_ja = EXCLUDED.label_ja,
    label_ar = EXCLUDED.label_ar, alt_labels = EXCLUDED.alt_labels, broader = EXCLUDED.broader, updated_at = now()
WHERE (esco_occupations.isco_group, esco_occupations.label_en, esco_occupations.label_ja, esco_occupations.label_ar,
       esco_occupations.alt_labels, esco_occupations.broader)
   IS DISTINCT FROM (EXCLUDED.isco_group, EXCLUDED.label_en, EXCLUDED.label_ja, EXCLUDED.label_ar,
       EXCLUDED.alt_labels, EXCLUDED.broader)`
		const upsertSkills = `
INSERT INTO esco_skills (uri, skill_type, reuse_level, label_en, label_ja, alt_labels, broader)
SELECT uri, skill_type, reuse_level, label_en, label_ja, alt_labels, broader FROM tmp_esco_skills
ON CONFLICT (uri) DO UPDATE SET
    skill_type = EXCLUDED.skill_type, reuse_level = EXCLUDED.reuse_level, label_en = EXCLUDED.label_en,
    label_ja = EXCLUDED.label_ja, alt_labels = EXCLUDED.alt_labels, broader = EXCLUDED.broader, updated_at = now()
WHERE (esco_skills.skill_type, esco_skills.reuse_level, esco_skills.label_en, esco_skills.label_ja,
       esco_skills.alt_labels, esco_skills.broader)
   IS DISTINCT FROM (EXCLUDED.skill_type, EXCLUDED.reuse_level, EXCLUDED.label_en, EXCLUDED.label_ja,
       EXCLUDED.alt_labels, EXCLUDED.broader)`
		const upsertRelations = `
INSERT INTO esco_occupation_skills (occupation_uri, skill_uri, relation)
SELECT occupation_uri, skill_uri, relation FROM tmp_esco_occupation_skills
ON CONFLICT (occupation_uri, skill_uri) DO UPDATE SET relation = EXCLUDED.relation
WHERE esco_occupation_skills.relation <> EXCLUDED.relation`
		const deleteRelations = `
DELETE FROM esco_occupation_skills r WHERE NOT EXISTS (
    SELECT 1 FROM tmp_esco_occupation_skills t
    WHERE t.occupation_uri = r.occupation_uri AND t.skill_uri = r.skill_uri)`
		const deleteOccupations = `
DELETE FROM esco_occupations o WHERE NOT EXISTS (SELECT 1 FROM tmp_esco_occupations t WHERE t.uri = o.uri)`
		const deleteSkills = `
DELETE FROM esco_skills s WHERE NOT EXISTS (SELECT 1 FROM tmp_esco_skills t WHERE t.uri = s.uri)`
		for _, step := range []struct {
			q string
			n *int64
		}{
			{upsertOccupations, &st.Occupations}, {upsertSkills, &st.Skills},
			{deleteRelations, &st.Deleted}, {upsertRelations, &st.Relations},
			{deleteOccupations, &st.Deleted}, {deleteSkills, &st.Deleted},
		} {
			res, err := tx.ExecContext(ctx, step.q)
			if err != nil {
				return fmt.Errorf("load taxonomy: %w", err)
			}
			n, _ := res.RowsAffected()
			*step.n += n
		}
		return nil
	})
	return st, err
}

// Counts returns the number of occupations, skills and relations stored.
func (s *TaxonomyStore) Counts(ctx context.Context) (occupations, skills, relations int, err error) {
	const q = `SELECT (SELECT count(*) FROM esco_occupations), (SELECT count(*) FROM esco_skills),
	(SELECT count(*) FROM esco_occupation_skills)`
	err = s.db.QueryRowContext(ctx, q).Scan(&occupations, &skills, &relations)
	if err != nil {
		return 0, 0, 0, mapError(err, "count taxonomy")
	}
	return occupations, skills, relations, nil
}

// Occupation returns one stored occupation (ENOTFOUND when absent).
func (s *TaxonomyStore) Occupation(ctx context.Context, uri string) (ESCOOccupation, error) {
	const q = `SELECT uri, isco_group, label_en, label_ja, label_ar, alt_labels, broader
	FROM esco_occupations WHERE uri = $1`
	var o ESCOOccupation
	if err := s.db.GetContext(ctx, &o, q, uri); err != nil {
		return o, mapError(err, "get occupation")
	}
	return o, nil
}

func arr(s []string) any {
	if s == nil {
		s = []string{}
	}
	return pq.Array(s)
}

// copyRows streams n rows into table with COPY.
func copyRows(ctx context.Context, tx *Tx, table string, cols []string, n int, row func(int) []any) error {
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = pq.QuoteIdentifier(c)
	}
	q := "COPY " + pq.QuoteIdentifier(table) + " (" + strings.Join(quoted, ", ") + ") FROM STDIN"
	stmt, err := tx.PrepareContext(ctx, q)
	if err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	defer stmt.Close()
	for i := 0; i < n; i++ {
		if _, err := stmt.ExecContext(ctx, row(i)...); err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	return nil
}
