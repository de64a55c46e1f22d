package engine

import (
	"fmt"

	"github.com/ovrseer/ovrseer/unit"
)

// RestartAll restarts every main process, as R does in the terminal UI
// (docs/cli.md), in deps order as a shutdown and a start would: each is
// stopped once the main processes that depend on it have stopped, then
// started again (process:restart, reason manual) once its deps are ready,
// so a dependent never starts against a dependency that is not back yet.
// A failed, crashed, completed or stopped one is started again too; a
// pending one (not started, or waiting for its deps) is left alone, and
// dependencies are not touched. If a dependency fails meanwhile, the
// processes waiting for it fail ("deps: NAME failed"). It returns the
// names of the processes it restarts, in plan order; the restart itself
// runs on after it returns.
func (e *Engine) RestartAll() ([]string, error) {
	if !phase(e.phase.Load()).running() {
		return nil, fmt.Errorf("engine: restart all: %w", errNotRunning(e.Phase()))
	}
	var names []string
	for _, p := range e.tab().procs {
		if restartsWithAll(p) {
			names = append(names, p.name)
		}
	}
	e.mbox.Post(note{kind: noteRestartAll})
	return names, nil
}

// errNotRunning says why nothing is restarted in phase.
func errNotRunning(phase string) error {
	return fmt.Errorf("the run is not running (%s)", phase)
}

// restartsWithAll reports whether RestartAll restarts p.
func restartsWithAll(p *proc) bool {
	return p.group == Main && p.current() != unit.StatePending
}

// restartAll holds every main process RestartAll restarts, to be released
// in deps order (restartdeps.go): issueHolds stops each once its held
// dependents have stopped, releaseHeld starts each once its deps are
// ready. One already held by a cascade is left to it.
func (r *run) restartAll() {
	if r.stopping {
		return
	}
	if r.holds == nil {
		r.holds, r.restarting = map[int]*hold{}, map[int]bool{}
	}
	member := make([]bool, len(r.e.tab().all))
	for _, p := range r.e.tab().procs {
		member[p.idx] = restartsWithAll(p) && r.holds[p.idx] == nil
	}
	for _, p := range r.e.tab().procs {
		if !member[p.idx] {
			continue
		}
		h := &hold{reason: "manual", revive: !running(p.current())}
		for _, d := range p.deps {
			if p.restartOnDeps && member[d] { // as its own restart_on_deps would say
				h.reason = fmt.Sprintf("deps: %s restarted", r.e.tab().all[d].name)
				break
			}
		}
		r.holds[p.idx] = h
	}
	r.issueHolds()
}
