package engine

import (
	"fmt"

	"github.com/ovrseer/ovrseer/unit"
)

// restart_on_deps (docs/ovrfile.md): when a process restarts for any
// reason, its dependents that have RestartOnDeps (and theirs, down the
// chain) are stopped first, dependents first as in the shutdown, and left
// pending ("held"). Once every process in a held one's deps is ready again
// it is restarted with the reason "deps: NAME restarted". When the process
// fails for good instead, they fail with "deps: NAME failed". A dependent
// that is not running (stopped by the user, completed) is left alone.

// hold is the lifecycle's record of one held dependent.
type hold struct {
	cause   string // the dep whose restart (or failure) held it
	asked   bool   // Hold was called
	stopped bool   // it is pending now
	fail    string // fail it with this reason once stopped
	reason  string // of its restart; "" is "deps: CAUSE restarted"
	revive  bool   // it did not run when held (RestartAll): start it from failed or completed too
}

// cascade is a set of dependents being stopped before then runs.
type cascade struct {
	members []int
	then    func()
}

// hasRestartDependents reports whether p has a dependent with the option.
func (e *Engine) hasRestartDependents(p *proc) bool {
	for _, d := range p.dependents {
		if e.tab().all[d].restartOnDeps {
			return true
		}
	}
	return false
}

// restartCascade restarts p for reason once its running restart_on_deps
// dependents are stopped and held.
func (r *run) restartCascade(p *proc, reason string) {
	if r.stopping {
		p.unit.RestartFor(reason)
		return
	}
	if r.holds[p.idx] != nil {
		return // held: it starts again once its dependency is ready
	}
	if r.holds == nil {
		r.holds, r.restarting = map[int]*hold{}, map[int]bool{}
	}
	p.setOnce(false)
	r.restarting[p.idx] = true // its dependents wait for its next readiness
	r.holdDependents(p, "", func() { p.unit.RestartFor(reason) })
}

// holdDependents holds the running restart_on_deps dependents of p, down
// the chain, and runs then once all are stopped (at once when there are
// none). fail, when set, fails each of them once stopped.
func (r *run) holdDependents(p *proc, fail string, then func()) {
	if r.holds == nil {
		r.holds, r.restarting = map[int]*hold{}, map[int]bool{}
	}
	c := &cascade{then: then}
	r.collectHolds(p, fail, c)
	if len(c.members) == 0 {
		if then != nil {
			then()
		}
		return
	}
	r.cascades = append(r.cascades, c)
	r.issueHolds()
}

// collectHolds adds the dependents of p to c, depth first.
func (r *run) collectHolds(p *proc, fail string, c *cascade) {
	for _, d := range p.dependents {
		dp := r.e.tab().all[d]
		if !dp.restartOnDeps || r.holds[d] != nil {
			if h := r.holds[d]; h != nil && fail != "" && h.fail == "" {
				h.fail = fmt.Sprintf("deps: %s failed", p.name)
				if h.stopped {
					dp.unit.Fail(h.fail)
				}
			}
			continue
		}
		if s := dp.current(); !running(s) && s != unit.StateCrashed {
			continue // stopped by the user, completed, failed: left alone
		}
		h := &hold{cause: p.name}
		if fail != "" {
			h.fail = fmt.Sprintf("deps: %s failed", p.name)
		}
		r.holds[d] = h
		c.members = append(c.members, d)
		r.collectHolds(dp, fail, c)
	}
}

// issueHolds stops each held dependent whose own held dependents stopped.
func (r *run) issueHolds() {
	for d, h := range r.holds {
		if h.stopped || h.asked || !r.heldDependentsStopped(r.e.tab().all[d]) {
			continue
		}
		h.asked = true
		p := r.e.tab().all[d]
		done := p.unit.Hold()
		go func() {
			<-done
			r.e.mbox.Post(note{kind: noteHeld, proc: p.idx})
		}()
	}
}

