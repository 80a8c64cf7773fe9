package importer

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// CSVColumns are the columns of the coordinators' candidate spreadsheet,
// in the order of the template offered for download. Only id and name are
// required; unknown columns are ignored. Lists go in one cell:
//
//	languages       "ja:N3; en:B2; fa:native"
//	skills          "bookkeeping:advanced:5; MS Excel"   (label[:level[:years]])
//	work_history    "Senior accountant:6:AF; Shop assistant:1:JP" (title[:years[:country]])
//	preferred_prefectures "Tokyo; Saitama"
var CSVColumns = []string{
	"id", "name", "email", "phone", "nationality", "residence_status", "residence_expiry",
	"headline", "summary", "prefecture", "willing_to_relocate", "languages", "skills",
	"work_history", "education_level", "education_field", "education_institution",
	"preferred_prefectures", "workplace_preference", "available_from", "visibility",
}

// ColumnName reads a header cell: the column's name, in any case, or a
// label followed by the name in brackets, as the translated templates
// write them ("氏名 (name)", "Nom（name）").
func ColumnName(cell string) string {
	h := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(cell, "\ufeff")))
	for _, br := range [][2]string{{"(", ")"}, {"（", "）"}} {
		if rest, ok := strings.CutSuffix(h, br[1]); ok {
			if i := strings.LastIndex(rest, br[0]); i >= 0 {
				return strings.TrimSpace(rest[i+len(br[0]):])
			}
		}
	}
	return h
}

// MaxCSVRows bounds an upload.
const MaxCSVRows = 20000

// CSVToJSONL turns a candidate spreadsheet (CSV with a header row, in any
// encoding DecodeText reads; tab-separated when its header has tabs and no
// commas) into lines of the interchange format, one per data row, so that a
// CSV upload goes through exactly the checks of a JSON Lines import. Line n
// of the result is row n+1 of the sheet. A row that cannot be read becomes
// a line that will be rejected with the reason; a file that is not text is
// a *TextError.
func CSVToJSONL(r io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read CSV: %w", err)
	}
	text, _, err := DecodeText(raw)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(text))
	if header, _, _ := bytes.Cut(text, []byte{'\n'}); bytes.IndexByte(header, '\t') >= 0 && bytes.IndexByte(header, ',') < 0 {
		cr.Comma = '\t'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[ColumnName(h)] = i
	}
	if _, ok := col["id"]; !ok {
		return nil, errors.New("the CSV has no \"id\" column")
	}
	if _, ok := col["name"]; !ok {
		return nil, errors.New("the CSV has no \"name\" column")
	}
	var out []byte
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if n >= MaxCSVRows {
			return nil, fmt.Errorf("more than %d rows", MaxCSVRows)
		}
		var line []byte
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line, _ = json.Marshal(map[string]any{"_csv_error": pe.Err.Error()})
			} else {
				return nil, fmt.Errorf("read CSV: %w", err)
			}
		} else {
			line = csvRowToJSON(rec, col)
		}
		out = append(out, line...)
		out = append(out, '\n')
	}
	return out, nil
}

