package engine

import "fmt"

// phase is where the lifecycle is (docs/ovrfile.md, "The lifecycle");
// Engine.Phase reports its name. Behaviour depends only on the stage a
// phase belongs to: starting (loading to gates), running (main and
// running), stopping (stopping and cleanup), exited.
type phase uint32

const (
	phaseLoading      phase = iota // before Run
	phaseDependencies              // dependencies start and become ready
	phaseGates                     // the dependencies-ready gates run
	phaseMain                      // main processes spawn, until main-started
	phaseRunning
	phaseStopping
	phaseCleanup
	phaseExited
)

var phaseNames = [...]string{"loading", "dependencies", "gates", "main", "running", "stopping", "cleanup", "exited"}

// String returns the name Engine.Phase reports.
func (p phase) String() string {
	if int(p) < len(phaseNames) {
		return phaseNames[p]
	}
	return fmt.Sprintf("phase(%d)", uint32(p))
}

// starting: before the main processes were launched.
func (p phase) starting() bool { return p < phaseMain }

// running: the main processes were launched and no shutdown began; a
// reload, a watched change and a restart of all are taken.
func (p phase) running() bool { return p == phaseMain || p == phaseRunning }
