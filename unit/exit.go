package unit

import (
	"fmt"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/internal/reaper"
)

// exitInfo is how the leader ended.
type exitInfo struct {
	code int
	sig  syscall.Signal // 0 unless killed by a signal
	at   time.Time
}

func (e exitInfo) clean() bool { return e.sig == 0 && e.code == 0 }

// reason is "exit code 2" or "signal SIGSEGV".
func (e exitInfo) reason() string {
	if e.sig != 0 {
		return "signal " + SignalName(e.sig)
	}
	return fmt.Sprintf("exit code %d", e.code)
}

// exitOf is the exit of a child the reaper reaped.
func exitOf(st reaper.Status) exitInfo {
	return exitInfo{code: st.Code, sig: st.Signal, at: st.At}
}