func csvRowToJSON(rec []string, col map[string]int) []byte {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return unguarded(strings.TrimSpace(rec[i]))
		}
		return ""
	}
	m := map[string]any{"id": get("id"), "name": get("name")}
	for _, f := range []string{"email", "phone", "nationality", "residence_status", "residence_expiry", "headline", "summary", "workplace_preference", "available_from", "visibility"} {
		if v := get(f); v != "" {
			m[f] = v
		}
	}
	if p := get("prefecture"); p != "" {
		m["location"] = map[string]string{"country": "JP", "prefecture": p}
	}
	switch strings.ToLower(get("willing_to_relocate")) {
	case "yes", "true", "1", "y", "はい":
		m["willing_to_relocate"] = true
	}
	var langs []map[string]string
	for _, item := range splitList(get("languages")) {
		code, level, _ := strings.Cut(item, ":")
		langs = append(langs, map[string]string{"code": strings.TrimSpace(code), "level": strings.TrimSpace(level)})
	}
	m["languages"] = langs
	var skills []map[string]any
	for _, item := range splitList(get("skills")) {
		parts := strings.Split(item, ":")
		s := map[string]any{"label": strings.TrimSpace(parts[0])}
		if len(parts) > 1 {
			s["level"] = strings.TrimSpace(parts[1])
		}
		if len(parts) > 2 {
			s["years"] = number(parts[2])
		}
		skills = append(skills, s)
	}
	m["skills"] = skills
	var work []map[string]any
	for _, item := range splitList(get("work_history")) {
		parts := strings.Split(item, ":")
		w := map[string]any{"title": strings.TrimSpace(parts[0])}
		if len(parts) > 1 {
			w["years"] = number(parts[1])
		}
		if len(parts) > 2 {
			w["country"] = strings.TrimSpace(parts[2])
		}
		work = append(work, w)
	}
	m["work_history"] = work
	if lvl := get("education_level"); lvl != "" {
		m["education"] = []map[string]string{{"level": lvl, "field": get("education_field"), "institution": get("education_institution")}}
	}
	if p := splitList(get("preferred_prefectures")); len(p) > 0 {
		m["preferred_prefectures"] = p
	}
	b, _ := json.Marshal(m)
	return b
}

// unguarded drops the quote an export puts before a value a spreadsheet
// would run as a formula ("'+81 90…", "'=SUM…"), so that an exported file
// imports back as it was.
func unguarded(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
		return v[1:]
	}
	return v
}

// number reads a cell as a number; what is not one is passed on as text so
// that the line is rejected with a clear reason.
func number(s string) any {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f
	}
	return s
}

func splitList(s string) []string {
	var out []string
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' || r == '；' }) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// CSVRow writes c as a row of the candidate spreadsheet, one cell per
// CSVColumns entry, in the formats CSVToJSONL reads: an export a
// coordinator edits in Excel imports back. The id column is the record's
// external id, or "tsunagu-<id>" when it has none. Only the first
// education entry has columns.
func CSVRow(c *tsunagu.Candidate) []string {
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	day := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	var langs, skills, work []string
	for _, l := range c.Languages {
		langs = append(langs, l.Code+":"+l.Level)
	}
	for _, s := range c.Skills {
		cell := s.Label
		if s.Level != "" || s.Years > 0 {
			cell += ":" + s.Level
		}
		if s.Years > 0 {
			cell += ":" + num(s.Years)
		}
		skills = append(skills, cell)
	}
	for _, w := range c.WorkHistory {
		cell := w.Title
		if w.Years > 0 || w.Country != "" {
			cell += ":" + num(w.Years)
		}
		if w.Country != "" {
			cell += ":" + w.Country
		}
		work = append(work, cell)
	}
	var edu tsunagu.Education
	if len(c.Education) > 0 {
		edu = c.Education[0]
	}
	id := c.ExternalID
	if id == "" {
		id = "tsunagu-" + strconv.FormatInt(c.ID, 10)
	}
	relocate := ""
	if c.WillingToRelocate {
		relocate = "yes"
	}
	cells := map[string]string{
		"id": id, "name": c.Name, "email": c.Email, "phone": c.Phone, "nationality": c.Nationality,
		"residence_status": c.ResidenceStatus, "residence_expiry": day(c.ResidenceExpiry),
		"headline": c.Headline, "summary": c.Summary, "prefecture": c.Location.Prefecture,
		"willing_to_relocate": relocate, "languages": strings.Join(langs, "; "), "skills": strings.Join(skills, "; "),
		"work_history": strings.Join(work, "; "), "education_level": edu.Level, "education_field": edu.Field,
		"education_institution": edu.Institution, "preferred_prefectures": strings.Join(c.PreferredPrefectures, "; "),
		"workplace_preference": c.WorkplacePreference, "available_from": day(c.AvailableFrom), "visibility": c.Visibility,
	}
	row := make([]string, len(CSVColumns))
	for i, col := range CSVColumns {
		row[i] = cells[col]
	}
	return row
}
