package engine

import (
	"fmt"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/internal/reaper"
	"github.com/ovrseer/ovrseer/unit"
)

// stopStrays stops, once every unit closed, what ovrseer adopted that is
// still alive: the processes no unit stopped as its own (their
// OVRSEER_UNIT was removed or changed, or they belong to another run).
// They get SIGTERM, SIGKILL after unit.DefaultStopTimeout (SIGKILL at
// once when the shutdown was forced), and each is named in a
// lifecycle:error.
func (r *run) stopStrays() {
	strays := reaper.Escapes(func(string) bool { return true })
	strays = reaper.Settle(strays, time.Now().Add(reaper.MemberGrace)) // dying with a group that was killed: not strays
	if len(strays) == 0 {
		return
	}
	sig, timeout := syscall.SIGTERM, unit.DefaultStopTimeout
	if r.forced {
		sig, timeout = syscall.SIGKILL, 0
	}
	reaper.Stop(strays, sig, timeout)
	for _, s := range strays {
		msg := fmt.Sprintf("stopped escaped process %d (%s) at shutdown", s.Pid, s.Comm)
		switch {
		case s.Alive:
			msg = fmt.Sprintf("escaped process %d (%s) survived SIGKILL at shutdown", s.Pid, s.Comm)
		case s.Killed && !r.forced:
			msg += " with SIGKILL"
		}
		r.publish(Event{Type: LifecycleError, Phase: r.e.Phase(), Error: msg})
	}
}
