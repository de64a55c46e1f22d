package engine

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/ovrseer/ovrseer/crashrep"
	"github.com/ovrseer/ovrseer/internal/mailbox"
	"github.com/ovrseer/ovrseer/unit"
)

// Options configure an Engine beyond its Plan.
type Options struct {
	// Sink receives crash reports; nil means crashrep.Dir{Path:
	// Plan.Settings.CrashDir}, falling back to crashrep.CacheDir() when that
	// cannot be written (or none when CrashDir is empty).
	Sink crashrep.Sink
	// Info describes the run in its first event, lifecycle:start.
	Info RunInfo
	// Outputs are files and directories ovrseer writes (the events file)
	// that watch never sees, beside the crash and log directories.
	Outputs []string
}

// RunInfo is what lifecycle:start tells about a run (its pid is ovrseer's,
// filled in by Run), so that runs appended to one events file can be told
// apart.
type RunInfo struct {
	Version string // ovrseer's version
	Ovrfile string // the Ovrfile's absolute path
	Mode    string // "dev" or "ci"
	Root    string // the directory of the top-level Ovrfile
}

// Engine runs a Plan through the lifecycle of docs/ovrfile.md.
type Engine struct {
	table   atomic.Pointer[table] // the process set (table.go); swapped by a reload
	info    RunInfo
	outputs []string      // Options.Outputs
	sink    crashrep.Sink // where every unit's crash reports go
	mbox    *mailbox.Mailbox[note]
	req     *requests     // stop requests: who starts, who forces
	phase   atomic.Uint32 // a phase
	subs    atomic.Pointer[[]*Subscription]
	changes changes                // a process changed state
	drain   atomic.Pointer[func()] // SetDrain (drain.go)

	recordFailed atomic.Bool // RecordFailed was called: exit 1 unless a code applies

	running chan struct{} // closed when the phase running begins

	runOnce sync.Once
	runDone chan struct{} // closed when Run has returned
	code    int           // written before runDone is closed

	subMu  sync.Mutex // guards over, exited, holds and writes of subs
	over   bool       // the event stream ended: no more events
	exited bool       // lifecycle:exit was published
	holds  int        // Hold calls not yet released
}

// ErrUnknownProcess is returned for a name the plan does not declare.
var ErrUnknownProcess = errors.New("unknown process")

// ErrOver is returned by control calls made after Run has finished.
var ErrOver = errors.New("the run is over")

// New validates the plan and prepares (but does not start) its processes:
// each gets a unit whose goroutine runs until Run ends, so a successful New
// must be followed by Run.
func New(plan Plan, opts Options) (*Engine, error) {
	plan = normalize(plan)
	if err := plan.Validate(); err != nil {
		return nil, err
	}
	sink := opts.Sink
	if sink == nil && plan.Settings.CrashDir != "" {
		sink = crashrep.Fallback{Primary: crashrep.Dir{Path: plan.Settings.CrashDir}, Secondary: crashrep.CacheDir()}
	}
	e := &Engine{info: opts.Info, outputs: opts.Outputs, sink: sink, mbox: mailbox.New[note](), req: newRequests(), runDone: make(chan struct{}), running: make(chan struct{})}
	e.subs.Store(&[]*Subscription{})
	var errs []error
	cores := make([]*core, 0, len(plan.Processes))
	for i, pr := range plan.Processes {
		c, err := e.newCore(pr, i, plan.Settings, nil)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cores = append(cores, c)
	}
	if len(errs) > 0 {
		for _, c := range cores {
			c.unit.Close()
		}
		return nil, errors.Join(errs...)
	}
	e.table.Store(newTable(plan, nil, cores))
	return e, nil
}

// normalize returns a copy of plan with Spec.Name and Spec.Group filled in
// and the exit_with process never restarted, its exit never a crash.
func normalize(plan Plan) Plan {
	procs := make([]Process, len(plan.Processes))
	copy(procs, plan.Processes)
	for i := range procs {
		p := &procs[i]
		if p.Spec.Name == "" {
			p.Spec.Name = p.Name
		}
		if p.Spec.Group == "" {
			p.Spec.Group = string(p.Group)
		}
		if p.Name == plan.Settings.ExitWith {
			p.Spec.Restart, p.Spec.Final = unit.RestartNever, true
		}
	}
	plan.Processes = procs
	return plan
}

