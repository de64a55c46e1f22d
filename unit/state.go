package unit

import "fmt"

// State is where a unit is in its life (docs/ovrfile.md, "Process states").
type State uint8

const (
	StatePending  State = iota // never started
	StateStarting              // spawned, not yet ready
	StateReady
	StateStopping
	StateStopped
	StateCompleted // exited 0 (or satisfied ready.exit) and not restarting
	StateCrashed   // waiting to restart
	StateFailed    // down for good
)

var stateNames = [...]string{"pending", "starting", "ready", "stopping", "stopped", "completed", "crashed", "failed"}

// String returns the documented name of the state (docs/ovrfile.md).
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", s)
}

// transitions is the one table of legal state changes: transitions[from]
// lists every state a unit may move to from there.
//
//	pending   → starting
//	starting  → ready, stopping, completed, crashed, failed
//	ready     → stopping, completed, crashed, failed
//	stopping  → stopped
//	stopped   → starting
//	completed → starting (a restart, a Start), stopped (a pending restart cancelled)
//	crashed   → starting (after the backoff), stopped (restart cancelled),
//	            failed (no restart follows; once the crash is reported)
//	failed    → starting
//
// Waiting for a restart after exit 0 (RestartAlways) is spent in completed;
// after a crash, in crashed, which is also where a crash waits for its
// report to be written before the restart or the failure follows.
var transitions = map[State][]State{
	StatePending:   {StateStarting, StateFailed, StateStopped},
	StateStarting:  {StateReady, StateStopping, StateCompleted, StateCrashed, StateFailed},
	StateReady:     {StateStopping, StateCompleted, StateCrashed, StateFailed},
	StateStopping:  {StateStopped},
	StateStopped:   {StateStarting, StatePending},
	StateCompleted: {StateStarting, StateStopped},
	StateCrashed:   {StateStarting, StateStopped, StateFailed},
	StateFailed:    {StateStarting},
}

// canTransition reports whether the table allows from → to.
func canTransition(from, to State) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// running reports whether a process (or its group) may be alive in s.
func (s State) running() bool {
	return s == StateStarting || s == StateReady || s == StateStopping
}
