package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lib/pq"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Erasure (DESIGN.md, Principles: "A candidate can export and erase their
// data"). One transaction removes or anonymises everything that identifies
// the person, wherever it is kept:
//   - the profile and every row that refers to it (the schema cascades:
//     case, introductions, follow-ups, enrolments, lectures, ...), with the
//     change-log row that removes it from every search index;
//   - the account, which ends its sessions, API tokens, password resets,
//     notifications and saved searches (cascade);
//   - mail addressed to them, failed sign-ins under their address, the
//     feedback they wrote as a lecturer;
//   - the lines about them in uploaded imports (so a queued import cannot
//     bring them back either);
//   - and, in every other text or JSON column of every table (found from the
//     catalogue, so a table added later is covered), their e-mail address,
//     phone number and full name are replaced by ErasedMark: a company's
//     workshop comment, a colleague's notification or mail body, an import's
//     error report. Names in a comment on a workshop they taught are redacted
//     word by word, as a comment says "Amina was great", not the full name.
//
// Left alone, by design: the identity columns of other records (another
// candidate or user with the same name keeps it), the ESCO reference tables,
// and the audit log's rows (ids and actions only; their text is swept like
// any other). The audit log keeps that an erasure happened, by whom, and how
// much it removed.

// ErasedMark replaces an erased person's name, address or phone in text
// that stays.
const ErasedMark = "[erased]"

// AuditErased is the audit action of an erasure.
const AuditErased = "candidate.erased"

// keepColumns are the identity columns of other records: the sweep leaves
// them (the erased person's own rows are deleted, not swept).
var keepColumns = map[string]bool{
	"candidates.name": true, "candidates.email": true, "candidates.phone": true,
	"users.email": true, "users.display_name": true, "users.password_hash": true,
	"companies.name": true, "companies.contact_name": true, "companies.contact_email": true, "companies.contact_phone": true,
}

// skipTable says which tables the sweep does not read: reference data and
// the migration bookkeeping.
func skipTable(name string) bool {
	return strings.HasPrefix(name, "esco_") || name == "goose_db_version"
}

// person is what identifies someone being erased.
type person struct {
	candidateID int64
	userID      *int64
	externalID  string
	emails      []string // lower case
	phones      []string // digits, national form (leading 0)
	names       []string // as typed, spaces collapsed
}

// EraseCandidate erases the candidate with candidateID and their account
// (see Erasure above), in one transaction, and writes an audit row naming
// actorID (none when the candidate erased themself). Returns ENOTFOUND.
func (db *DB) EraseCandidate(ctx context.Context, candidateID, actorID int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var row struct {
			UserID     *int64  `db:"user_id"`
			ExternalID *string `db:"external_id"`
			Name       string  `db:"name"`
			Email      string  `db:"email"`
			Phone      string  `db:"phone"`
		}
		const q = `SELECT user_id, external_id, name, email, phone FROM candidates WHERE id = $1 FOR UPDATE`
		if err := tx.GetContext(ctx, &row, q, candidateID); err != nil {
			return mapError(err, "erase candidate")
		}
		p := &person{candidateID: candidateID, userID: row.UserID}
		if row.ExternalID != nil {
			p.externalID = *row.ExternalID
		}
		p.add(row.Name, row.Email, row.Phone)
		return erase(ctx, tx, p, actorID)
	})
}

// EraseAccount erases a candidate account that has no profile (see
// Erasure above). Returns ENOTFOUND.
func (db *DB) EraseAccount(ctx context.Context, userID, actorID int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		return erase(ctx, tx, &person{userID: &userID}, actorID)
	})
}

