package profilehttp

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// conflictRow is one field of the version someone else saved while a form
// was open, where it differs from what the person typed: its label (a
// message id) and the value saved now.
type conflictRow struct {
	Label string
	Value string
}

// fieldLabel names a form field, or a list of rows ("skills": every
// "skills[i].x"), by a message id.
type fieldLabel struct {
	Field string
	Label string
}

// conflictRows compares what the person posted (mine) with the version
// saved meanwhile (theirs), both laid out as form fields, and returns the
// fields of labels that differ, with the values saved now, in the order of
// labels. Hidden ESCO and occupation URIs are left out of the values.
func conflictRows(mine, theirs map[string]string, labels []fieldLabel) []conflictRow {
	var out []conflictRow
	for _, l := range labels {
		if a, b := fieldText(mine, l.Field), fieldText(theirs, l.Field); a != b {
			if b == "" {
				b = "—"
			}
			out = append(out, conflictRow{Label: l.Label, Value: b})
		}
	}
	return out
}

// fieldText is the value of field in form as one line: a list's rows in
// order, each row's values joined by " · ", rows by "; ".
func fieldText(form map[string]string, field string) string {
	if v, ok := form[field]; ok {
		return strings.Join(strings.Fields(strings.ReplaceAll(v, "\n", "; ")), " ")
	}
	var keys []string
	for k, v := range form {
		if strings.HasPrefix(k, field+"[") && v != "" && !strings.HasSuffix(k, "_uri") {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return naturalLess(keys[i], keys[j]) })
	var rows []string
	row, prev := []string{}, ""
	for _, k := range keys {
		r := k[:strings.IndexByte(k, ']')+1]
		if r != prev && len(row) > 0 {
			rows, row = append(rows, strings.Join(row, " · ")), nil
		}
		prev = r
		v := form[k]
		if v == "on" || v == "true" {
			v = "✓"
		}
		row = append(row, v)
	}
	if len(row) > 0 {
		rows = append(rows, strings.Join(row, " · "))
	}
	return strings.Join(rows, "; ")
}

// naturalLess orders strings with their numbers by value ("x[2]" before
// "x[10]").
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		if unicode.IsDigit(rune(a[0])) && unicode.IsDigit(rune(b[0])) {
			na, ra := leadingNumber(a)
			nb, rb := leadingNumber(b)
			if na != nb {
				return na < nb
			}
			a, b = ra, rb
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func leadingNumber(s string) (int, string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, _ := strconv.Atoi(s[:i])
	return n, s[i:]
}