// Run runs the whole lifecycle and returns the exit code of docs/ovrfile.md, "Exit codes".
// Cancelling ctx starts the orderly shutdown (like Quit). Run returns after
// lifecycle:exit was published and every process group is gone. Run is
// meant to be called once; a later call waits for the first and returns its
// code.
func (e *Engine) Run(ctx context.Context) int {
	e.runOnce.Do(func() {
		e.code = newRun(e).lifecycle(ctx)
		close(e.runDone)
	})
	<-e.runDone
	return e.code
}

// Subscribe returns a subscription that sees every event published from now
// on. Subscribe before Run to see them all. After the run is over the
// subscription is already done.
func (e *Engine) Subscribe(opts SubscribeOptions) *Subscription {
	s := newSubscription(e, opts)
	e.subMu.Lock()
	defer e.subMu.Unlock()
	if e.over {
		s.finish()
		return s
	}
	old := *e.subs.Load()
	i := len(old) // a reacting subscriber goes last, any other before the reacting ones
	for !s.reacts && i > 0 && old[i-1].reacts {
		i--
	}
	subs := make([]*Subscription, 0, len(old)+1)
	subs = append(append(append(subs, old[:i]...), s), old[i:]...)
	e.subs.Store(&subs)
	return s
}

func (e *Engine) unsubscribe(s *Subscription) {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	old := *e.subs.Load()
	subs := make([]*Subscription, 0, len(old))
	for _, o := range old {
		if o != s {
			subs = append(subs, o)
		}
	}
	e.subs.Store(&subs)
}

// publish hands ev to every subscriber, the reacting ones last (see
// SubscribeOptions.Reacts); it never waits for one.
func (e *Engine) publish(ev *Event) {
	for _, s := range *e.subs.Load() {
		s.push(ev)
	}
}

// Hold keeps the event stream open after lifecycle:exit until release is
// called, for a client that still publishes then (the hook queue runs what
// was queued before lifecycle:exit, and its output must reach the
// subscribers). Take it before Run; release is idempotent.
func (e *Engine) Hold() (release func()) {
	e.subMu.Lock()
	e.holds++
	e.subMu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			e.subMu.Lock()
			defer e.subMu.Unlock()
			e.holds--
			e.maybeFinishLocked()
		})
	}
}

// exitPublished ends the event stream once no Hold is outstanding.
func (e *Engine) exitPublished() {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	e.exited = true
	e.maybeFinishLocked()
}

// maybeFinishLocked ends the event stream when lifecycle:exit was published
// and nothing holds it open. e.subMu is held.
func (e *Engine) maybeFinishLocked() {
	if !e.exited || e.holds > 0 || e.over {
		return
	}
	e.over = true
	for _, s := range *e.subs.Load() {
		s.finish()
	}
	e.subs.Store(&[]*Subscription{})
}

// Exit requests the orderly shutdown with an explicit exit code (ctx.exit).
// The first explicit code wins; Exit never forces.
func (e *Engine) Exit(code int, reason string) {
	e.mbox.Post(note{kind: noteExit, code: code, reason: reason})
}

// Running is closed when the main processes were launched (phase main,
// then running): from then on Reload applies. It is never closed when the
// startup is aborted; Done tells that the run is over.
func (e *Engine) Running() <-chan struct{} { return e.running }

// Done is closed when Run has returned.
func (e *Engine) Done() <-chan struct{} { return e.runDone }

// Phase reports the current lifecycle phase: "loading" (before Run),
// "dependencies", "gates", "main", "running", "stopping", "cleanup",
// "exited" (docs/ovrfile.md, "The lifecycle").
func (e *Engine) Phase() string { return phase(e.phase.Load()).String() }
