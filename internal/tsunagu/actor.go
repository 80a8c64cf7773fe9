package tsunagu

import "context"

// The errors every service answers with when a record is missing (or hidden
// from the caller), when the caller may not act, and when nobody is signed in.

// NotFound returns ENOTFOUND (error.not_found).
func NotFound() error { return Errorf(ENOTFOUND, "error.not_found") }

// Forbidden returns EFORBIDDEN (error.forbidden).
func Forbidden() error { return Errorf(EFORBIDDEN, "error.forbidden") }

// SignInRequired returns EUNAUTHORIZED (error.sign_in_required).
func SignInRequired() error { return Errorf(EUNAUTHORIZED, "error.sign_in_required") }

// FieldErr returns an EINVALID error on one field.
func FieldErr(field, id string, data map[string]any) error {
	var v Validation
	v.Add(field, id, data)
	return v.Err()
}

// Actor returns the signed-in user in ctx. Returns EUNAUTHORIZED when there
// is none or the account is disabled.
func Actor(ctx context.Context) (*User, error) {
	u := UserFromContext(ctx)
	if u == nil || u.Disabled {
		return nil, SignInRequired()
	}
	return u, nil
}

// ActorMay returns the signed-in user in ctx if Can lets them do act (with
// no particular subject). Returns EUNAUTHORIZED, EFORBIDDEN.
func ActorMay(ctx context.Context, act Action) (*User, error) {
	u, err := Actor(ctx)
	if err != nil {
		return nil, err
	}
	if !Can(u, act, Subject{}) {
		return nil, Forbidden()
	}
	return u, nil
}

// ActorID is the id to stamp on what u does: nil when there is no user (the
// system acts).
func ActorID(u *User) *int64 {
	if u == nil {
		return nil
	}
	id := u.ID
	return &id
}
