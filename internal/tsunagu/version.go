package tsunagu

// MsgChangedMeanwhile is the message of a save made from a version of a
// record that someone else has saved since.
const MsgChangedMeanwhile = "error.changed_meanwhile"

// Stale returns the ECONFLICT error of a save made from an old version of
// a record that is now at version current: nothing was saved. Every
// editable record (candidate, company, role, case, introduction, workshop)
// carries a Version, which the store bumps on every change; a save that
// names the version it was read at succeeds only if it is still that one.
func Stale(current int64) *Error {
	return &Error{Code: ECONFLICT, Message: MsgChangedMeanwhile, Data: map[string]any{"Version": current}}
}

// IsStale reports whether err is a Stale conflict.
func IsStale(err error) bool {
	e := AsError(err)
	return e != nil && e.Code == ECONFLICT && e.Message == MsgChangedMeanwhile
}

// MsgBadIfMatch is the error of an If-Match header that names no version
// of a record.
const MsgBadIfMatch = "error.bad_if_match"
