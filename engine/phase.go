package engine

import "fmt"

// phase is where the lifecycle is; Engine.Phase reports its name.
type phase uint32

const (
	phaseStarting phase = iota // dependencies, their gates, main spawn
	phaseRunning
	phaseStopping
	phaseCleanup
	phaseExited
)

var phaseNames = [...]string{"starting", "running", "stopping", "cleanup", "exited"}

// String returns the name Engine.Phase reports.
func (p phase) String() string {
	if int(p) < len(phaseNames) {
		return phaseNames[p]
	}
	return fmt.Sprintf("phase(%d)", uint32(p))
}
