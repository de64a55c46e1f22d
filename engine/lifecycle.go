package engine

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ovrseer/ovrseer/internal/watch"
	"github.com/ovrseer/ovrseer/unit"
)

// run is the state of one Run, owned by the lifecycle goroutine (the one
// that called Run). Everything else reaches it through the mailbox.
type run struct {
	e     *Engine
	t0    time.Time
	views []view
	notes []note

	timeout  <-chan time.Time // Settings.Timeout
	timer    <-chan time.Time // the current step's deadline (cleanup)
	timedOut bool             // timer fired

	launched    [3]bool // groupIndex: its autostart processes were started
	depsPending bool    // waiting for dependencies: a crash aborts startup
	mainT0      time.Time
	mainStarted bool // lifecycle:main-started was published
	spawns      int  // main processes whose spawn main-started still waits for
	mainReady   bool // lifecycle:main-ready was published

	gateDone   bool
	gateErr    error
	gateCancel context.CancelFunc

	watch int // the cleanup process being waited for, -1 none

	watched []watch.Target // the running watcher's (watch.go)
	unwatch func()         // ... stops it

	draining bool // drain.go: a drain runs before the end
	drained  bool // ... and is over

	stopping    bool // shutdown requested
	reason      string
	forced      bool
	forcedCode  int
	explicit    *int // exit_with or Exit, first wins
	cause       *int // the signal or the timeout that started the shutdown
	failed      bool
	stopMarkers []bool

	holds      map[int]*hold // restart_on_deps dependents held (restartdeps.go)
	restarting map[int]bool  // restarted by hand: not ready for its dependents until its next readiness
	cascades   []*cascade
}

// view is the lifecycle's picture of one process, built from notes.
type view struct {
	state     unit.State
	started   bool // started by the lifecycle (autostart)
	spawning  bool // main-started waits for its spawn
	ready     bool // has been ready at least once
	stopAsked bool // during a stopGroup
	stopped   bool
	wanted    bool // start once its deps are up (needs.go)
	wantOnce  bool // ... for RunOnce
	asked     bool // ... by name (Start), not only as a dep
	gaveUp    bool // a dep it waited for failed: it will not start
	spawned   bool // after.go: has been spawned
	exited    bool // ... has exited (not a requested stop)
	succeeded bool // ... with a success
	retired   bool // stopped by the Ovrfile: ended for good once settled (retire.go)
	done      bool // the watched cleanup process settled
	ok        bool // ... and completed
}

func newRun(e *Engine) *run {
	return &run{e: e, views: make([]view, len(e.tab().all)), watch: -1}
}

func groupIndex(g Group) int {
	switch g {
	case Dependencies:
		return 0
	case Main:
		return 1
	}
	return 2
}

// lifecycle runs docs/ovrfile.md, "The lifecycle" and returns the exit code.
func (r *run) lifecycle(ctx context.Context) int {
	r.t0 = time.Now()
	info := r.e.info
	r.publish(Event{Type: LifecycleStart, Time: r.t0, Pid: os.Getpid(), Start: &info})
	stopQuit := context.AfterFunc(ctx, r.e.Quit)
	defer stopQuit()
	r.unwatch = r.startWatch(r.watchTargets()) // watch.go
	defer func() { r.unwatch() }()             // the last watcher (a reload may start another)
	if d := r.e.tab().plan.Settings.Timeout; d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		r.timeout = t.C
	}
	if r.startDependencies() && r.startMain() {
		r.pump(func() bool { return r.stopping })
	}
	r.shutdown()
	return r.exitCode()
}

func (r *run) setPhase(p phase) { r.e.phase.Store(uint32(p)) }

func (r *run) publish(ev Event) {
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	r.e.publish(&ev)
}

// pump handles notes until cond holds (true) or the shutdown was forced
// (false). It blocks only on the mailbox and timers: no polling.
func (r *run) pump(cond func() bool) bool {
	for {
		if r.forced {
			return false
		}
		if cond() {
			return true
		}
		select {
		case <-r.e.mbox.Ready():
			r.notes = r.e.mbox.Take(r.notes[:0])
			for i := range r.notes {
				r.handle(&r.notes[i])
			}
			r.checkEnd()
		case <-r.timeout:
			r.timeout = nil
			r.requestStop("timeout", 124)
		case <-r.timer:
			r.timer = nil
			r.timedOut = true
		}
	}
}

// startDependencies runs steps 2 and 3: dependencies until all are ready,
// then lifecycle:dependencies-ready and its gates. False aborts startup.
func (r *run) startDependencies() bool {
	r.setPhase(phaseDependencies)
	r.depsPending = true
	r.launch(Dependencies)
	ok := r.pump(func() bool { return r.stopping || r.allReady(Dependencies) })
	r.depsPending = false
	if !ok || r.stopping {
		return false
	}
	ev := Event{Type: DependenciesReady, Time: time.Now(), DurationMs: time.Since(r.t0).Milliseconds()}
	r.publish(ev)
	r.setPhase(phaseGates)
	if err := r.runGates("dependencies-ready", r.e.tab().plan.Gates.DependenciesReady, ev); err != nil {
		r.failed = true
		r.requestStop(fmt.Sprintf("dependencies-ready gate failed: %v", err), 0)
	}
	return !r.stopping && !r.forced
}

