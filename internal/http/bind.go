package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// ErrBadJSON answers a request body that is not the JSON an endpoint takes.
var ErrBadJSON = tsunagu.Errorf(tsunagu.EINVALID, "error.bad_json")

// BindJSON is the one reader of JSON request bodies. It reads at most
// DefaultBodyLimit (limitBody caps it at the edge already; this holds for
// a handler reached some other way), decodes one JSON value into v (a pointer) and refuses
// anything after it; a value of the wrong type, one that does not parse
// (a date) or text holding a NUL character is an EINVALID error on its
// field. Then, unless v validates itself (has a Validate() error method,
// which its service calls after normalising it), v's `validate` tags are
// checked through tsunagu.Check. Every error it returns is EINVALID (422)
// but a body over the limit (ETOOLARGE, 413): bad input never answers 500.
func BindJSON(c *gin.Context, v any) error { return bind(c, v, false) }

// BindJSONStrict is BindJSON refusing a field v does not have (an error on
// that field, error.unknown_field), for bodies where a misspelt field
// would otherwise change nothing without saying so.
func BindJSONStrict(c *gin.Context, v any) error { return bind(c, v, true) }

func bind(c *gin.Context, v any, strict bool) error {
	if c.Request.Body == nil {
		return ErrBadJSON
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, DefaultBodyLimit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return &tsunagu.Error{Code: tsunagu.ETOOLARGE, Message: "error.body_too_large", Data: map[string]any{"Max": byteSize(tooLarge.Limit)}}
		}
		return ErrBadJSON
	}
	if err := decodeBody(body, v, strict); err != nil {
		return err
	}
	var fields tsunagu.Validation
	nulFields(&fields, reflect.ValueOf(v), "")
	if err := fields.Err(); err != nil {
		return err
	}
	if _, self := v.(interface{ Validate() error }); self || !isStruct(v) {
		return nil
	}
	return tsunagu.Check(v)
}

// decodeBody decodes body, one JSON value, into v.
func decodeBody(body []byte, v any, strict bool) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return decodeError(err, body, v)
	}
	if _, err := dec.Token(); err != io.EOF {
		return ErrBadJSON // something after the value
	}
	return nil
}

// decodeError turns a decoding error into an error on the field at fault
// when there is one.
func decodeError(err error, body []byte, v any) error {
	// encoding/json names an unknown field only in its message.
	if name, ok := strings.CutPrefix(err.Error(), `json: unknown field "`); ok {
		return fieldError(strings.TrimSuffix(name, `"`), "error.unknown_field")
	}
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ErrBadJSON
	}
	// A value of the wrong type (a string for a number, 2.5 or 1e20 for a
	// whole number) is an error on its field; the path encoding/json gives
	// has no list indexes ("skills.level"), so the error is on the
	// top-level field.
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return ErrBadJSON
		}
		return fieldError(strings.SplitN(te.Field, ".", 2)[0], "error.json_type")
	}
	// A value its type refuses to parse (a date that is not RFC 3339):
	// encoding/json does not say where, so find the top-level field.
	if name := fieldRefusing(body, v); name != "" {
		return fieldError(name, "error.json_type")
	}
	return ErrBadJSON
}

func fieldError(field, id string) error {
	var v tsunagu.Validation
	v.Add(field, id, nil)
	return v.Err()
}

// fieldRefusing decodes the top-level members of body one by one into
// fresh values of v's fields and returns the JSON name of the first that
// fails, or "".
func fieldRefusing(body []byte, v any) string {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return ""
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return ""
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name := jsonName(f)
		raw, ok := members[name]
		if !ok || !f.IsExported() || name == "" {
			continue
		}
		if json.Unmarshal(raw, reflect.New(f.Type).Interface()) != nil {
			return name
		}
	}
	return ""
}

// jsonName is the name of a struct field in JSON ("" when it has none).
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch name {
	case "-":
		return ""
	case "":
		return f.Name
	}
	return name
}

// nulFields adds an error on every text field of v holding a NUL
// character, which PostgreSQL cannot store in text.
func nulFields(fields *tsunagu.Validation, v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			nulFields(fields, v.Elem(), path)
		}
	case reflect.String:
		if strings.IndexByte(v.String(), 0) >= 0 {
			if path == "" {
				path = "body"
			}
			fields.Add(path, tsunagu.MsgInvalidText, nil)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // raw bytes (json.RawMessage)
		}
		for i := range v.Len() {
			nulFields(fields, v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			key := fmt.Sprint(iter.Key().Interface())
			if strings.IndexByte(key, 0) >= 0 {
				fields.Add(join(path, strings.ReplaceAll(key, "\x00", "")), tsunagu.MsgInvalidText, nil)
				continue
			}
			nulFields(fields, iter.Value(), join(path, key))
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if f.Anonymous && f.Tag.Get("json") == "" {
				nulFields(fields, v.Field(i), path) // embedded: its fields are the parent's
				continue
			}
			if name := jsonName(f); name != "" {
				nulFields(fields, v.Field(i), join(path, name))
			}
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func isStruct(v any) bool {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t != nil && t.Kind() == reflect.Struct
}
