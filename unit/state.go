package unit

import "fmt"

// State is where a unit is in its life (SPEC §3.2).
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

// String returns the SPEC name of the state.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", s)
}
