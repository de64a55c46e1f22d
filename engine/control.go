package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/ovrseer/ovrseer/logger"
	"github.com/ovrseer/ovrseer/unit"
)

// lookup returns the named process, or an error if it is unknown or the run
// is over (its unit is closed).
func (e *Engine) lookup(name string) (*proc, error) {
	p := e.tab().byName[name]
	if p == nil {
		return nil, fmt.Errorf("engine: %w %q", ErrUnknownProcess, name)
	}
	if phase(e.phase.Load()) == phaseExited {
		return nil, fmt.Errorf("engine: process %q: %w", name, ErrOver)
	}
	return p, nil
}

// Start starts a declared process.
func (e *Engine) Start(name string) error {
	if ok, err := e.onCopies(name, e.Start); ok {
		return err
	}
	p, err := e.lookup(name)
	if err != nil {
		return err
	}
	e.startNeeded(p, false)
	return nil
}

// Stop stops a process and waits (bounded by its stop timeout) until its
// group is gone.
func (e *Engine) Stop(name string) error {
	if ok, err := e.onCopies(name, e.Stop); ok {
		return err
	}
	p, err := e.lookup(name)
	if err != nil {
		return err
	}
	<-p.unit.Stop()
	return nil
}

// Restart restarts a process, resetting its crash streak; its
// restart_on_deps dependents are stopped first and started again once it
// is ready (restartdeps.go).
func (e *Engine) Restart(name string) error { return e.RestartFor(name, "manual") }

// RestartFor is Restart with the reason process:restart reports ("manual",
// "watch: src/main.go changed", "reload").
func (e *Engine) RestartFor(name, reason string) error {
	if ok, err := e.onCopies(name, func(n string) error { return e.RestartFor(n, reason) }); ok {
		return err
	}
	p, err := e.lookup(name)
	if err != nil {
		return err
	}
	if p.restartOnDeps || e.hasRestartDependents(p) { // the lifecycle orders it (restartdeps.go)
		e.mbox.Post(note{kind: noteRestart, proc: p.idx, reason: reason})
		return nil
	}
	p.setOnce(false)
	p.unit.RestartFor(reason)
	return nil
}

// Send writes a line to a process's stdin.
func (e *Engine) Send(name, line string) error {
	p, err := e.lookup(name)
	if err != nil {
		return err
	}
	return p.unit.Send(line) // its errors name the process
}

// RunOnce starts a process (or joins its current run) and waits for its first
// exit; no restart policy applies to that run. The code is 128+n when the
// process died by signal n.
func (e *Engine) RunOnce(ctx context.Context, name string) (exitCode int, err error) {
	r, err := e.RunOnceExit(ctx, name)
	return r.Code, err
}

// RunExit is the first exit of a run started by RunOnceExit.
type RunExit struct {
	Code int  // the exit code, 128+n for signal n
	OK   bool // a success: an exit (not a signal) with a code in ok_codes
}

// RunOnceExit is RunOnce with whether the exit is a success. A replicated
// name runs every copy and waits for all of them: OK when every copy
// succeeded, Code that of the first copy (in order) that did not, else of
// the first copy.
func (e *Engine) RunOnceExit(ctx context.Context, name string) (RunExit, error) {
	ps, err := e.named(name)
	if err != nil {
		return RunExit{Code: -1}, err
	}
	chs := make([]chan exitResult, len(ps))
	for i, p := range ps {
		chs[i] = e.joinRun(p)
	}
	out := RunExit{OK: true}
	for i, ch := range chs {
		select {
		case r := <-ch:
			if r.err != nil {
				dropExitWaiters(ps[i+1:], chs[i+1:])
				return RunExit{Code: -1}, r.err
			}
			if i == 0 || out.OK && !r.ok {
				out.Code = r.code
			}
			out.OK = out.OK && r.ok
		case <-ctx.Done():
			dropExitWaiters(ps[i:], chs[i:])
			return RunExit{Code: -1}, fmt.Errorf("engine: run %q: %w", name, ctx.Err())
		}
	}
	return out, nil
}

