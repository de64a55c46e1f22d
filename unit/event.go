package unit

import (
	"fmt"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/crashrep"
	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/logger"
)

// EventKind says what happened to a unit.
type EventKind uint8

const (
	EventState     EventKind = iota // State changed (every change, in order)
	EventSpawn                      // Pid, Attempt (1 for the first spawn)
	EventReady                      // Pid, Duration (spawn to ready)
	EventExit                       // Pid, ExitCode/Signal, Duration (uptime)
	EventCrash                      // ExitCode/Signal, Reason, Restarts, WillRestart, Report
	EventRestart                    // Attempt, Delay, Reason
	EventFailed                     // Reason
	EventFlag                       // Hit (Matched or Exceeded)
	EventError                      // Err: a spawn error, a report that could not be written, ...
	EventUnhealthy                  // Pid, Reason (the check), Restarts (failures in a row), Err (the last): health.go
)

// Event is one thing that happened to a unit, handed to Options.OnEvent.
type Event struct {
	Kind     EventKind
	Time     time.Time
	State    State // the new state (EventState), else the current one
	Pid      int
	Attempt  int
	ExitCode int            // meaningful when Signal == 0
	Signal   syscall.Signal // 0 unless the process died by a signal
	Duration time.Duration
	Delay    time.Duration

	Reason      string // "exit code 2", "signal SIGSEGV", `readiness: ready.log("x") timed out after 1m`
	Restarts    int    // restarts before this crash
	WillRestart bool
	Report      string // where the crash report went ("" if it could not be written)

	Hit flagset.Hit
	Err error
}

// Options are what the owner hands a unit. OnLine and OnEvent are called
// synchronously and must not block; OnLine is the hot path (called under the
// unit's line lock, lines in arrival order across both streams). OnEvent is
// called from the unit's goroutine only, one event at a time; it may call any
// method of the unit but Close. OnLine must not call Status or Close.
// OnChunk, when set, is called by a reader after each chunk it read and
// passed line by line to OnLine, still under the line lock (before the
// actor hears of the chunk's flag hits): an owner may batch its per-line
// work up to it. The same rules as for OnLine apply. It returns true when
// the owner cannot take more of this process's lines now: the reader then
// calls Wait, without the line lock, before it reads its pipe again (so the
// process waits on its own writes, as with a slow pipe). Wait returns when
// there is room, or at once when stop is closed (the unit is closing); the
// time a reader spends in Wait after the exit does not count against the
// drain.
type Options struct {
	OnLine  func(logger.Line)
	OnChunk func() (full bool)
	Wait    func(stop <-chan struct{})
	OnEvent func(Event)
	Sink    crashrep.Sink // where crash reports go; nil means none are written
	Inherit *Inherit      // the unit this one continues (inherit.go); nil for none

	// StrictTransitions makes an illegal state transition panic (tests);
	// otherwise it is reported as an EventError and applied.
	StrictTransitions bool
}

var eventKindNames = [...]string{"state", "spawn", "ready", "exit", "crash", "restart", "failed", "flag", "error", "unhealthy"}

// String returns a short lowercase name ("spawn", "crash", ...).
func (k EventKind) String() string {
	if int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", k)
}
