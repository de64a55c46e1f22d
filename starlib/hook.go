package starlib

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"go.starlark.net/starlark"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/logger"
)

// runtime is what hooks share: the engine bound by Attach.
type runtime struct {
	eng    atomic.Pointer[engine.Engine]
	root   string // ovr.root: ctx.sh's default dir
	steps  uint64 // step limit per invocation
	budget uint64 // heap growth allowed per invocation
}

// hook is one registered on() callback.
type hook struct {
	HookInfo
	copies  []string // the copies of a replicated Process: the hook fires for each
	fn      *starlark.Function
	timeout time.Duration
	rt      *runtime
}

// addHook registers h: as a gate when its event is one, else in the queue.
// copies are those of d's process when it is replicated.
func (o *Ovrfile) addHook(d *hookDecl, copies []string) {
	d.fn.Freeze()
	h := &hook{
		HookInfo: HookInfo{Event: d.event, Name: d.name, Process: d.process, Flag: d.flag},
		copies:   copies, fn: d.fn, timeout: d.timeout, rt: o.rt,
	}
	o.Hooks = append(o.Hooks, h.HookInfo)
	gate := engine.Gate{Name: h.Name, Run: h.gate}
	switch h.Event {
	case engine.DependenciesReady:
		o.Plan.Gates.DependenciesReady = append(o.Plan.Gates.DependenciesReady, gate)
	case engine.MainStopped:
		o.Plan.Gates.MainStopped = append(o.Plan.Gates.MainStopped, gate)
	case engine.CleanupComplete:
		o.Plan.Gates.CleanupComplete = append(o.Plan.Gates.CleanupComplete, gate)
	default:
		o.hooks = append(o.hooks, h)
	}
}

// matches reports whether h wants ev: a hook on a replicated process wants
// the events of each of its copies.
// A hook never sees the errors it caused itself (no feedback loop).
func (h *hook) matches(ev *engine.Event) bool {
	if ev.Type == engine.LifecycleError && ev.Process == "hook:"+h.Name {
		return false
	}
	return ev.Type == h.Event &&
		(h.Process == "" || ev.Process == h.Process || slices.Contains(h.copies, ev.Process)) &&
		(h.Flag == "" || ev.Flag == h.Flag)
}

// gate runs h as an engine.Gate: the engine reports the returned error.
func (h *hook) gate(ctx context.Context, ev engine.Event) error {
	e := h.rt.eng.Load()
	if e == nil {
		return fmt.Errorf("hook %s: not attached to an engine", h.Name)
	}
	return h.invoke(ctx, e, ev)
}

// errExit ends a hook that called ctx.exit; it is not a failure.
var errExit = errors.New("ctx.exit")

// invoke runs one invocation on a fresh thread under the hook's step limit
// and timeout. Its backtrace, if it fails, is shown as hook:NAME lines.
func (h *hook) invoke(parent context.Context, e *engine.Engine, ev engine.Event) error {
	ctx, cancel := context.WithTimeout(parent, h.timeout)
	defer cancel()
	thread := &starlark.Thread{Name: "hook:" + h.Name}
	thread.Print = func(_ *starlark.Thread, msg string) { e.HookLine(h.Name, logger.Stdout, msg) }
	thread.SetMaxExecutionSteps(h.rt.steps)
	hc := &hookCtx{h: h, e: e, ctx: ctx, parent: parent, ev: ev}
	err := guarded(ctx, h.rt.budget, func(why string) { thread.Cancel(why) }, hc.doneReason, func() error {
		_, err := starlark.Call(thread, h.fn, starlark.Tuple{hc.value()}, nil)
		return err
	})
	if err == nil || errors.Is(err, errExit) {
		return nil
	}
	var evalErr *starlark.EvalError
	// Cancelled from outside (the shutdown began during a gate, or the
	// queue's drain gave up): no backtrace, it is not the hook's failure.
	if errors.As(err, &evalErr) && parent.Err() == nil {
		for line := range strings.SplitSeq(evalErr.Backtrace(), "\n") {
			e.HookLine(h.Name, logger.Stderr, line)
		}
	}
	return fmt.Errorf("hook %s: %w", h.Name, err)
}