func (p *person) add(name, email, phone string) {
	if n := strings.Join(strings.Fields(name), " "); n != "" && !contains(p.names, n) {
		p.names = append(p.names, n)
	}
	if e := strings.ToLower(strings.TrimSpace(email)); e != "" && !contains(p.emails, e) {
		p.emails = append(p.emails, e)
	}
	if d := tsunagu.NationalPhone(phone); len(d) >= 6 && !contains(p.phones, d) {
		p.phones = append(p.phones, d)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func erase(ctx context.Context, tx *Tx, p *person, actorID int64) error {
	if p.userID != nil {
		var u struct {
			Email string `db:"email"`
			Name  string `db:"display_name"`
			Role  string `db:"role"`
		}
		err := tx.GetContext(ctx, &u, `SELECT email, display_name, role FROM users WHERE id = $1 FOR UPDATE`, *p.userID)
		if err != nil {
			return mapError(err, "erase account")
		}
		if u.Role != string(tsunagu.RoleCandidate) {
			p.userID = nil // a staff account linked to a profile is not theirs to end
		} else {
			p.add(u.Name, u.Email, "")
		}
	}
	counts := map[string]int64{}
	exec := func(what, q string, args ...any) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return mapError(err, "erase "+what)
		}
		n, _ := res.RowsAffected()
		counts[what] += n
		return nil
	}
	emails := pq.Array(p.emails)
	if err := exec("mail", `DELETE FROM mail_outbox WHERE lower(to_addr) = ANY($1)`, emails); err != nil {
		return err
	}
	if err := exec("login_attempts", `DELETE FROM login_attempts WHERE lower(email) = ANY($1)`, emails); err != nil {
		return err
	}
	if p.userID != nil {
		if err := exec("workshop_feedback", `DELETE FROM workshop_feedback WHERE author_id = $1 AND party = 'lecturer'`, *p.userID); err != nil {
			return err
		}
	}
	if p.candidateID != 0 {
		if err := redactWorkshopComments(ctx, tx, p, counts); err != nil {
			return err
		}
		if err := eraseImportLines(ctx, tx, p, counts); err != nil {
			return err
		}
		if err := deleteCandidate(ctx, tx, p.candidateID); err != nil {
			return err
		}
	}
	if p.userID != nil {
		if err := exec("account", `DELETE FROM users WHERE id = $1 AND role = $2`, *p.userID, tsunagu.RoleCandidate); err != nil {
			return err
		}
	}
	if err := sweep(ctx, tx, p, counts); err != nil {
		return err
	}
	var actor *int64
	if actorID != 0 && (p.userID == nil || actorID != *p.userID) {
		actor = &actorID
	}
	subjectType, subjectID := "candidate", fmt.Sprint(p.candidateID)
	if p.candidateID == 0 {
		subjectType, subjectID = "user", fmt.Sprint(*p.userID)
	}
	detail, _ := json.Marshal(map[string]any{"removed": counts})
	const q = `INSERT INTO audit_log (actor_id, action, subject_type, subject_id, detail) VALUES ($1, $2, $3, $4, $5)`
	_, err := tx.ExecContext(ctx, q, actor, AuditErased, subjectType, subjectID, detail)
	return mapError(err, "audit erasure")
}

