package http

import (
	"errors"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/form/v4"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Forms name their fields as the JSON and the validation errors do
// ("skills[2].level", "location.prefecture"), so that one struct serves
// the API, the page and the error messages, and a new field of that struct
// needs no form code: a field of the form is read into the struct field of
// the same JSON name.
var (
	formDecoder = newFormDecoder()
	formEncoder = newFormEncoder()
)

// errFormDate marks a date that does not parse, to name it as a date.
var errFormDate = errors.New("not a date")

func newFormDecoder() *form.Decoder {
	d := form.NewDecoder()
	d.SetTagName("json")
	d.SetMaxArraySize(maxFormRows)
	d.RegisterCustomTypeFunc(func(vs []string) (any, error) {
		t, err := time.Parse(time.DateOnly, vs[0])
		if err != nil {
			return nil, errFormDate
		}
		return t, nil
	}, time.Time{})
	// A whole number may be written with separators ("4,000,000 yen a year").
	d.RegisterCustomTypeFunc(func(vs []string) (any, error) {
		return strconv.Atoi(strings.NewReplacer(",", "", "_", "", "，", "").Replace(vs[0]))
	}, int(0))
	// A list of strings comes as several fields of one name (a multiple
	// select) or as a text area of one item per line.
	d.RegisterCustomTypeFunc(func(vs []string) (any, error) {
		out := []string{}
		for _, v := range vs {
			for _, line := range strings.Split(v, "\n") {
				if line = strings.TrimSpace(line); line != "" {
					out = append(out, line)
				}
			}
		}
		return out, nil
	}, []string{})
	return d
}

func newFormEncoder() *form.Encoder {
	e := form.NewEncoder()
	e.SetTagName("json")
	e.RegisterCustomTypeFunc(func(x any) ([]string, error) {
		if x.(bool) {
			return []string{"on"}, nil // as a checked checkbox posts
		}
		return nil, nil
	}, true)
	e.RegisterCustomTypeFunc(func(x any) ([]string, error) {
		return []string{strings.Join(x.([]string), "\n")}, nil
	}, []string{})
	e.RegisterCustomTypeFunc(func(x any) ([]string, error) {
		if t := x.(time.Time); !t.IsZero() {
			return []string{t.Format(time.DateOnly)}, nil
		}
		return nil, nil
	}, time.Time{})
	e.RegisterCustomTypeFunc(func(x any) ([]string, error) {
		if f := x.(float64); f != 0 {
			return []string{strconv.FormatFloat(f, 'f', -1, 64)}, nil
		}
		return nil, nil
	}, float64(0))
	return e
}

// maxFormRows bounds the index of a list row a form may post.
const maxFormRows = 500

// FormFields lays v (a struct or a pointer to one) out as the fields of
// its form, to fill the form in (RenderFilled): a true bool is "on" and a
// false one absent, as a checkbox posts; a list of strings is one item per
// line; a date is YYYY-MM-DD; zero numbers are empty.
func FormFields(v any) map[string]string {
	vals, err := formEncoder.Encode(v)
	if err != nil {
		return map[string]string{}
	}
	out := make(map[string]string, len(vals))
	for k, vs := range vals {
		if len(vs) > 0 && vs[0] != "" {
			out[k] = vs[0]
		}
	}
	return out
}

// BindForm reads a posted form into v, a pointer to a struct holding the
// record as stored (or a new one), by the names FormFields gives. A field
// of v the form posts is replaced (a checkbox posts a hidden empty field
// of its name before it, so that unticked it reads false); a field the
// form does not post keeps its value, and a field tagged form:"-" (an id,
// an owner, a time the server keeps) is never read. Values are trimmed, an
// empty value leaves its field zero, and a row of a list left wholly empty
// is dropped. A number or date that does not parse is an EINVALID error on
// its field, and v is left as it was. Unlike BindJSON it does not
// validate: the service does, after normalising.
func BindForm(c *gin.Context, v any) error {
	if err := c.Request.ParseForm(); err != nil {
		return tsunagu.Errorf(tsunagu.EINVALID, "error.invalid_input")
	}
	vals, posted := url.Values{}, map[string]bool{}
	for k, vs := range c.Request.PostForm {
		posted[k[:strings.IndexAny(k+".", ".[")]] = true
		for _, s := range vs {
			if s = strings.TrimSpace(s); s != "" {
				vals[k] = append(vals[k], s)
			}
		}
	}
	dst := reflect.ValueOf(v).Elem()
	fresh := reflect.New(dst.Type())
	if err := formDecoder.Decode(fresh.Interface(), vals); err != nil {
		return formError(err)
	}
	dropEmptyRows(fresh)
	for i := range dst.NumField() {
		f := dst.Type().Field(i)
		if name := jsonName(f); f.IsExported() && posted[name] && f.Tag.Get("form") != "-" {
			field := fresh.Elem().Field(i)
			if field.Kind() == reflect.Slice && field.IsNil() {
				field = reflect.MakeSlice(field.Type(), 0, 0) // a list emptied: [], as the JSON says it
			}
			dst.Field(i).Set(field)
		}
	}
	return nil
}

// formError names the fields a form decoder refused.
func formError(err error) error {
	var errs form.DecodeErrors
	if !errors.As(err, &errs) {
		return tsunagu.Errorf(tsunagu.EINVALID, "error.invalid_input")
	}
	var fields tsunagu.Validation
	for name, e := range errs {
		if errors.Is(e, errFormDate) {
			fields.Add(name, tsunagu.MsgInvalidDate, nil)
			continue
		}
		fields.Add(name, "error.invalid_number", nil)
	}
	return fields.Err()
}

// dropEmptyRows removes the zero elements of every list of structs in v:
// the empty rows a form offers for adding one.
func dropEmptyRows(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			dropEmptyRows(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				dropEmptyRows(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.Struct {
			return
		}
		n := 0
		for i := range v.Len() {
			if !v.Index(i).IsZero() {
				dropEmptyRows(v.Index(i))
				v.Index(n).Set(v.Index(i))
				n++
			}
		}
		v.SetLen(n)
	}
}
