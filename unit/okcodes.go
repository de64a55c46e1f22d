package unit

import (
	"slices"
	"syscall"
)

// OkCode as a ready.exit Code accepts any of Spec.OkCodes: ready.exit()
// written without a code when the process has ok_codes.
const OkCode = -1

// ok reports whether e is a success: an exit (not a signal) with a code in
// OkCodes, 0 when there are none. A success completes the process, never
// a crash.
func (s *Spec) ok(e exitInfo) bool {
	if e.sig != 0 {
		return false
	}
	if len(s.OkCodes) == 0 {
		return e.code == 0
	}
	return slices.Contains(s.OkCodes, e.code)
}

// Success reports whether an exit with code, or a death by signal sig (not
// 0), is a success of this process: a code in OkCodes, 0 when there are none.
func (s *Spec) Success(code int, sig syscall.Signal) bool {
	return s.ok(exitInfo{code: code, sig: sig})
}
