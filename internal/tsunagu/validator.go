package tsunagu

import (
	"errors"
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/go-playground/validator/v10"
)

// Validation runs through go-playground/validator/v10: input types carry
// `validate` tags, the domain's vocabularies are the custom tags registered
// below, cross-field rules are struct-level functions registered beside
// them, and Check maps whatever fails, in this one place, to the per-field
// errors (message IDs of the catalogues in web/locales) the pages and the
// API show.
//
// Two more struct tags shape what Check reports:
//   - `field:"q"` names the field in errors when that is not its JSON name
//     (a form field), and
//   - `msg:"error.choice"` replaces the message ID of any failing tag but
//     required; `msg:"text=training.error.control_chars,oneline=training.error.one_line"`
//     replaces it tag by tag.
//
// The custom string tags accept "" (the value is absent: `required` says
// when that is an error), so they need no `omitempty`.

// tagMessages gives the message ID each tag reports, when the field has no
// `msg` tag for it. A tag missing here reports MsgInvalidChoice; min and
// max report MsgTooLong on text, MsgTooMany on lists, MsgOutOfRange on
// numbers.
var tagMessages = map[string]string{
	"required":          MsgRequired,
	"required_if":       MsgRequired,
	"required_with":     MsgRequired,
	"required_without":  MsgRequired,
	"range":             MsgOutOfRange,
	"text":              MsgInvalidText,
	"line":              MsgInvalidText,
	"oneline":           MsgInvalidText,
	"iso_country":       MsgInvalidCountry,
	"nationality":       MsgInvalidCountry,
	"iso_language":      MsgInvalidLanguage,
	"prefecture":        MsgInvalidPrefecture,
	"jp_prefecture":     MsgInvalidPrefecture,
	"esco_skill":        MsgUnknownSkill,
	"esco_occupation":   MsgUnknownOccupation,
	"email_addr":        MsgInvalidEmail,
	"phone":             MsgInvalidPhone,
	"http_url":          MsgInvalidURL,
	"date":              MsgInvalidDate,
	"language_level":    MsgInvalidLevel,
	"unique_code":       MsgDuplicate,
	"unique_prefecture": MsgDuplicate,
	"salary_range":      MsgSalaryRange,
	"programme_title":   "training.error.title_required",
	"programme_skill":   "training.error.unknown_skill",
	"programme_lang":    "training.error.translation_lang",
	"ends_before_start": "training.error.ends_before_start",
}

// valueTags are the tags whose message shows the value typed ({{.Value}}).
var valueTags = map[string]bool{
	"oneof": true, "iso_country": true, "nationality": true, "iso_language": true,
	"prefecture": true, "jp_prefecture": true, "esco_skill": true, "esco_occupation": true,
	"language_level": true, "unique_code": true, "unique_prefecture": true, "programme_skill": true,
}

// vocabularies are the custom tags that accept one of a list.
var vocabularies = map[string][]string{
	"education_level":  EducationLevels,
	"employment_type":  EmploymentTypes,
	"workplace":        Workplaces,
	"skill_level":      SkillLevels,
	"visibility":       Visibilities,
	"role_status":      RoleStatuses,
	"company_size":     CompanySizes,
	"residence_status": ResidenceStatuses,
	"skill_kind":       SkillKinds,
	"programme_format": ProgrammeFormats,
	"workshop_lang":    WorkshopLanguages,
	"consent_method":   ConsentMethods,
	"ui_language":      UILanguages,
}

// Vocabulary returns the values the custom tag accepts besides "" (nil
// when tag is not one of the vocabularies), for the OpenAPI document.
func Vocabulary(tag string) []string { return vocabularies[tag] }

var (
	engineOnce sync.Once
	engine     *validator.Validate
)

