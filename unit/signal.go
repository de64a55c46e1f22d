package unit

import (
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// SignalName is the one way a signal is written, in events, errors, crash
// reports, check and the output: "SIGTERM" for syscall.SIGTERM, "signal 99"
// for a number without a name, "" for 0 (no signal).
func SignalName(sig syscall.Signal) string {
	if sig == 0 {
		return ""
	}
	if n := unix.SignalName(sig); n != "" {
		return n
	}
	return fmt.Sprintf("signal %d", int(sig))
}

// ExitFields are an exit as JSON wants it: the code, or the signal's name
// when a signal ended the process (the other one nil).
func ExitFields(code int, sig syscall.Signal) (exitCode *int, signal *string) {
	if sig != 0 {
		name := SignalName(sig)
		return nil, &name
	}
	return &code, nil
}