// joinRun registers a waiter for p's first exit and starts p (with what it
// needs) unless it runs already.
func (e *Engine) joinRun(p *proc) chan exitResult {
	ch := make(chan exitResult, 1)
	p.mu.Lock()
	p.exitWaiters = append(p.exitWaiters, ch)
	state := p.state
	p.mu.Unlock()
	if !running(state) {
		e.startNeeded(p, true)
	}
	return ch
}

func dropExitWaiters(ps []*proc, chs []chan exitResult) {
	for i, p := range ps {
		p.dropExitWaiter(chs[i])
	}
}

// WaitReady blocks until the process is ready, ctx ends, or it fails. A
// replicated name waits until every copy is ready.
func (e *Engine) WaitReady(ctx context.Context, name string) error {
	ps, err := e.named(name)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if err := p.waitReady(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (p *proc) waitReady(ctx context.Context) error {
	ch := make(chan error, 1)
	p.mu.Lock()
	switch p.state {
	case unit.StateReady:
		p.mu.Unlock()
		return nil
	case unit.StateFailed:
		p.mu.Unlock()
		return fmt.Errorf("engine: process %q: %w", p.name, errFailed)
	}
	p.readyWaiters = append(p.readyWaiters, ch)
	p.mu.Unlock()
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		p.dropReadyWaiter(ch)
		return fmt.Errorf("engine: wait for %q: %w", p.name, ctx.Err())
	}
}

func (p *core) setOnce(once bool) {
	p.mu.Lock()
	p.once = once
	p.mu.Unlock()
}

func (p *core) dropExitWaiter(ch chan exitResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, w := range p.exitWaiters {
		if w == ch {
			p.exitWaiters = append(p.exitWaiters[:i], p.exitWaiters[i+1:]...)
			return
		}
	}
}

func (p *core) dropReadyWaiter(ch chan error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, w := range p.readyWaiters {
		if w == ch {
			p.readyWaiters = append(p.readyWaiters[:i], p.readyWaiters[i+1:]...)
			return
		}
	}
}

// ProcessStatus is a snapshot of one process.
type ProcessStatus struct {
	Name   string
	Group  Group
	Status unit.Status
	// Stdin says whether Send can write to the process; LogLines is the
	// size of its ring (how much history Logs can return).
	Stdin    bool
	LogLines int
}

// Snapshot returns every process in plan order.
func (e *Engine) Snapshot() []ProcessStatus {
	procs := e.tab().procs
	out := make([]ProcessStatus, len(procs))
	for i, p := range procs {
		spec := p.unit.Spec()
		out[i] = ProcessStatus{Name: p.name, Group: p.group, Status: p.unit.Status(),
			Stdin: spec.Stdin, LogLines: spec.LogLines}
	}
	return out
}

// Logs returns up to n recent lines of a process, oldest first.
func (e *Engine) Logs(name string, n int) ([]logger.Line, error) {
	p := e.tab().byName[name]
	if p == nil {
		return nil, fmt.Errorf("engine: %w %q", ErrUnknownProcess, name)
	}
	return p.unit.Logs(n), nil
}

// HookLine publishes a line of hook output as a process:log event of the
// pseudo-process "hook:NAME" (group "hooks").
func (e *Engine) HookLine(hook string, stream logger.Stream, text string) {
	ev := Event{Type: ProcessLog, Time: time.Now(), Process: "hook:" + hook, Group: Hooks,
		Stream: stream.String(), Line: text}
	e.publish(&ev)
}

// ReportError publishes a lifecycle:error event (a failing hook, ...).
// process may be "".
func (e *Engine) ReportError(phase, process string, err error) {
	ev := Event{Type: LifecycleError, Time: time.Now(), Process: process, Phase: phase}
	if err != nil {
		ev.Error = err.Error()
	}
	if p := e.tab().byName[process]; p != nil {
		ev.Group = p.group
	}
	e.publish(&ev)
}