func (r *run) heldDependentsStopped(p *proc) bool {
	for _, d := range p.dependents {
		if h := r.holds[d]; h != nil && !h.stopped {
			return false
		}
	}
	return true
}

// heldStopped marks a held dependent pending, goes on with the cascade and
// runs what waited for it.
func (r *run) heldStopped(idx int) {
	h := r.holds[idx]
	if h == nil {
		return
	}
	h.stopped = true
	if h.fail != "" {
		delete(r.holds, idx)
		r.e.tab().all[idx].unit.Fail(h.fail)
	}
	r.issueHolds()
	kept := r.cascades[:0]
	for _, c := range r.cascades {
		if r.cascadeStopped(c) {
			if c.then != nil {
				c.then()
			}
			continue
		}
		kept = append(kept, c)
	}
	r.cascades = kept
	r.releaseHeld()
}

func (r *run) cascadeStopped(c *cascade) bool {
	for _, d := range c.members {
		if h := r.holds[d]; h != nil && !h.stopped {
			return false
		}
	}
	return true
}

// releaseHeld restarts, in deps order, each stopped held dependent whose
// deps are all ready and not held.
func (r *run) releaseHeld() {
	if r.stopping {
		return
	}
	for d, h := range r.holds {
		p := r.e.tab().all[d]
		if h.stopped && !h.startable(p.current()) {
			delete(r.holds, d) // stopped by the user meanwhile: it stays down
			continue
		}
		if !h.stopped || !r.depsReadyNow(p) {
			continue
		}
		delete(r.holds, d)
		r.restarting[d] = true // until it spawns: its old state says nothing
		p.setOnce(false)
		reason := h.reason
		if reason == "" {
			reason = fmt.Sprintf("deps: %s restarted", h.cause)
		}
		p.unit.RestartFor(reason)
	}
}

// startable reports whether a stopped hold may start from state s: it
// is pending, or it did not run when held and still does not.
func (h *hold) startable(s unit.State) bool {
	return s == unit.StatePending || h.revive && h.fail == "" && (s == unit.StateFailed || s == unit.StateCompleted)
}

func (r *run) depsReadyNow(p *proc) bool {
	for i, d := range p.deps {
		if !condNow(p.cond(i), r.e.tab().all[d].current()) || r.holds[d] != nil || r.restarting[d] {
			return false
		}
	}
	return true
}

// condNow reports whether a dep in state s meets cond now (after() of
// docs/ovrfile.md, judged by the state of its current run).
func condNow(cond DepCond, s unit.State) bool {
	switch cond {
	case DepStarted:
		return s == unit.StateStarting || s == unit.StateReady || s == unit.StateCompleted
	case DepCompleted:
		return s == unit.StateCompleted || s == unit.StateFailed
	case DepSucceeded:
		return s == unit.StateCompleted
	}
	return s == unit.StateReady || s == unit.StateCompleted
}

// depsUnitEvent drives the cascades from a unit event of p: a crash, or
// an exit under "always", holds p's dependents at once (a failure that
// follows the crash fails them), readiness releases them.
func (r *run) depsUnitEvent(p *proc, ev *unit.Event) {
	if r.stopping || !r.e.hasRestartDependents(p) && len(r.holds) == 0 && len(r.restarting) == 0 {
		return
	}
	switch {
	case ev.Kind == unit.EventSpawn:
		delete(r.restarting, p.idx) // its state is the new run's from now on
		r.releaseHeld()
	case ev.Kind == unit.EventExit && ev.State == unit.StateCrashed,
		ev.Kind == unit.EventExit && ev.State == unit.StateCompleted && p.restart == unit.RestartAlways:
		r.holdDependents(p, "", nil)
	case ev.Kind == unit.EventFailed:
		delete(r.restarting, p.idx)
		r.holdDependents(p, fmt.Sprintf("deps: %s failed", p.name), nil)
	case ev.Kind == unit.EventReady, ev.Kind == unit.EventExit:
		delete(r.restarting, p.idx)
		r.releaseHeld()
	}
}
