package engine

import (
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/unit"
)

// A process's state changes before the event that reports it is
// published: a subscriber that receives process:failed and asks for the
// status sees failed, every process event carries the state, and the
// shutdown that the failure causes comes after it.
func TestStateBeforeEvent(t *testing.T) {
	for range 5 {
		checkGoroutines(t)
		crasher := spec("exit", "3")
		crasher.Restart, crasher.MaxRestarts = unit.RestartOnFailure, 1
		e, err := New(Plan{Processes: []Process{mainProc("crasher", crasher)}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		sub := e.Subscribe(SubscribeOptions{})
		code := start(t, e)
		var seen []Event
		deadline := time.After(waitLimit)
	loop:
		for {
			select {
			case <-sub.Ready():
			case <-sub.Done():
				seen = sub.Take(seen)
				break loop
			case <-deadline:
				t.Fatal("the run did not end")
			}
			for _, ev := range sub.Take(nil) {
				if ev.Type == ProcessFailed {
					if st := e.Snapshot()[0].Status.State; st != unit.StateFailed {
						t.Errorf("status on process:failed: %s", st)
					}
				}
				seen = append(seen, ev)
			}
		}
		code()
		want := map[Type]string{ProcessSpawn: "starting", ProcessReady: "ready", ProcessFailed: "failed"}
		for _, ev := range seen {
			if !ev.Type.hasState() {
				continue
			}
			if ev.State == "" {
				t.Errorf("%s without state", ev.Type)
			}
			if w, ok := want[ev.Type]; ok && ev.State != w {
				t.Errorf("%s in state %s, want %s", ev.Type, ev.State, w)
			}
		}
		crashes := 0
		for _, ev := range seen {
			if ev.Type == ProcessCrash {
				if w := []string{"crashed", "failed"}[crashes]; ev.State != w {
					t.Errorf("crash %d in state %s, want %s", crashes, ev.State, w)
				}
				crashes++
			}
		}
		assertOrder(t, seen, "process:exit crasher", "process:crash crasher", "process:restart crasher",
			"process:failed crasher", "lifecycle:shutdown", "lifecycle:exit")
		if t.Failed() {
			t.Fatalf("events:\n%s", dump(seen))
		}
	}
}
