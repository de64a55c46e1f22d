package starlib

import (
	"context"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// Runner runs the Ovrfile's ordinary hooks against a running engine: one
// worker goroutine takes events from a subscription and runs the matching
// hooks one at a time, in event order. Publishing never waits for it, so a
// slow hook never blocks a process.
type Runner struct {
	hooks  []*hook
	e      *engine.Engine
	sub    *engine.Subscription
	ctx    context.Context // cancelled when Wait gives up: ends the running hook
	cancel context.CancelFunc
	done   chan struct{}      // closed when the worker returned
	lost   map[string]int     // per process: log lines lost since a hook last saw one
	drains chan chan struct{} // Drain's requests (drain.go)
}

// Attach binds the hooks to e: gates act through e, and ordinary hooks are
// fed from a subscription to e and run one at a time in one queue. Call it
// after engine.New and before e.Run.
func (o *Ovrfile) Attach(e *engine.Engine) *Runner {
	o.rt.eng.Store(e)
	r := &Runner{hooks: o.hooks, e: e, done: make(chan struct{}), lost: map[string]int{}, drains: make(chan chan struct{})}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	if len(r.hooks) == 0 {
		close(r.done)
		return r
	}
	// Log events are not wanted: drop them cheaply. Reacts: a hook's output
	// must follow the event it answers in every other subscriber.
	opts := engine.SubscribeOptions{LogBuffer: 1, Reacts: true}
	for _, h := range r.hooks {
		if h.Event == engine.ProcessLog {
			opts.LogBuffer = 0
		}
	}
	r.sub = e.Subscribe(opts)
	e.SetDrain(r.Drain)
	release := e.Hold() // hook output after lifecycle:exit still reaches the subscribers
	go func() {
		defer release()
		r.work()
	}()
	return r
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
				r.e.ReportError("hook", "hook:"+h.Name, err)
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