// startMain runs step 4: main processes, then (through the notes, see
// mainstarted.go) main-started and main-ready.
func (r *run) startMain() bool {
	r.mainT0 = time.Now()
	r.launch(Main)
	r.setPhase(phaseMain) // until main-started (mainstarted.go)
	close(r.e.running)
	r.checkMainStarted()
	return true
}

// launch starts the autostart processes of g whose deps are ready and marks
// g launched; later ready notes start the rest.
func (r *run) launch(g Group) {
	r.launched[groupIndex(g)] = true
	r.wantDeps(g)
	r.startUnblocked(g)
	r.startWanted()
}

func (r *run) startUnblocked(g Group) {
	if !r.launched[groupIndex(g)] || r.stopping {
		return
	}
	for _, p := range r.e.tab().procs {
		v := &r.views[p.idx]
		if p.group != g || v.started || (g == Main && !p.autostart) || !r.depsReady(p) {
			continue
		}
		v.started = true
		if !running(v.state) {
			r.awaitSpawn(p)
			v.state = unit.StateStarting
		}
		p.setOnce(false)
		p.unit.Start()
	}
}

func (r *run) depsReady(p *proc) bool {
	for i := range p.deps {
		if !r.depMet(p, i) {
			return false
		}
	}
	return true
}

func (r *run) allReady(g Group) bool {
	for _, p := range r.e.tab().procs {
		if p.group == g && !r.views[p.idx].ready && (g != Main || p.autostart) {
			return false
		}
	}
	return true
}

func (r *run) checkMainReady() {
	if r.mainReady || r.stopping || !r.mainStarted || !r.allReady(Main) {
		return
	}
	r.mainReady = true
	r.publish(Event{Type: MainReady, DurationMs: time.Since(r.mainT0).Milliseconds()})
}

// checkEnd ends the run once every started main process ended for good
// (only when at least one was started).
func (r *run) checkEnd() {
	if r.stopping || !r.launched[groupIndex(Main)] {
		return
	}
	started := 0
	for _, p := range r.e.tab().procs {
		v := &r.views[p.idx]
		if p.group != Main || !v.started {
			continue
		}
		if !endedForGood(p, v.state) && !v.gaveUp && !(v.retired && settled(v.state)) {
			r.drained = false
			return
		}
		started++
	}
	if started > 0 && !r.drainFirst() {
		r.requestStop("every main process has ended", 0)
	}
}

// endedForGood: failed, or completed without a restart to follow (a
// RestartAlways process waits for its restart in completed).
func endedForGood(p *proc, s unit.State) bool {
	return s == unit.StateFailed || (s == unit.StateCompleted && p.restart != unit.RestartAlways)
}

// runGates runs gates one after another on their own goroutine while the
// lifecycle goroutine goes on handling notes (a gate may call Start,
// WaitReady or RunOnce). Every gate error is published; the first is
// returned. On the dependencies-ready gates the first error stops the list.
func (r *run) runGates(name string, gates []Gate, ev Event) error {
	if len(gates) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.gateCancel = cancel
	defer func() { cancel(); r.gateCancel = nil }()
	r.gateDone, r.gateErr = false, nil
	stopAtFirst := name == "dependencies-ready"
	go func() {
		var first error
		for _, g := range gates {
			if ctx.Err() != nil {
				break
			}
			if err := g.Run(ctx, ev); err != nil {
				if ctx.Err() != nil {
					break // cancelled by the shutdown: not the gate's failure
				}
				r.publishGateError(name, g, err)
				if first == nil {
					first = fmt.Errorf("%s: %w", g.Name, err)
				}
				if stopAtFirst {
					break
				}
			}
		}
		r.e.mbox.Post(note{kind: noteGateDone, err: first})
	}()
	if !r.pump(func() bool { return r.gateDone }) {
		return fmt.Errorf("%s gates: shutdown forced", name)
	}
	if r.gateErr != nil {
		r.failed = true
	}
	return r.gateErr
}

// publishGateError reports a gate's error as lifecycle:error of its
// pseudo-process "hook:NAME", the gate's point first in the error.
func (r *run) publishGateError(point string, g Gate, err error) {
	ev := Event{Type: LifecycleError, Phase: r.e.Phase(), Error: point + ": " + err.Error()}
	if g.Name != "" {
		ev.Process, ev.Group = "hook:"+g.Name, Hooks
	}
	r.publish(ev)
}
