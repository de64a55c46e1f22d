package engine

import (
	"fmt"

	"github.com/ovrseer/ovrseer/unit"
)

// A process started by request (ctx.start, ctx.run, the TUI, the control
// API) or needed by an autostart process while declared autostart = False
// starts only once its deps are up, and the deps it needs that are down are
// started first, transitively (docs/ovrfile.md, "deps"). A dep that fails
// for good meanwhile gives the waiting dependent up with a reason instead of
// leaving it pending.

// startNeeded starts p at once when its deps are up, else hands it to the
// lifecycle goroutine, which starts what it needs first.
func (e *Engine) startNeeded(p *proc, once bool) {
	if !phase(e.phase.Load()).running() && e.depsUp(p) { // running: through the lifecycle, in order with the notes
		p.setOnce(once)
		if once {
			p.unit.StartOnce()
		} else {
			p.unit.Start()
		}
		return
	}
	e.mbox.Post(note{kind: noteStart, proc: p.idx, once: once})
}

// depsUp reports whether every dep of p is ready (or has completed after
// being ready).
func (e *Engine) depsUp(p *proc) bool {
	for i, d := range p.deps {
		if p.cond(i) != DepReady || !e.tab().all[d].up() {
			return false // after() conditions: the lifecycle decides
		}
	}
	return true
}

// depsMetNow is depsUp for the lifecycle: a plain dep is up now, an after()
// dep met its condition.
func (r *run) depsMetNow(p *proc) bool {
	for i, d := range p.deps {
		if p.cond(i) == DepReady && !r.e.tab().all[d].up() || p.cond(i) != DepReady && !r.depMet(p, i) {
			return false
		}
	}
	return true
}

func (p *core) up() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state == unit.StateReady || p.state == unit.StateCompleted
}

func (p *core) current() unit.State {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state
}

// want marks p to start once its deps are up, and the deps it needs that
// are neither up nor running, transitively.
func (r *run) want(p *proc, once bool) {
	v := &r.views[p.idx]
	if v.wanted || running(p.current()) {
		return
	}
	v.wanted, v.wantOnce = true, once
	for _, d := range p.deps {
		dp := r.e.tab().all[d]
		if !dp.up() && !running(dp.current()) {
			r.want(dp, false)
		}
	}
}

// wantDeps marks the deps of the autostart processes of g that are not
// autostart themselves: they start because they are needed.
func (r *run) wantDeps(g Group) {
	for _, p := range r.e.tab().procs {
		if p.group != g || (g == Main && !p.autostart) {
			continue
		}
		for _, d := range p.deps {
			if dp := r.e.tab().all[d]; !dp.autostart && dp.group == Main {
				r.want(dp, false)
			}
		}
	}
}

// startWanted starts the wanted processes whose deps are up.
func (r *run) startWanted() {
	if r.stopping {
		return
	}
	for _, p := range r.e.tab().procs {
		v := &r.views[p.idx]
		if !v.wanted || !r.depsMetNow(p) {
			continue
		}
		if p.group == Main && v.asked && !v.wantOnce {
			v.started = true // asked for by name: the run ends after it, not before
		}
		v.wanted, v.retired, v.asked = false, false, false
		if !running(v.state) {
			v.state = unit.StateStarting
		}
		p.setOnce(v.wantOnce)
		if v.wantOnce {
			p.unit.StartOnce()
		} else {
			p.unit.Start()
		}
	}
}

// depFailed gives up, with a reason, every process that waits for p to
// start: wanted ones, and autostart ones of a launched group not started
// yet; then their own waiting dependents.
func (r *run) depFailed(p *proc, reason string) {
	for _, d := range p.dependents {
		q := r.e.tab().all[d]
		v := &r.views[d]
		autostart := q.group == Main && q.autostart && r.launched[groupIndex(Main)] && !v.started
		if !v.wanted && !autostart || !r.lost(q, p) {
			continue
		}
		v.wanted = false
		why := fmt.Sprintf("dep %q failed: %s", p.name, reason)
		if autostart {
			v.started, v.gaveUp = true, true
			r.failed = true
		}
		r.publish(Event{Type: LifecycleError, Process: q.name, Group: q.group, Phase: r.e.Phase(),
			Error: fmt.Sprintf("process %q will not start: %s", q.name, why)})
		q.giveUp(why)
		r.depFailed(q, why)
	}
}

// giveUp fails the RunOnce and WaitReady callers of p, which will not start.
func (p *core) giveUp(why string) {
	err := fmt.Errorf("process %q will not start: %s", p.name, why)
	p.mu.Lock()
	exits, readies := p.exitWaiters, p.readyWaiters
	p.exitWaiters, p.readyWaiters = nil, nil
	p.mu.Unlock()
	for _, ch := range exits {
		ch <- exitResult{code: -1, err: err}
	}
	for _, ch := range readies {
		ch <- err
	}
}