// Validator returns the one validator, with the domain's tags and
// struct-level rules registered.
func Validator() *validator.Validate {
	engineOnce.Do(func() {
		v := validator.New(validator.WithRequiredStructEnabled())
		v.RegisterTagNameFunc(fieldName)
		for tag, list := range vocabularies {
			must(v.RegisterValidation(tag, stringFunc(func(s string) bool { return oneOf(s, list) })))
		}
		for tag, ok := range map[string]func(string) bool{
			"text":            validText,
			"line":            validLine,
			"oneline":         func(s string) bool { return !strings.ContainsAny(s, "\r\n") },
			"iso_country":     ValidCountry,
			"nationality":     ValidNationality,
			"iso_language":    ValidLanguageCode,
			"prefecture":      func(s string) bool { _, ok := FindPrefecture(s); return ok },
			"esco_skill":      func(s string) bool { return ValidESCOURI(s, ESCOSkillPrefix) },
			"esco_occupation": func(s string) bool { return ValidESCOURI(s, ESCOOccupationPrefix) },
			"email_addr":      ValidEmail,
			"phone":           ValidPhone,
			"http_url":        ValidHTTPURL,
		} {
			must(v.RegisterValidation(tag, stringFunc(ok)))
		}
		must(v.RegisterValidation("range", inRange))
		must(v.RegisterValidation("date", func(fl validator.FieldLevel) bool {
			t, ok := fl.Field().Interface().(time.Time)
			return !ok || ValidDate(t)
		}))
		registerStructRules(v)
		engine = v
	})
	return engine
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// stringFunc makes a validator of strings that accepts "".
func stringFunc(ok func(string) bool) validator.Func {
	return func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		return s == "" || ok(s)
	}
}

// inRange is the tag range="lo hi": a number from lo to hi, not NaN.
func inRange(fl validator.FieldLevel) bool {
	lo, hi, ok := rangeParam(fl.Param())
	if !ok {
		panic("tsunagu: bad range parameter " + fl.Param())
	}
	var n float64
	switch f := fl.Field(); f.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n = float64(f.Int())
	case reflect.Float32, reflect.Float64:
		n = f.Float()
	default:
		return false
	}
	return !math.IsNaN(n) && n >= lo && n <= hi
}

func rangeParam(p string) (lo, hi float64, ok bool) {
	a, b, ok := strings.Cut(p, " ")
	if !ok {
		return 0, 0, false
	}
	lo, err1 := strconv.ParseFloat(a, 64)
	hi, err2 := strconv.ParseFloat(b, 64)
	return lo, hi, err1 == nil && err2 == nil
}

// fieldName is the name a field has in errors: its `field` tag, else its
// JSON name, else its Go name.
func fieldName(f reflect.StructField) string {
	if n := f.Tag.Get("field"); n != "" {
		return n
	}
	n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if n == "-" {
		return ""
	}
	return n
}

// Check validates s (a struct or a pointer to one) by its tags and
// struct-level rules and returns an EINVALID *Error with one message ID
// per failing field ("skills[2].level"), or nil.
func Check(s any) error {
	err := Validator().Struct(s)
	if err == nil {
		return nil
	}
	var errs validator.ValidationErrors
	if !errors.As(err, &errs) {
		return fmt.Errorf("validate %T: %w", s, err)
	}
	root := reflect.TypeOf(s)
	var v Validation
	for _, fe := range errs {
		id, data := message(root, fe)
		v.Add(errorPath(root, fe.Namespace(), fe.StructNamespace()), id, data)
	}
	return v.Err()
}

// errorPath drops the type name validator puts first and the names of
// embedded structs, whose fields stand for their own in JSON and forms:
// "Candidate.skills[2].level" becomes "skills[2].level", and
// "SavedSearch.PoolFilters.japanese" becomes "japanese".
func errorPath(root reflect.Type, ns, structNS string) string {
	parts, goParts := strings.Split(ns, "."), strings.Split(structNS, ".")
	if len(parts) == 1 || len(parts) != len(goParts) {
		_, rest, ok := strings.Cut(ns, ".")
		if !ok {
			return ns
		}
		return rest
	}
	var keep []string
	for i := 1; i < len(parts); i++ {
		if f, ok := structField(root, strings.Join(goParts[:i+1], ".")); ok && f.Anonymous {
			continue
		}
		keep = append(keep, parts[i])
	}
	return strings.Join(keep, ".")
}

