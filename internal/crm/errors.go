package crm

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Code classifies an error for the people and programs that see it. One
// place (httpx) maps codes to HTTP statuses.
type Code string

const (
	CodeInvalid      Code = "invalid"      // the input breaks a rule; see Fields
	CodeNotFound     Code = "not_found"    // absent, or belongs to another account
	CodeConflict     Code = "conflict"     // a unique rule or a concurrent change
	CodeForbidden    Code = "forbidden"    // authenticated, but not allowed
	CodeUnauthorized Code = "unauthorized" // not authenticated
	CodeRateLimited  Code = "rate_limited" // too many attempts
	CodeInternal     Code = "internal"     // our fault
)

// Error is a domain error. Message and field messages are i18n keys with
// arguments, so that HTML and API can each speak the user's language.
type Error struct {
	Code   Code
	Key    string         // i18n key of the general message, e.g. "err.login_failed"
	Args   []any          // name/value pairs for Key
	Fields map[string]Msg // field name → message
	Err    error          // wrapped cause, never shown to users
}

// Msg is a translatable message: an i18n key with name/value arguments.
type Msg struct {
	Key  string
	Args []any
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.Key != "" {
		s += ": " + e.Key
	}
	if len(e.Fields) > 0 {
		s += fmt.Sprintf(" %v", slices.Sorted(maps.Keys(e.Fields)))
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Sentinel-like constructors. Compare with ErrorCode, not with ==.

func NotFound() error     { return &Error{Code: CodeNotFound, Key: "err.not_found"} }
func Forbidden() error    { return &Error{Code: CodeForbidden, Key: "err.forbidden"} }
func Unauthorized() error { return &Error{Code: CodeUnauthorized, Key: "err.unauthorized"} }

// Conflict reports a broken uniqueness rule on one field.
func Conflict(field, key string, args ...any) error {
	return &Error{Code: CodeConflict, Key: "err.conflict", Fields: map[string]Msg{field: {Key: key, Args: args}}}
}

// ErrorCode returns the code of err, CodeInternal for foreign errors and ""
// for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// AsError returns err's *Error, if it has one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Validation collects field errors while a use case checks its input.
type Validation struct {
	fields map[string]Msg
}

// Add records a message for field unless the field already has one (the
// first problem is the one worth showing).
func (v *Validation) Add(field, key string, args ...any) {
	if v.fields == nil {
		v.fields = map[string]Msg{}
	}
	if _, ok := v.fields[field]; !ok {
		v.fields[field] = Msg{Key: key, Args: args}
	}
}

// Has reports whether field already has an error.
func (v *Validation) Has(field string) bool { _, ok := v.fields[field]; return ok }

// Err returns an invalid-input error, or nil when nothing was added.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Key: "err.form", Fields: v.fields}
}
