package starlib

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// Runner runs the Ovrfile's ordinary hooks against a running engine: one
// worker goroutine takes events from a subscription and runs the matching
// hooks one at a time, in event order. Publishing never waits for it, so a
// slow hook never blocks a process. A reload replaces the hooks (Stage).
type Runner struct {
	hooks  []*hook // the worker's
	e      *engine.Engine
	ctx    context.Context // cancelled when Wait gives up: ends the running hook
	cancel context.CancelFunc
	lost   map[string]int     // per process: log lines lost since a hook last saw one
	drains chan chan struct{} // Drain's requests (drain.go)
	done   chan struct{}      // closed when the worker returned (or none was needed)

	mu      sync.Mutex // guards the fields below
	sub     *engine.Subscription
	started bool       // the worker runs (it did not at Attach when there was no hook)
	staged  []*hookSet // hook sets of reloads, oldest first (Stage)
	logs    bool       // the subscription keeps log events
}

// Attach binds the hooks to e: gates act through e, and ordinary hooks are
// fed from a subscription to e and run one at a time in one queue. Call it
// after engine.New and before e.Run.
func (o *Ovrfile) Attach(e *engine.Engine) *Runner {
	o.rt.eng.Store(e)
	r := &Runner{hooks: o.hooks, e: e, done: make(chan struct{}), lost: map[string]int{}, drains: make(chan chan struct{})}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.hooks) > 0 {
		r.startLocked(o.hooks)
	}
	return r
}

// startLocked subscribes the queue to the engine and starts its worker.
// r.mu is held.
func (r *Runner) startLocked(hooks []*hook) {
	// Log events are not wanted: drop them cheaply. Reacts: a hook's output
	// must follow the event it answers in every other subscriber.
	r.logs = wantsLogs(hooks)
	opts := engine.SubscribeOptions{LogBuffer: 1, Reacts: true}
	if r.logs {
		opts.LogBuffer = 0
	}
	r.sub, r.started = r.e.Subscribe(opts), true
	r.e.SetDrain(r.Drain)
	release := r.e.Hold() // hook output after lifecycle:exit still reaches the subscribers
	go func() {
		defer release()
		r.work()
	}()
}

func wantsLogs(hooks []*hook) bool {
	for _, h := range hooks {
		if h.Event == engine.ProcessLog {
			return true
		}
	}
	return false
}

// Stage readies the hooks of o, the Ovrfile reloaded, to replace the
// running ones: they take over at the next lifecycle:reload event (the
// reload that applies o's plan), so every event after it runs them, while
// a hook already running finishes. o's gates act through the same engine.
// Call it before engine.Reload, and unstage when that reload fails.
func (r *Runner) Stage(o *Ovrfile) (unstage func()) {
	o.rt.eng.Store(r.e)
	r.mu.Lock()
	defer r.mu.Unlock()
	set := &hookSet{o.hooks}
	r.staged = append(r.staged, set)
	switch {
	case !r.started && len(o.hooks) > 0:
		r.startLocked(nil) // the new hooks take over at lifecycle:reload
	case r.started && !r.logs && wantsLogs(o.hooks):
		r.logs = true
		r.sub.SetLogBuffer(0)
	}
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.staged = slices.DeleteFunc(r.staged, func(s *hookSet) bool { return s == set })
	}
}

// hookSet is the hooks of one reload.
type hookSet struct{ hooks []*hook }

// swap replaces the worker's hooks with the oldest staged set, if any.
func (r *Runner) swap() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.staged) == 0 {
		return
	}
	r.hooks = r.staged[0].hooks
	r.staged = r.staged[1:]
}

// work is the queue's worker. It returns after lifecycle:exit was handled,
// when the subscription ends, or when Wait gives up.
func (r *Runner) work() {
	defer close(r.done)
	defer r.sub.Close()
	var evs []engine.Event
	for {
		select {
		case <-r.sub.Ready():
			evs = r.sub.Take(evs[:0])
			if r.dispatch(evs) {
				return
			}
		case <-r.sub.Done():
			r.dispatch(r.sub.Take(evs[:0]))
			return
		case reply := <-r.drains:
			finished := r.dispatch(r.sub.Take(evs[:0]))
			close(reply)
			if finished {
				return
			}
		case <-r.ctx.Done():
			return
		}
	}
}

// dispatch runs the hooks matching each event, in order, and reports
// whether lifecycle:exit was among them (or Wait gave up). A process:log
// event reaches a hook with the number of that process's lines the queue
// lost since the last one a hook saw (ctx.event.dropped, in ev.Count).
func (r *Runner) dispatch(evs []engine.Event) (finished bool) {
	for i := range evs {
		ev := &evs[i]
		switch ev.Type {
		case engine.EventsDropped:
			r.lost[ev.Process] += ev.Count
			continue
		case engine.ProcessLog:
			ev.Count = r.lost[ev.Process]
		case engine.LifecycleReload:
			r.swap() // the reload's own event already runs the new hooks
		}
		seen := false
		for _, h := range r.hooks {
			if r.ctx.Err() != nil {
				return true
			}
			if !h.matches(ev) {
				continue
			}
			seen = true
			if err := h.invoke(r.ctx, r.e, *ev); err != nil {
				r.e.ReportError(r.e.Phase(), "hook:"+h.Name, err)
			}
		}
		if seen && ev.Count > 0 && ev.Type == engine.ProcessLog {
			delete(r.lost, ev.Process)
		}
		if ev.Type == engine.LifecycleExit {
			finished = true
		}
	}
	return finished
}

// waitGrace bounds how long Wait waits for a cancelled hook to return.
const waitGrace = 5 * time.Second

// Wait runs what was queued before lifecycle:exit (each hook bounded by its
// timeout) and returns when the queue is empty or ctx ends; then the running
// hook is cancelled.
func (r *Runner) Wait(ctx context.Context) {
	r.mu.Lock()
	started := r.started
	r.mu.Unlock()
	if !started {
		return
	}
	select {
	case <-r.done:
		return
	case <-ctx.Done():
	}
	r.cancel()
	select {
	case <-r.done:
	case <-time.After(waitGrace):
	}
}