// message is the message ID and data of one failed tag.
func message(root reflect.Type, fe validator.FieldError) (string, map[string]any) {
	tag := fe.Tag()
	id, ok := tagMessages[tag]
	if !ok {
		id = MsgInvalidChoice
	}
	var data map[string]any
	switch {
	case tag == "min" || tag == "max":
		key := "Min"
		if tag == "max" {
			key = "Max"
		}
		n, _ := strconv.Atoi(fe.Param())
		data = map[string]any{key: n}
		switch fe.Kind() {
		case reflect.String:
			id = MsgTooLong
		case reflect.Slice, reflect.Array, reflect.Map:
			id = MsgTooMany
		default:
			id = MsgOutOfRange
		}
	case tag == "range":
		lo, hi, _ := rangeParam(fe.Param())
		data = map[string]any{"Min": number(lo), "Max": number(hi)}
	case valueTags[tag] || vocabularies[tag] != nil:
		data = map[string]any{"Value": fmt.Sprint(fe.Value())}
	}
	if !strings.HasPrefix(tag, "required") {
		if f, ok := structField(root, fe.StructNamespace()); ok {
			if m := overrideMessage(f.Tag.Get("msg"), tag); m != "" {
				id = m
			}
		}
	}
	return id, data
}

// number prints whole numbers without a fraction.
func number(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return int(f)
	}
	return f
}

// overrideMessage reads a `msg` tag: "id" for every tag, or "tag=id,...".
func overrideMessage(msg, tag string) string {
	if msg == "" {
		return ""
	}
	if !strings.Contains(msg, "=") {
		return msg
	}
	for _, kv := range strings.Split(msg, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok && k == tag {
			return v
		}
	}
	return ""
}

// structField finds the field a struct namespace ("Candidate.Skills[2].Level")
// names, starting from root.
func structField(root reflect.Type, ns string) (reflect.StructField, bool) {
	parts := strings.Split(ns, ".")
	t := root
	var f reflect.StructField
	for i, p := range parts {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if i == 0 {
			continue // the type's own name
		}
		if t.Kind() != reflect.Struct {
			return f, false
		}
		name, _, _ := strings.Cut(p, "[")
		var ok bool
		if f, ok = t.FieldByName(name); !ok {
			return f, false
		}
		t = f.Type
	}
	return f, len(parts) > 1
}

// Struct-level rules: what a tag on one field cannot say.

func registerStructRules(v *validator.Validate) {
	v.RegisterStructValidation(func(sl validator.StructLevel) {
		l := sl.Current().Interface().(LanguageSkill)
		if l.Level != "" && !ValidLanguageLevel(l.Code, l.Level) {
			sl.ReportError(l.Level, "level", "Level", "language_level", "")
		}
	}, LanguageSkill{})
	v.RegisterStructValidation(func(sl validator.StructLevel) {
		l := sl.Current().Interface().(Location)
		if l.Country == "JP" && l.Prefecture != "" {
			if _, ok := FindPrefecture(l.Prefecture); !ok {
				sl.ReportError(l.Prefecture, "prefecture", "Prefecture", "jp_prefecture", "")
			}
		}
	}, Location{})
	v.RegisterStructValidation(func(sl validator.StructLevel) {
		c := sl.Current().Interface().(Candidate)
		reportRepeats(sl, "languages", "Languages", "code", "Code", "unique_code", RepeatedLanguages(c.Languages))
		reportRepeats(sl, "preferred_prefectures", "PreferredPrefectures", "", "", "unique_prefecture", RepeatedValues(c.PreferredPrefectures, validPrefecture))
	}, Candidate{})
	v.RegisterStructValidation(func(sl validator.StructLevel) {
		r := sl.Current().Interface().(JobRole)
		reportRepeats(sl, "languages", "Languages", "code", "Code", "unique_code", RepeatedLanguages(r.Languages))
		reportRepeats(sl, "translations", "Translations", "lang", "Lang", "unique_code", repeatedTranslations(r.Translations))
		if !SalaryRangeOK(r.SalaryMin, r.SalaryMax) {
			sl.ReportError(r.SalaryMax, "salary_max", "SalaryMax", "salary_range", "")
		}
	}, JobRole{})
	v.RegisterStructValidation(func(sl validator.StructLevel) {
		p := sl.Current().Interface().(Programme)
		if p.TitleJA == "" && p.TitleEN == "" {
			sl.ReportError(p.TitleJA, "title_ja", "TitleJA", "programme_title", "")
			sl.ReportError(p.TitleEN, "title_en", "TitleEN", "programme_title", "")
		}
		reportRepeats(sl, "translations", "Translations", "lang", "Lang", "unique_code", repeatedTranslations(p.Translations))
		for i, t := range p.Translations {
			if t.Lang == "ja" || t.Lang == "en" { // title_ja, title_en ...
				sl.ReportError(t.Lang, fmt.Sprintf("translations[%d].lang", i), fmt.Sprintf("Translations[%d].Lang", i), "programme_lang", "")
			}
		}
		for _, sk := range p.Skills {
			if !ValidESCOURI(sk.URI, ESCOSkillPrefix) {
				sl.ReportError(sk.URI, "skills", "Skills", "programme_skill", "")
			}
		}
	}, Programme{})
	v.RegisterStructValidation(func(sl validator.StructLevel) {
		c := sl.Current().Interface().(Cohort)
		if !DatesInOrder(c.StartsOn, c.EndsOn) {
			sl.ReportError(c.EndsOn, "ends_on", "EndsOn", "ends_before_start", "")
		}
	}, Cohort{})
}

