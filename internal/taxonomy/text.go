package taxonomy

import (
	"regexp"
	"strings"
	"unicode"

	porter "github.com/blevesearch/go-porterstemmer"
)

// stopWords are dropped from labels and queries before matching. The list
// is short on purpose: "it" (IT) and "us" stay, they carry meaning in titles.
var stopWords = setOf("a", "an", "the", "and", "or", "of", "for", "in", "on", "at", "to", "with",
	"by", "from", "as", "into", "within", "our", "your", "their", "its", "be", "is", "are", "&", "etc")

// abbreviations expands short forms common in job titles and CVs. Keys are
// lower-case tokens; values replace them (several words allowed).
var abbreviations = map[string]string{
	"sr": "senior", "snr": "senior", "jr": "junior", "jnr": "junior",
	"asst": "assistant", "assit": "assistant", "ass't": "assistant", "assoc": "associate",
	"exec": "executive", "execs": "executives",
	"mgr": "manager", "mngr": "manager", "mgrs": "managers", "mgmt": "management", "mgt": "management",
	"dev": "developer", "devs": "developers", "eng": "engineer", "engr": "engineer", "engg": "engineering",
	"admin": "administrative", "adm": "administrative",
	"acct": "accountant", "accts": "accounts", "acctg": "accounting", "acc": "accounting",
	"tech": "technician", "techs": "technicians", "technol": "technology",
	"coord": "coordinator", "co-ordinator": "coordinator", "spec": "specialist", "supv": "supervisor", "supvr": "supervisor",
	"rep": "representative", "reps": "representatives", "svc": "service", "svcs": "services", "cust": "customer",
	"mktg": "marketing", "mkt": "marketing", "ops": "operations", "oper": "operator",
	"hr": "human resources", "hrm": "human resources management", "qa": "quality assurance", "qc": "quality control",
	"sw": "software", "hw": "hardware", "dept": "department", "intl": "international",
	"gm": "general manager", "vp": "vice president", "svp": "senior vice president",
	"r&d": "research development", "f&b": "food beverage", "cs": "customer service",
	"js": "javascript", "ml": "machine learning", "ai": "artificial intelligence",
	"ux": "user experience", "ui": "user interface", "db": "database", "dba": "database administrator",
	"sysadmin": "system administrator", "devops": "devops", "k8s": "kubernetes",
	"ms": "microsoft", "nurse's": "nurse", "uni": "university", "govt": "government",
	"pa": "personal assistant", "ea": "executive assistant", "bd": "business development",
	"mech": "mechanical", "elec": "electrical", "maint": "maintenance", "prod": "production",
	"mfg": "manufacturing", "whse": "warehouse", "wh": "warehouse", "drv": "driver",
}

// seniorityWords say how senior or how employed, not what the job is;
// they are dropped from titles (but kept when nothing else is left).
var seniorityWords = setOf("senior", "junior", "intern", "interns", "internship", "trainee", "trainees",
	"graduate", "grad", "entry", "level", "mid", "experienced", "experience", "apprentice", "apprenticeship",
	"urgent", "urgently", "hiring", "wanted", "needed", "required", "vacancy", "vacancies", "job", "jobs", "position",
	"opening", "immediate", "immediately", "start", "full", "part", "time", "fulltime", "parttime", "full-time", "part-time",
	"contract", "temporary", "temp", "permanent", "freelance", "freelancer", "remote", "hybrid", "onsite", "based",
	"i", "ii", "iii", "iv", "m", "w", "d", "f", "h", "x", "new", "fresh", "freshers", "fresher", "staff",
	"hiring!")

// skillNoise are words around a skill mention in a posting that name no
// skill: "strong knowledge of", "experience with", "ability to".
var skillNoise = setOf("experience", "experienced", "knowledge", "understanding", "ability", "able", "strong",
	"solid", "good", "excellent", "great", "proven", "proficiency", "proficient", "skills", "skill", "skilled",
	"years", "year", "familiarity", "familiar", "working", "expertise", "expert", "advanced", "basic", "demonstrated",
	"hands-on", "etc", "e.g", "eg", "ie", "i.e", "highly", "very", "must", "plus", "preferred", "least", "using")

// genderMarks matches "(m/w/d)", "m/f", "(all genders)" and the like.
var genderMarks = regexp.MustCompile(`(?i)\(\s*[mwfdhxa*]\s*([/|,]\s*[mwfdhxa*]\s*)+\)|\b[mwfh]\s*/\s*[mwfdhx](\s*/\s*[mwfdhxi])?\b|\(\s*all genders?\s*\)|\(\s*gn\s*\)`)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// specialTokens keeps programming names the tokenizer would break.
var specialTokens = strings.NewReplacer("c#", " csharp ", "C#", " csharp ", "c++", " cplusplus ", "C++", " cplusplus ",
	"f#", " fsharp ", "F#", " fsharp ", ".net", " dotnet ", ".NET", " dotnet ", ".Net", " dotnet ")

// words splits text into lower-case word tokens, keeping "c#"-like names.
func words(s string) []string {
	s = specialTokens.Replace(s)
	s = strings.ToLower(s)
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '&')
	})
}

