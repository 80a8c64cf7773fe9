package postgres

import (
	"reflect"
	"strings"
)

// columns lists the db tags of row's fields in order, the fields of
// embedded structs in their place: a row struct is the one list of its
// table's columns, and the queries of its store are built from it.
func columns(row any) []string {
	var out []string
	t := reflect.TypeOf(row)
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			out = append(out, columns(reflect.Zero(f.Type).Interface())...)
			continue
		}
		if tag := f.Tag.Get("db"); tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}

// qualified is "t.a, t.b, ...": the columns cols of the table aliased t.
func qualified(t string, cols []string) string {
	return t + "." + strings.Join(cols, ", "+t+".")
}

// namedParams is ":a, :b, ...": the sqlx named parameters of cols.
func namedParams(cols []string) string {
	return ":" + strings.Join(cols, ", :")
}

// namedSet is "a = :a, b = :b, ...": an UPDATE's SET of cols from named parameters.
func namedSet(cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + " = :" + c
	}
	return strings.Join(parts, ", ")
}

// excludedSet is "a = EXCLUDED.a, ...": an upsert's SET of cols from the row it tried to insert.
func excludedSet(cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + " = EXCLUDED." + c
	}
	return strings.Join(parts, ", ")
}

// pageLimit is a listing's page size: n, or def when n is not in 1..500.
func pageLimit(n, def int) int {
	if n <= 0 || n > 500 {
		return def
	}
	return n
}

// likePattern is the ILIKE pattern that finds s anywhere ("" for a blank s).
func likePattern(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return ""
	}
	return "%" + likeEscape(s) + "%"
}
