package unit

import (
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/logger"
)

// Unit supervises one process: spawn, readiness, logs, flags, crashes,
// restarts and stop. One goroutine (started by New, ended by Close) owns its
// state; every method is safe for concurrent use.
type Unit struct{}

// New validates spec, fills in its defaults and starts the unit's goroutine.
// The unit is pending until Start.
func New(spec Spec, opts Options) (*Unit, error) { panic("unimplemented") }

// Spec returns the spec with defaults filled in.
func (u *Unit) Spec() Spec { panic("unimplemented") }

// Start spawns the process if it is not running (pending, stopped,
// completed, crashed or failed); the restart count starts again from zero.
func (u *Unit) Start() { panic("unimplemented") }

// StartOnce is Start for a single run to which no restart policy applies.
func (u *Unit) StartOnce() { panic("unimplemented") }

// Stop cancels a pending restart and stops the process: StopSignal and
// SIGCONT to its group, SIGKILL after StopTimeout. The returned channel is
// closed once the group is gone (at once if nothing runs). A crash while
// stopping is never restarted.
func (u *Unit) Stop() <-chan struct{} { panic("unimplemented") }

// Kill sends SIGKILL to the group now and cancels any restart.
func (u *Unit) Kill() { panic("unimplemented") }

// Restart stops the process (if running) and starts it again, resetting the
// restart count.
func (u *Unit) Restart() { panic("unimplemented") }

// Send writes line and a newline to the process's stdin (Spec.Stdin).
func (u *Unit) Send(line string) error { panic("unimplemented") }

// Status is a snapshot of a unit.
type Status struct {
	State    State
	Pid      int // 0 when not running
	Restarts int // total restarts so far
	Exited   bool
	ExitCode int // of the last exit, when Exited and Signal == 0
	Signal   syscall.Signal
	Since    time.Time      // when State was entered
	Flags    map[string]int // every declared flag with its count
}

// Status returns a snapshot.
func (u *Unit) Status() Status { panic("unimplemented") }

// Logs returns up to n of the most recent lines, oldest first.
func (u *Unit) Logs(n int) []logger.Line { panic("unimplemented") }

// Close stops the process (like Stop), waits for it, and ends the unit's
// goroutine. Further calls are no-ops.
func (u *Unit) Close() { panic("unimplemented") }