// redactWorkshopComments removes the person's name, word by word, from the
// feedback left on workshops they taught.
func redactWorkshopComments(ctx context.Context, tx *Tx, p *person, counts map[string]int64) error {
	re := nameWords(p.names)
	if re == nil {
		return nil
	}
	var rows []struct {
		ID      int64  `db:"id"`
		Comment string `db:"comment"`
	}
	const q = `
		SELECT f.id, f.comment FROM workshop_feedback f
		WHERE f.workshop_id IN (SELECT workshop_id FROM workshop_lecturers WHERE candidate_id = $1) AND f.comment <> ''`
	if err := tx.SelectContext(ctx, &rows, q, p.candidateID); err != nil {
		return mapError(err, "erase workshop comments")
	}
	for _, r := range rows {
		c := r.Comment
		for i := 0; i < 4; i++ { // adjacent words share a separator: repeat
			c = re.ReplaceAllString(c, "${1}"+ErasedMark+"${3}")
		}
		if c == r.Comment {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE workshop_feedback SET comment = $2 WHERE id = $1`, r.ID, c); err != nil {
			return mapError(err, "erase workshop comment")
		}
		counts["workshop_comments"]++
	}
	return nil
}

// nameWords matches any word of names, case-insensitive: as a whole word
// in scripts written with spaces, as a substring in Japanese and Chinese
// (written without them). Words shorter than three letters (two in those
// scripts) are left, as too common to tell apart. The match has three
// groups: before, the word, after.
func nameWords(names []string) *regexp.Regexp {
	var spaced, unspaced []string
	for _, n := range names {
		for _, w := range strings.Fields(n) {
			cjk := strings.IndexFunc(w, func(r rune) bool {
				return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
			}) >= 0
			switch l := utf8.RuneCountInString(w); {
			case cjk && l >= 2:
				unspaced = append(unspaced, regexp.QuoteMeta(w))
			case !cjk && l >= 3:
				spaced = append(spaced, regexp.QuoteMeta(w))
			}
		}
	}
	var alts []string
	if len(spaced) > 0 {
		alts = append(alts, `(^|[^\pL\pN])(`+strings.Join(spaced, "|")+`)($|[^\pL\pN])`)
	}
	if len(unspaced) > 0 {
		alts = append(alts, strings.Join(unspaced, "|")) // groups 1 and 3 stay empty
	}
	if len(alts) == 0 {
		return nil
	}
	return regexp.MustCompile(`(?i)` + strings.Join(alts, "|"))
}

// eraseImportLines drops the lines about the person from uploaded imports
// (the content is the JSON Lines made from the upload).
func eraseImportLines(ctx context.Context, tx *Tx, p *person, counts map[string]int64) error {
	var jobs []struct {
		ID      int64  `db:"id"`
		Content []byte `db:"content"`
	}
	if err := tx.SelectContext(ctx, &jobs, `SELECT id, content FROM import_jobs WHERE kind = 'candidates' FOR UPDATE`); err != nil {
		return mapError(err, "erase import lines")
	}
	for _, j := range jobs {
		lines := bytes.SplitAfter(j.Content, []byte("\n"))
		kept := lines[:0]
		for _, l := range lines {
			if p.mentionedIn(l) {
				counts["import_lines"]++
				continue
			}
			kept = append(kept, l)
		}
		if out := bytes.Join(kept, nil); len(out) != len(j.Content) {
			if _, err := tx.ExecContext(ctx, `UPDATE import_jobs SET content = $2 WHERE id = $1`, j.ID, out); err != nil {
				return mapError(err, "erase import lines")
			}
		}
	}
	return nil
}

// mentionedIn says whether an import line is about the person: its id is
// theirs, or it holds their address, phone or name.
func (p *person) mentionedIn(line []byte) bool {
	var l struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		Email string `json:"email"`
		Phone string `json:"phone"`
	}
	_ = json.Unmarshal(line, &l) // a line that does not decode is searched as text
	if p.externalID != "" && l.ID == p.externalID {
		return true
	}
	text := strings.ToLower(strings.Join(strings.Fields(string(line)), " "))
	for _, e := range p.emails {
		if strings.Contains(text, e) {
			return true
		}
	}
	for _, ph := range p.phones {
		if tsunagu.NationalPhone(l.Phone) == ph {
			return true
		}
	}
	for _, n := range p.names {
		if strings.EqualFold(strings.Join(strings.Fields(l.Name), " "), n) {
			return true
		}
	}
	if pats := p.patterns(); len(pats) > 0 {
		return regexp.MustCompile(`(?i)(` + strings.Join(pats, "|") + `)`).Match(line)
	}
	return false
}

// phonePattern finds a phone number written with or without separators,
// in national (090-1234-5678) or international (+81 90 1234 5678) form.
func phonePattern(digits string) string {
	var b strings.Builder
	rest := digits
	if strings.HasPrefix(digits, "0") {
		b.WriteString(`(\+?81[-\s.()]*|0)`)
		rest = digits[1:]
	} else {
		b.WriteString(`\+?`)
	}
	for i, d := range rest {
		if i > 0 {
			b.WriteString(`[-\s.()]*`)
		}
		b.WriteRune(d)
	}
	return b.String()
}

// patterns are the PostgreSQL regular expressions (case-insensitive) that
// find the person in free text.
func (p *person) patterns() []string {
	var out []string
	for _, e := range p.emails {
		out = append(out, regexp.QuoteMeta(e))
	}
	for _, ph := range p.phones {
		out = append(out, phonePattern(ph))
	}
	for _, n := range p.names {
		if utf8.RuneCountInString(n) < 4 {
			continue // too short to tell from other words
		}
		parts := strings.Fields(n)
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		out = append(out, strings.Join(parts, `\s+`))
	}
	return out
}

// sweep replaces the person's address, phone and name in every text and
// JSON column of every table, found from the catalogue.
func sweep(ctx context.Context, tx *Tx, p *person, counts map[string]int64) error {
	pats := p.patterns()
	if len(pats) == 0 {
		return nil
	}
	re := "(" + strings.Join(pats, "|") + ")"
	var cols []struct {
		Table  string `db:"table_name"`
		Column string `db:"column_name"`
		Type   string `db:"data_type"`
	}
	const q = `
		SELECT c.table_name, c.column_name, c.data_type
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
		  AND c.data_type IN ('text', 'character varying', 'jsonb', 'json')
		ORDER BY c.table_name, c.ordinal_position`
	if err := tx.SelectContext(ctx, &cols, q); err != nil {
		return mapError(err, "erase: list columns")
	}
	for _, c := range cols {
		if skipTable(c.Table) || keepColumns[c.Table+"."+c.Column] {
			continue
		}
		col := pq.QuoteIdentifier(c.Column)
		expr := fmt.Sprintf(`regexp_replace(%s, $1, $2, 'gi')`, col)
		where := fmt.Sprintf(`%s ~* $1`, col)
		if c.Type == "jsonb" || c.Type == "json" {
			expr = fmt.Sprintf(`regexp_replace(%s::text, $1, $2, 'gi')::%s`, col, c.Type)
			where = fmt.Sprintf(`%s::text ~* $1`, col)
		}
		u := fmt.Sprintf(`UPDATE %s SET %s = %s WHERE %s`, pq.QuoteIdentifier(c.Table), col, expr, where)
		res, err := tx.ExecContext(ctx, u, re, ErasedMark)
		if err != nil {
			return mapError(err, "erase: sweep "+c.Table+"."+c.Column)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			counts["redacted:"+c.Table] += n
		}
	}
	return nil
}

// exportKept adds to an export what is kept about the person outside their
// profile's own rows: who viewed or acted on their profile (audit rows, with
// the viewer's name, role and companies), what they did themselves, every
// row of a table with a user_id column (sessions and API tokens without
// their secrets), mail to their address and failed sign-ins under it.
func exportKept(ctx context.Context, tx *Tx, candidateID int64, userID *int64, add func(table, q string, args ...any) error) error {
	const audit = `
		SELECT jsonb_build_object('at', a.at, 'action', a.action, 'subject_type', a.subject_type, 'subject_id', a.subject_id,
			'detail', a.detail, 'actor_id', a.actor_id, 'actor_name', u.display_name, 'actor_role', u.role,
			'actor_companies', (SELECT coalesce(jsonb_agg(c.name ORDER BY c.name), '[]') FROM company_members m
				JOIN companies c ON c.id = m.company_id WHERE m.user_id = a.actor_id))
		FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
		WHERE (a.subject_type = 'candidate' AND a.subject_id = $1) OR (a.actor_id IS NOT NULL AND a.actor_id = $2)
		ORDER BY a.at, a.id`
	var uid int64
	if userID != nil {
		uid = *userID
	}
	if err := add("audit_log", audit, fmt.Sprint(candidateID), uid); err != nil {
		return err
	}
	const addresses = `SELECT lower(email) FROM users WHERE id = $2 UNION SELECT lower(email) FROM candidates WHERE id = $1 AND email <> ''`
	if err := add("mail_outbox", `SELECT to_jsonb(m) FROM mail_outbox m WHERE lower(m.to_addr) IN (`+addresses+`)`, candidateID, uid); err != nil {
		return err
	}
	if err := add("login_attempts", `SELECT to_jsonb(l) FROM login_attempts l WHERE lower(l.email) IN (`+addresses+`)`, candidateID, uid); err != nil {
		return err
	}
	if userID == nil {
		return nil
	}
	var userTables []string
	const tablesWith = `
		SELECT table_name FROM information_schema.columns
		WHERE table_schema = 'public' AND column_name = 'user_id' AND table_name NOT IN ('candidates', 'notifications')
		ORDER BY table_name`
	if err := tx.SelectContext(ctx, &userTables, tablesWith); err != nil {
		return mapError(err, "export tables")
	}
	for _, t := range userTables {
		q := fmt.Sprintf(`SELECT to_jsonb(t) - 'token_hash' - 'csrf_token' - 'password_hash' FROM %s t WHERE user_id = $1`, pq.QuoteIdentifier(t))
		if err := add(t, q, *userID); err != nil {
			return err
		}
	}
	return add("workshop_feedback", `SELECT to_jsonb(f) FROM workshop_feedback f WHERE author_id = $1`, *userID)
}
