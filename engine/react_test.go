package engine

import (
	"fmt"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/logger"
)

// What a reacting subscriber (the hook queue) publishes in answer to an
// event follows that event in every other subscriber, however the
// goroutines are scheduled: a hook's line never precedes its crash line,
// even though the hook queue subscribed first.
func TestReactionFollowsItsEvent(t *testing.T) {
	e := newIdle(t)
	reactor := e.Subscribe(SubscribeOptions{Reacts: true})
	views := make([]*Subscription, 8)
	for i := range views {
		views[i] = e.Subscribe(SubscribeOptions{})
	}
	if subs := *e.subs.Load(); subs[len(subs)-1] != reactor {
		t.Fatal("the reacting subscriber is not the last one published to")
	}
	const n = 2000
	done := make(chan int)
	go func() { // the hook queue: answers each crash with a line
		seen := 0
		deadline := time.After(waitLimit)
		for seen < n {
			select {
			case <-reactor.Ready():
			case <-deadline:
				done <- seen
				return
			}
			for _, ev := range reactor.Take(nil) {
				if ev.Type == ProcessCrash {
					e.HookLine("alert", logger.Stdout, ev.Process)
					seen++
				}
			}
		}
		done <- seen
	}()
	for i := range n {
		e.publish(&Event{Type: ProcessCrash, Process: fmt.Sprint(i)})
	}
	if seen := <-done; seen != n {
		t.Fatalf("the reactor saw %d of %d crashes", seen, n)
	}
	for i, v := range views {
		crashed := map[string]bool{}
		for _, ev := range v.Take(nil) {
			switch ev.Type {
			case ProcessCrash:
				crashed[ev.Process] = true
			case ProcessLog:
				if !crashed[ev.Line] {
					t.Fatalf("subscriber %d: the hook's line for crash %s came before the crash", i, ev.Line)
				}
			}
		}
		if len(crashed) != n {
			t.Errorf("subscriber %d saw %d crashes, want %d", i, len(crashed), n)
		}
	}
}