// stem reduces a lower-case word to its matching key ("" for stop words).
func stem(w string) string {
	w = strings.Trim(w, "'&")
	if w == "" || stopWords[w] {
		return ""
	}
	w = strings.TrimSuffix(w, "'s")
	if len(w) <= 2 {
		return w
	}
	return porter.StemString(w)
}

// analyzeLabel returns the matching keys of a label, in order.
func analyzeLabel(s string) []string {
	var out []string
	for _, w := range words(s) {
		if st := stem(w); st != "" {
			out = append(out, st)
		}
	}
	return out
}

// queryToken is one word of a prepared query.
type queryToken struct {
	raw  string // lower-case word as typed (after expansion)
	stem string
	weak bool // a rank word ("executive", "officer"): says less about the job
}

// seniorStems are the matching keys of words naming a senior grade; a
// label with one the query lacks says more than the query ("HR" is rarely
// "HR manager").
var seniorStems = setOf("manag", "director", "head", "chief", "supervisor", "superintend")

// seniorityStems are the matching keys of seniorityWords.
var seniorityStems = func() map[string]bool {
	m := map[string]bool{}
	for w := range seniorityWords {
		m[stem(w)] = true
	}
	return m
}()

// rankWords name a grade more than a job in many titles ("Marketing
// Executive", "HR Officer", "Team Lead"); they count less in titles.
var rankWords = setOf("executive", "executives", "officer", "officers", "associate", "associates", "staff",
	"lead", "leader", "principal", "head", "chief", "team", "crew", "member", "personnel", "professional")

// prepareQuery cleans a title or skill mention: gender marks and
// bracketed noise go, abbreviations are expanded, seniority or filler words
// are dropped (unless nothing else is left). title selects the title rules.
func prepareQuery(q string, title bool) []queryToken {
	q = genderMarks.ReplaceAllString(q, " ")
	main, inner := splitBrackets(q)
	toks := expandWords(main, title)
	drop := skillNoise
	if title {
		drop = seniorityWords
	}
	kept := filter(toks, drop)
	if len(kept) == 0 && inner != "" {
		kept = filter(expandWords(inner, title), drop)
	}
	if len(kept) == 0 {
		kept = toks
	}
	if len(kept) == 0 && inner != "" {
		kept = expandWords(inner, title)
	}
	out := make([]queryToken, 0, len(kept)+1)
	hasAssistant := false
	for _, w := range kept {
		if st := stem(w); st != "" {
			out = append(out, queryToken{raw: strings.Trim(w, "'&"), stem: st, weak: title && rankWords[w]})
			hasAssistant = hasAssistant || st == "assist"
		}
	}
	if title && !hasAssistant && len(out) > 0 && !hasAny(kept, learnerWords) && (hasAny(toks, learnerWords) || hasAny(words(inner), learnerWords)) {
		// An intern or trainee does an assistant's work in that field.
		out = append(out, queryToken{raw: "assistant", stem: "assist", weak: true})
	}
	return out
}

// learnerWords name a post held while learning the job.
var learnerWords = setOf("intern", "interns", "internship", "trainee", "trainees", "apprentice", "apprenticeship")

func hasAny(ws []string, set map[string]bool) bool {
	for _, w := range ws {
		if set[w] {
			return true
		}
	}
	return false
}

func filter(toks []string, drop map[string]bool) []string {
	var out []string
	for _, w := range toks {
		if !drop[w] {
			out = append(out, w)
		}
	}
	return out
}

// expandWords splits s into words and expands abbreviations; in a title
// it also translates Malay and Indonesian job words.
func expandWords(s string, title bool) []string {
	ws := words(s)
	if title {
		ws = translateForeign(ws)
	}
	var out []string
	for _, w := range ws {
		if exp, ok := abbreviations[w]; ok {
			out = append(out, strings.Fields(exp)...)
			continue
		}
		out = append(out, w)
	}
	return out
}

// splitBrackets separates text in (), [] and {} from the rest.
func splitBrackets(s string) (main, inner string) {
	var m, in strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '{':
			depth++
			in.WriteByte(' ')
			continue
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
			m.WriteByte(' ')
			continue
		}
		if depth > 0 {
			in.WriteRune(r)
		} else {
			m.WriteRune(r)
		}
	}
	return m.String(), in.String()
}

// script tells which label language a query is written in: Japanese or
// Arabic when those letters are at least as many as Latin ones (a Latin
// title with a bracketed note in Chinese is still English).
func script(s string) string {
	var ja, ar, latin int
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			ja++
		case unicode.Is(unicode.Arabic, r):
			ar++
		case unicode.IsLetter(r):
			latin++
		}
	}
	switch {
	case ja > 0 && ja >= ar && ja*2 >= latin:
		return "ja"
	case ar > 0 && ar*2 >= latin:
		return "ar"
	}
	return "en"
}

// editDistanceAtMost1 reports whether a and b differ by at most one edit
// (insertion, deletion, substitution or transposition of neighbours).
func editDistanceAtMost1(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case la > lb:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}
