package engine

import (
	"fmt"
	"sync"
	"time"

	"github.com/ovrseer/ovrseer/unit"
)

// defaultCleanupTimeout is Settings.CleanupTimeout's zero value.
const defaultCleanupTimeout = 60 * time.Second

// shutdown runs docs/ovrfile.md, "The lifecycle", shutdown. After a forced request it skips every wait:
// the units were killed, so it only closes them and publishes
// lifecycle:exit.
func (r *run) shutdown() {
	if !r.stopping {
		r.requestStop("startup ended", 0)
	}
	r.setPhase(phaseStopping)
	r.publish(Event{Type: Shutdown, Reason: r.reason})
	if r.stopGroup(Main) {
		ev := Event{Type: MainStopped, Time: time.Now()}
		r.publish(ev)
		if r.runGates("main-stopped", r.e.tab().plan.Gates.MainStopped, ev) != nil {
			r.failed = true
		}
	}
	if !r.forced {
		r.setPhase(phaseCleanup)
		r.publish(Event{Type: CleanupStarted})
		failed := r.runCleanup()
		if !r.forced {
			ev := Event{Type: CleanupComplete, Time: time.Now(), Failed: failed}
			r.publish(ev)
			if r.runGates("cleanup-complete", r.e.tab().plan.Gates.CleanupComplete, ev) != nil {
				r.failed = true
			}
		}
	}
	r.setPhase(phaseStopping)
	r.stopGroup(Dependencies)
	r.closeUnits()
	r.stopStrays()
	code := r.exitCode()
	r.publish(Event{Type: LifecycleExit, ExitCode: &code})
	r.setPhase(phaseExited)
	r.e.exitPublished()
}

// stopGroup stops every process of g in parallel, except that a process is
// stopped only after those that list it in deps have stopped. False means
// the shutdown was forced meanwhile.
func (r *run) stopGroup(g Group) bool {
	for _, p := range r.e.tab().procs {
		if p.group == g {
			r.views[p.idx].stopAsked, r.views[p.idx].stopped = false, false
		}
	}
	return r.pump(func() bool { return r.issueStops(g) })
}

// issueStops stops the processes of g whose dependents have stopped and
// reports whether all of g has stopped.
func (r *run) issueStops(g Group) bool {
	all := true
	for _, p := range r.e.tab().procs {
		v := &r.views[p.idx]
		if p.group != g || v.stopped {
			continue
		}
		all = false
		if v.stopAsked || !r.dependentsStopped(p) {
			continue
		}
		v.stopAsked = true
		r.awaitStop(p, p.unit.Stop())
	}
	return all
}

// awaitStop posts noteStopped for p once done is closed. The goroutine
// ends with the stop, which the unit bounds by its stop timeout.
func (r *run) awaitStop(p *proc, done <-chan struct{}) {
	go func() {
		<-done
		r.e.mbox.Post(note{kind: noteStopped, proc: p.idx})
	}()
}

func (r *run) dependentsStopped(p *proc) bool {
	for _, d := range p.dependents {
		if !r.views[d].stopped {
			return false
		}
	}
	return true
}

// runCleanup runs the cleanup processes one at a time in plan order, each
// bounded by its checks' timeouts and all by the cleanup timeout, and
// returns the names of those that failed (or never ran).
func (r *run) runCleanup() []string {
	failed := []string{}
	total := r.e.tab().plan.Settings.CleanupTimeout
	if total <= 0 {
		total = defaultCleanupTimeout
	}
	deadline := time.Now().Add(total)
	for _, p := range r.e.tab().procs {
		if p.group != Cleanup {
			continue
		}
		if r.forced {
			return failed
		}
		bound := time.Until(deadline)
		if p.checkTimeout > 0 && p.checkTimeout < bound {
			bound = p.checkTimeout
		}
		if bound <= 0 || !r.cleanOne(p, bound) {
			failed = append(failed, p.name)
		}
	}
	if len(failed) > 0 {
		r.failed = true
	}
	return failed
}

// cleanOne runs one cleanup process to its end or until bound, after
// which it is killed; true means it completed.
func (r *run) cleanOne(p *proc, bound time.Duration) bool {
	v := &r.views[p.idx]
	v.done, v.ok = false, false
	r.watch = p.idx
	defer func() { r.watch = -1 }()
	t := time.NewTimer(bound)
	defer t.Stop()
	r.timer, r.timedOut = t.C, false
	defer func() { r.timer = nil }()
	p.unit.StartOnce()
	if !r.pump(func() bool { return v.done || r.timedOut }) {
		return false
	}
	if v.done {
		return v.ok
	}
	r.publish(Event{Type: LifecycleError, Process: p.name, Group: p.group, Phase: r.e.Phase(),
		Error: fmt.Sprintf("cleanup %q timed out after %s", p.name, unit.FormatDuration(bound.Round(time.Millisecond)))})
	p.unit.Kill()
	v.stopped = false
	r.awaitStop(p, p.unit.Stop())
	r.pump(func() bool { return v.stopped })
	return false
}

// closeUnits closes every unit in parallel and waits until each process
// group is gone, so that lifecycle:exit is the last event.
func (r *run) closeUnits() {
	var wg sync.WaitGroup
	for _, p := range r.e.tab().all { // those a reload retired too
		if p.unit == nil { // buried: closed already
			continue
		}
		wg.Go(p.unit.Close)
	}
	wg.Wait()
	// What the units said while closing changes nothing now.
	r.notes = r.e.mbox.Take(r.notes[:0])
}

// maxCheckTimeout is the longest readiness timeout of spec (0 if none):
// it bounds a cleanup process.
func maxCheckTimeout(spec unit.Spec) time.Duration {
	var d time.Duration
	for _, c := range spec.Ready {
		d = max(d, c.Timeout)
	}
	return d
}
