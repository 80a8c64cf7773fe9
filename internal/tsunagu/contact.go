package tsunagu

import "strings"

// NationalPhone reduces a phone number to its digits in Japanese national
// form, so that two ways of writing one number compare equal:
// "+81 90-1234-5678", "0081 90 1234 5678", "090(1234)5678" and full-width
// "０９０１２３４５６７８" all give "09012345678". Other countries' numbers
// keep their digits.
func NationalPhone(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		}
	}
	d := b.String()
	t := strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(t, "+81") || strings.HasPrefix(t, "＋８１"):
		d = "0" + strings.TrimPrefix(d[2:], "0")
	case strings.HasPrefix(d, "0081") && len(d) > 4:
		d = "0" + strings.TrimPrefix(d[4:], "0")
	}
	return d
}

// NormalEmail is an e-mail address as compared: trimmed, lower case.
func NormalEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
