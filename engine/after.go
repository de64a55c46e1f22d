package engine

import (
	"fmt"

	"github.com/ovrseer/ovrseer/unit"
)

// DepCond is when a dep lets its dependent start (docs/ovrfile.md,
// after): ready (a plain name in deps), started (spawned), completed (its
// first exit, any code) or succeeded (an exit in its ok_codes).
type DepCond uint8

const (
	DepReady DepCond = iota
	DepStarted
	DepCompleted
	DepSucceeded
)

var depCondNames = [...]string{"ready", "started", "completed", "succeeded"}

func (c DepCond) String() string {
	if int(c) < len(depCondNames) {
		return depCondNames[c]
	}
	return fmt.Sprintf("DepCond(%d)", uint8(c))
}

// ParseDepCond parses "ready", "started", "completed" or "succeeded".
func ParseDepCond(s string) (DepCond, error) {
	for i, n := range depCondNames {
		if n == s {
			return DepCond(i), nil
		}
	}
	return 0, fmt.Errorf("unknown condition %q (want ready, started, completed or succeeded)", s)
}

// cond is the condition of p's i-th dep.
func (p *proc) cond(i int) DepCond {
	if i < len(p.conds) {
		return p.conds[i]
	}
	return DepReady
}

// depMet reports whether p's i-th dep meets its condition.
func (r *run) depMet(p *proc, i int) bool {
	d := p.deps[i]
	v := &r.views[d]
	switch p.cond(i) {
	case DepStarted:
		return v.spawned
	case DepCompleted:
		return v.exited
	case DepSucceeded:
		return v.succeeded
	}
	return v.ready
}

// noteDepEvent records what after() conditions watch: a spawn, a first
// exit (not a requested stop) and whether it succeeded.
func (r *run) noteDepEvent(p *proc, ev *unit.Event) {
	v := &r.views[p.idx]
	switch {
	case ev.Kind == unit.EventSpawn:
		v.spawned = true
	case ev.Kind == unit.EventExit && ev.State != unit.StateStopping && ev.State != unit.StateStopped:
		v.exited = true
		if ev.State == unit.StateCompleted {
			v.succeeded = true
		}
	default:
		return
	}
	r.startUnblocked(Dependencies)
	r.startUnblocked(Main)
	r.startWanted()
}

// lost reports whether q's condition on its dep p is not met: p failed for
// good, so it never will be.
func (r *run) lost(q, p *proc) bool {
	for i, d := range q.deps {
		if d == p.idx {
			return !r.depMet(q, i)
		}
	}
	return true
}
