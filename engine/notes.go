package engine

import (
	"fmt"

	"github.com/ovrseer/ovrseer/unit"
)

// handle applies one note to the run. A note about a process a reload
// retired (reload.go) applies to its successor of the same name, if any;
// its unit's own events change nothing any more.
func (r *run) handle(n *note) {
	switch n.kind {
	case noteUnit:
		if t := r.e.tab(); t.live(n.proc) {
			r.handleUnit(t.all[n.proc], n)
		}
	case noteStop:
		r.requestStop(n.reason, n.code)
	case noteForce:
		r.force(n.code)
	case noteExit:
		r.setExplicit(n.code)
		reason := n.reason
		if reason == "" {
			reason = fmt.Sprintf("exit(%d)", n.code)
		}
		r.requestStop(reason, 0)
	case noteStopped:
		r.views[n.proc].stopped = true
	case noteGateDone:
		r.gateDone, r.gateErr = true, n.err
	case noteDrained:
		r.draining, r.drained = false, true
	case noteReload:
		r.reload(n.reload)
	case noteClosed:
		r.bury(n.proc)
	case noteHeld:
		r.heldStopped(n.proc)
	case noteRestartAll:
		r.restartAll()
	case noteRetire, noteStart, noteRestart:
		r.handleRequest(n)
	}
}

// handleRequest applies a request made by name (Start, Retire, a
// restart) to the process that now has that name.
func (r *run) handleRequest(n *note) {
	t := r.e.tab()
	asked := t.all[n.proc]
	p := t.byName[asked.name]
	switch {
	case p == nil:
		asked.giveUp("removed from the Ovrfile by a reload")
		return
	case p.core != asked.core:
		asked.handOver(p.core, n.kind == noteStart)
	}
	switch n.kind {
	case noteRetire:
		r.views[p.idx].retired = true
	case noteStart:
		if r.stopping {
			p.giveUp("the run is shutting down")
			return
		}
		r.want(p, n.once)
		if v := &r.views[p.idx]; v.wanted {
			v.asked = true
		}
		r.startWanted()
	case noteRestart:
		r.restartCascade(p, n.reason)
	}
}

// handleUnit applies a unit event to the process's view.
func (r *run) handleUnit(p *proc, n *note) {
	ev := &n.ev
	v := &r.views[p.idx]
	r.spawnSeen(p, ev)
	r.exitWith(p, ev) // first: the run ends, nothing waiting for p starts
	r.noteDepEvent(p, ev)
	defer r.depsUnitEvent(p, ev)
	switch ev.Kind {
	case unit.EventSpawn:
		v.retired = false
	case unit.EventState:
		v.state = ev.State
		if r.watch == p.idx && settled(ev.State) {
			v.done, v.ok = true, ev.State == unit.StateCompleted
		}
		if ev.State == unit.StateCompleted {
			r.startWanted()
		}
	case unit.EventReady:
		v.ready = true
		r.startUnblocked(Dependencies)
		r.startUnblocked(Main) // a main process may list a dependency (added by a reload) in deps
		r.startWanted()
		r.checkMainReady()
	case unit.EventCrash:
		r.handleCrash(p, ev)
	case unit.EventFailed:
		if !r.stopping && !n.once {
			r.failed = true // a RunOnce caller gets the exit code instead
		}
		if r.depsPending && p.group == Dependencies {
			r.abortStartup(p, ev.Reason)
		}
		if !r.stopping {
			r.depFailed(p, ev.Reason)
		}
	}
}

// exitWith ends the run when the exit_with process exited. Only an exit
// ovrseer did not request ends it (a restart by hand stops it first: its
// exit comes while stopping).
func (r *run) exitWith(p *proc, ev *unit.Event) {
	if ev.Kind == unit.EventExit && p.exitWith && !r.stopping && ev.State != unit.StateStopping {
		code := exitCode(ev.ExitCode, ev.Signal)
		r.setExplicit(code)
		r.requestStop(fmt.Sprintf("%s exited with code %d", p.name, code), 0)
	}
}

// handleCrash aborts startup when a dependency crashes before all are
// ready, and reports a dependency that crashes later.
func (r *run) handleCrash(p *proc, ev *unit.Event) {
	if p.group != Dependencies || r.stopping {
		return
	}
	if r.depsPending {
		r.abortStartup(p, ev.Reason)
		return
	}
	r.publish(Event{Type: LifecycleError, Process: p.name, Group: p.group, Phase: r.e.Phase(),
		Error: fmt.Sprintf("dependency %q crashed: %s", p.name, ev.Reason)})
}

func (r *run) abortStartup(p *proc, reason string) {
	if r.stopping {
		return
	}
	r.failed = true
	err := fmt.Sprintf("dependency %q failed: %s", p.name, reason)
	r.publish(Event{Type: LifecycleError, Process: p.name, Group: p.group, Phase: r.e.Phase(), Error: err})
	r.requestStop("startup aborted: "+err, 0)
}

func (r *run) setExplicit(code int) {
	if r.explicit == nil {
		r.explicit = &code
	}
}

// requestStop starts the orderly shutdown unless it is already under way;
// cause, when not 0, is the exit code of that cause (signal, timeout). A
// dependencies-ready gate that runs is cancelled (its ctx.sh group killed):
// startup is over. (The other gates run once the shutdown is under way.)
func (r *run) requestStop(reason string, cause int) {
	if r.stopping {
		return
	}
	r.e.req.begin()
	r.stopping, r.reason = true, reason
	if cause != 0 {
		r.cause = &cause
	}
	if r.gateCancel != nil {
		r.gateCancel()
	}
}

// force skips every wait of the shutdown (the second stop request, see
// requests.go): SIGKILL to every group, exit code forcedCode.
func (r *run) force(forcedCode int) {
	if r.forced {
		return
	}
	if !r.stopping {
		r.requestStop("forced", 0)
	}
	r.forced, r.forcedCode = true, forcedCode
	if r.gateCancel != nil {
		r.gateCancel()
	}
	for _, p := range r.e.tab().all { // those a reload retired too
		if p.unit != nil { // not buried
			p.unit.Kill()
		}
	}
}

// exitCode applies docs/ovrfile.md, "Exit codes".
func (r *run) exitCode() int {
	switch {
	case r.forced:
		return r.forcedCode
	case r.explicit != nil:
		return *r.explicit
	case r.cause != nil:
		return *r.cause
	case r.failed || r.e.recordFailed.Load():
		return 1
	}
	return 0
}
