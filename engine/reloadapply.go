package engine

import (
	"slices"

	"github.com/ovrseer/ovrseer/unit"
)

// How the lifecycle goroutine acts on a reload's difference (reload.go).

// retire forgets p, which a reload removed: what it waited for ends, its
// WaitReady and RunOnce callers are told, and it is stopped and closed.
func (r *run) retire(p *proc) {
	r.forget(p)
	p.giveUp("removed from the Ovrfile by a reload")
	r.close(p.core)
}

// replace puts q, the new core of a changed process, in the place of p:
// q takes p's place in the lifecycle's bookkeeping and its WaitReady
// callers. When p runs again under its new declaration, its running
// restart_on_deps dependents are held first (restartdeps.go), then p is
// stopped, and q starts once p is gone (its unit waits for p's: unit.Inherit).
func (r *run) replace(p, q *proc, restart bool) {
	ov := r.views[p.idx]
	r.forget(p)
	r.views[q.idx] = view{started: ov.started, wanted: ov.wanted, wantOnce: ov.wantOnce, asked: ov.asked, retired: ov.retired}
	p.handOver(q.core, !running(p.current())) // a RunOnce of the old one gets its exit
	if !restart {
		if p.current() == unit.StateStopped {
			q.unit.Stop() // stopped as its predecessor was, once it took over
		}
		r.close(p.core)
		return
	}
	again := func() {
		r.close(p.core)
		r.views[q.idx].wanted = false
		r.want(q, false)
		r.startWanted()
	}
	if !r.e.hasRestartDependents(q) {
		again()
		return
	}
	if r.holds == nil {
		r.holds, r.restarting = map[int]*hold{}, map[int]bool{}
	}
	r.restarting[q.idx] = true // its dependents wait for its readiness
	r.holdDependents(q, "", again)
}

// forget drops what the lifecycle waited for from p.
func (r *run) forget(p *proc) {
	v := &r.views[p.idx]
	if v.spawning { // main-started waits no more for it
		v.spawning = false
		r.spawns--
	}
	v.wanted = false
	delete(r.holds, p.idx)
	delete(r.restarting, p.idx)
}

// close stops c and closes its unit, off the lifecycle goroutine (a stop
// takes up to its stop timeout). Its events are still published; the
// lifecycle ignores its notes. The shutdown's closeUnits waits for it.
// Once closed it is buried.
func (r *run) close(c *core) {
	go func() {
		<-c.unit.Stop()
		c.unit.Close()
		r.e.mbox.Post(note{kind: noteClosed, proc: c.idx})
	}()
}

// bury replaces the closed core idx in the table by a tombstone that
// keeps only its place, name and group, so its unit (its log ring, taken
// over by a successor if any) can be collected however many reloads come.
func (r *run) bury(idx int) {
	t := r.e.tab()
	if p := t.all[idx]; p.unit != nil && !t.live(idx) {
		next := *t
		next.all = slices.Clone(t.all)
		next.all[idx] = &proc{core: &core{idx: idx, name: p.name, group: p.group}}
		r.e.table.Store(&next)
	}
}

// handOver moves p's WaitReady callers to q, and its RunOnce callers too
// when exits is set.
func (p *core) handOver(q *core, exits bool) {
	p.mu.Lock()
	readies, ends := p.readyWaiters, p.exitWaiters
	p.readyWaiters = nil
	if exits {
		p.exitWaiters = nil
	} else {
		ends = nil
	}
	p.mu.Unlock()
	q.mu.Lock()
	q.readyWaiters = append(q.readyWaiters, readies...)
	q.exitWaiters = append(q.exitWaiters, ends...)
	q.mu.Unlock()
}