func validPrefecture(s string) bool { _, ok := FindPrefecture(s); return ok }

// reportRepeats reports each repeated entry of a list, by index, on
// list[i].field (or list[i] when field is "").
func reportRepeats(sl validator.StructLevel, list, structList, field, structField, tag string, repeats map[int]string) {
	for i, val := range repeats {
		name, sname := fmt.Sprintf("%s[%d]", list, i), fmt.Sprintf("%s[%d]", structList, i)
		if field != "" {
			name, sname = name+"."+field, sname+"."+structField
		}
		sl.ReportError(val, name, sname, tag, "")
	}
}

// Named rules, usable and testable without the validator.

// validText reports whether s has no control characters but tab and line breaks.
func validText(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
	}
	return true
}

// validLine is validText without line breaks.
func validLine(s string) bool { return validText(s) && !strings.ContainsAny(s, "\r\n") }

// ValidESCOURI reports whether uri has the shape of an ESCO URI under
// prefix. Whether the concept exists is for the taxonomy to say.
func ValidESCOURI(uri, prefix string) bool {
	return strings.HasPrefix(uri, prefix) && len(uri) > len(prefix) && len(uri) <= MaxURLLen
}

// ValidEmail reports whether s is one plain e-mail address.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254
}

// ValidPhone reports whether s reads as a phone number: 6 to 20 digits and
// + - ( ) . or spaces, 40 characters at most.
func ValidPhone(s string) bool {
	if len(s) > 40 {
		return false
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == '-' || r == ' ' || r == '(' || r == ')' || r == '.':
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 20
}

// ValidHTTPURL reports whether s is an absolute http or https URL.
func ValidHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && len(s) <= MaxURLLen && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// ValidDate reports whether t falls in the years that make sense for
// availability and residence expiry (1990 to 2099).
func ValidDate(t time.Time) bool { return !t.Before(minDate) && t.Before(maxDate) }

// DatesInOrder reports whether a period does not end before it starts; an
// unset (zero) end is in order.
func DatesInOrder(start, end time.Time) bool {
	return start.IsZero() || end.IsZero() || !end.Before(start)
}

// SalaryRangeOK reports whether a salary range is in order; a bound of 0
// is no bound.
func SalaryRangeOK(lo, hi int) bool { return lo <= 0 || hi <= 0 || lo <= hi }

// RepeatedLanguages returns the index and code of every language given
// after its first mention.
func RepeatedLanguages(langs []LanguageSkill) map[int]string {
	codes := make([]string, len(langs))
	for i, l := range langs {
		codes[i] = l.Code
	}
	return RepeatedValues(codes, ValidLanguageCode)
}

// RepeatedValues returns the index and value of every valid value met
// before in list (invalid ones have their own error).
func RepeatedValues(list []string, valid func(string) bool) map[int]string {
	var out map[int]string
	seen := make(map[string]bool, len(list))
	for i, s := range list {
		if !valid(s) {
			continue
		}
		if seen[s] {
			if out == nil {
				out = map[int]string{}
			}
			out[i] = s
		}
		seen[s] = true
	}
	return out
}
