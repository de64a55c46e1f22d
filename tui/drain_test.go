package tui

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// TestDrainCoalescesAFlood drives the drain with a real engine: every line
// of a flood arrives, in order, in few updates (at most one per frame).
func TestDrainCoalescesAFlood(t *testing.T) {
	const n = 200000
	e, err := engine.New(engine.Plan{Processes: []engine.Process{
		shProc("flood", engine.Main, `awk 'BEGIN { for (i = 1; i <= 200000; i++) print i }'`),
	}}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub := e.Subscribe(engine.SubscribeOptions{LogBuffer: logBuffer})
	defer sub.Close()
	var posts, lines, dropped int
	var last string
	var first, end time.Time
	d := newDrain(sub, e, func(u *update) {
		posts++
		for _, pl := range u.order {
			if len(pl.lines) > 2*maxViewLines {
				t.Errorf("an update holds %d lines", len(pl.lines))
			}
			if lines == 0 {
				first = time.Now()
			}
			for _, l := range pl.lines {
				if strings.HasPrefix(l, "\x1b[2m── ") {
					continue // a marker: started, exited
				}
				lines++
				last = l
			}
		}
		dropped += u.dropped
		end = time.Now()
	})
	go func() { e.Run(context.Background()) }() // ends: every main process ended
	ran := make(chan struct{})
	go func() { d.run(); close(ran) }()
	select {
	case <-ran:
	case <-time.After(uiDeadline):
		t.Fatal("the drain did not finish after lifecycle:exit")
	}
	if dropped != 0 || last != "200000" {
		t.Errorf("dropped %d, last line %q", dropped, last)
	}
	// An update holds at most 2*maxViewLines of a process's newest lines
	// (the view keeps fewer); the rest stay in the engine's ring.
	if lines > n {
		t.Errorf("%d lines arrived in %d updates", lines, posts)
	}
	frames := int(end.Sub(first)/frameInterval) + 1
	if posts > frames+6 {
		t.Errorf("%d updates over %v: more than one per frame", posts, end.Sub(first))
	}
	t.Logf("%d lines in %d updates over %v", lines, posts, end.Sub(first))
}

// A state change that no event reports (stopping) reaches the view at
// once: the drain reads the states when they change, not on a timer.
func TestDrainSeesStopping(t *testing.T) {
	p := shProc("stubborn", engine.Main, `trap '' TERM; while :; do echo tick; sleep 0.05; done`)
	p.Spec.StopTimeout = 10 * time.Second
	e, err := engine.New(engine.Plan{Processes: []engine.Process{p}}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub := e.Subscribe(engine.SubscribeOptions{LogBuffer: logBuffer})
	defer sub.Close()
	states := make(chan unit.State, 1000)
	ticks := make(chan struct{}, 1000)
	d := newDrain(sub, e, func(u *update) {
		for _, s := range u.statuses {
			states <- s.Status.State
		}
		for _, pl := range u.order {
			for range pl.lines {
				select {
				case ticks <- struct{}{}:
				default:
				}
			}
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	ran, stopped := make(chan int, 1), make(chan error, 1)
	go func() { ran <- e.Run(ctx) }()
	go d.run()
	defer func() {
		cancel()
		e.Signal(syscall.SIGINT) // a second request forces: SIGKILL
		select {
		case <-stopped:
		case <-time.After(uiDeadline):
			t.Error("the stop did not end")
		}
		select {
		case <-ran:
		case <-time.After(uiDeadline):
			t.Error("the run did not end")
		}
		<-d.done
	}()
	waitState(t, states, unit.StateReady)
	// Four more ticks: at least 150 ms later, when no timer reads the
	// states any more; only the change itself can tell the view.
	for range 4 {
		select {
		case <-ticks:
		case <-time.After(5 * time.Second):
			t.Fatal("no output")
		}
	}
	go func() { stopped <- e.Stop("stubborn") }() // not through the UI; waits for the group
	// The process ignores SIGTERM: it is stopping for 10 s, with no event.
	waitState(t, states, unit.StateStopping)
}

func waitState(t *testing.T, states <-chan unit.State, want unit.State) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case s := <-states:
			if s == want {
				return
			}
		case <-deadline:
			t.Fatalf("the view never showed %s", want)
		}
	}
}
