// Package tsunagu holds the domain of the platform: its types, the service
// interfaces that the infrastructure packages implement, and the error codes
// every layer speaks. It imports no database, HTTP, search or queue code.
package tsunagu

import (
	"errors"
	"fmt"
	"sort"
)

// Error codes. Each maps to exactly one HTTP status in the http package.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EFORBIDDEN    = "forbidden"
	EUNAUTHORIZED = "unauthorized"
	ETOOMANY      = "too_many_requests"
	ETOOLARGE     = "too_large"   // a request body over its limit
	EUNAVAILABLE  = "unavailable" // a part is starting up or down; try again shortly
	EINTERNAL     = "internal"
)

// FieldError is a validation failure on one field. ID names a message in the
// translation catalogues ("error.required"); Data fills its placeholders.
// The HTTP layer renders it in the user's language.
type FieldError struct {
	ID   string         `json:"id"`
	Data map[string]any `json:"data,omitempty"`
}

// Error is the one error type of the domain. Message is a catalogue message
// ID (or plain English when no ID fits) safe to show to the user; Fields holds
// per-field validation errors keyed by the field's form/JSON name.
type Error struct {
	Code    string
	Message string
	Fields  map[string]FieldError
	Data    map[string]any
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("tsunagu error: code=%s message=%s", e.Code, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return fmt.Sprintf("tsunagu error: code=%s message=%s fields=%v", e.Code, e.Message, keys)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err: the message of an
// *Error, or "error.internal" for anything else.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "error.internal"
}

// AsError returns the *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Validation collects per-field errors. The zero value is ready to use.
type Validation struct {
	fields map[string]FieldError
}

// Add records an error on field unless one is already recorded.
func (v *Validation) Add(field, id string, data map[string]any) {
	if v.fields == nil {
		v.fields = make(map[string]FieldError)
	}
	if _, ok := v.fields[field]; ok {
		return
	}
	v.fields[field] = FieldError{ID: id, Data: data}
}

// Has reports whether field already has an error.
func (v *Validation) Has(field string) bool { _, ok := v.fields[field]; return ok }

// Err returns an EINVALID *Error carrying the fields, or nil if none failed.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "error.invalid_input", Fields: v.fields}
}

// Merge adds the per-field errors of err, an EINVALID *Error, to v (a
// field keeps its first error) and returns nil; any other non-nil err is
// returned as it is, for the caller to stop on.
func (v *Validation) Merge(err error) error {
	if err == nil {
		return nil
	}
	e := AsError(err)
	if e == nil || e.Code != EINVALID {
		return err
	}
	for k, f := range e.Fields {
		v.Add(k, f.ID, f.Data)
	}
	return nil
}
