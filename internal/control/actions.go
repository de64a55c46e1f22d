package control

import (
	"cmp"
	"context"
	"fmt"
	"net/http"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// control runs restart, stop or start on a process; with wait it returns
// once the process is ready (or completed) or stopped. It returns the
// status code to answer with when it fails.
func (s *Server) control(ctx context.Context, action, name string, wait bool) (int, error) {
	switch s.e.Phase() {
	case "stopping", "cleanup", "exited":
		return http.StatusConflict, fmt.Errorf("the run is shutting down (%s)", s.e.Phase())
	}
	state := s.state(name)
	if action == "stop" {
		if !wait {
			go s.e.Stop(name)
			return 0, nil
		}
		if err := s.e.Stop(name); err != nil {
			return http.StatusConflict, err
		}
		return 0, nil
	}
	if action == "start" && (state == unit.StateStarting || state == unit.StateReady) {
		if wait && state == unit.StateStarting {
			return s.waitReady(ctx, name)
		}
		return 0, nil // already running: a no-op
	}
	var sub *engine.Subscription
	if wait {
		sub = s.e.Subscribe(engine.SubscribeOptions{LogBuffer: 1}) // before the action: no event missed
		defer sub.Close()
	}
	do := s.e.Start
	if action == "restart" {
		do = s.e.Restart
	}
	if err := do(name); err != nil {
		return http.StatusConflict, err
	}
	if !wait {
		return 0, nil
	}
	return s.awaitOutcome(ctx, sub, name)
}

// state is the process's current state.
func (s *Server) state(name string) unit.State {
	for _, ps := range s.e.Snapshot() {
		if ps.Name == name {
			return ps.Status.State
		}
	}
	return unit.StatePending
}

func (s *Server) waitReady(ctx context.Context, name string) (int, error) {
	if err := s.e.WaitReady(ctx, name); err != nil {
		return http.StatusConflict, err
	}
	return 0, nil
}

// awaitOutcome follows sub until the process, spawned after the action,
// is ready or completed (nil), or failed or gone for good (409).
func (s *Server) awaitOutcome(ctx context.Context, sub *engine.Subscription, name string) (int, error) {
	return s.awaitOutcomes(ctx, sub, []string{name})
}

// awaitOutcomes is awaitOutcome for several processes at once: it returns
// once each is decided, with the first failure.
func (s *Server) awaitOutcomes(ctx context.Context, sub *engine.Subscription, names []string) (int, error) {
	outs := make(map[string]*outcome, len(names))
	for _, n := range names {
		outs[n] = &outcome{}
	}
	left := len(names)
	var verdict error
	check := func(ev *engine.Event) {
		if o := outs[ev.Process]; o != nil && !o.decided {
			if o.see(s, ev); o.decided {
				left--
				verdict = cmp.Or(verdict, o.err)
			}
		}
	}
	for left > 0 {
		select {
		case <-sub.Ready():
			sub.Each(check)
		case <-sub.Done():
			sub.Each(check)
			for _, n := range names {
				if !outs[n].decided {
					return http.StatusConflict, fmt.Errorf("the run ended before %s was ready", n)
				}
			}
		case <-ctx.Done():
			return http.StatusRequestTimeout, ctx.Err()
		}
	}
	if verdict != nil {
		return http.StatusConflict, verdict
	}
	return 0, nil
}

// outcome is what became of one process after an action: decided once
// the process spawned after it is ready or completed, or failed or crashed
// for good (err).
type outcome struct {
	spawned, decided bool
	err              error
}

func (o *outcome) see(s *Server, ev *engine.Event) {
	switch ev.Type {
	case engine.ProcessSpawn:
		o.spawned = true
	case engine.ProcessReady:
		o.decided = o.spawned
	case engine.ProcessFailed:
		o.decided, o.err = true, fmt.Errorf("%s failed: %s", ev.Process, ev.Reason)
	case engine.ProcessCrash:
		if o.spawned && !ev.WillRestart {
			o.decided, o.err = true, fmt.Errorf("%s crashed: %s", ev.Process, ev.Reason)
		}
	case engine.ProcessExit:
		if o.spawned && s.state(ev.Process) == unit.StateCompleted {
			o.decided = true
		}
	}
}
