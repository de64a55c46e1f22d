package engine

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/unit"
)

// copyOf makes p a copy of a replicated name.
func copyOf(base string, p Process) Process {
	p.ReplicaOf = base
	return p
}

// WaitReady of a replicated name is ready once every copy is.
func TestWaitReadyAllCopies(t *testing.T) {
	plan := Plan{Processes: []Process{
		copyOf("web", mainProc("web-1", withReady(spec("serve"), readyLog))),
		copyOf("web", manual("web-2", withReady(spec("serve"), readyLog))),
	}}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	r.waitType(t, ProcessReady, "web-1")
	short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	err := e.WaitReady(short, "web")
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitReady(web) with web-2 not started: %v, want deadline exceeded", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := e.Start("web-2"); err != nil {
		t.Fatal(err)
	}
	if err := e.WaitReady(ctx, "web"); err != nil {
		t.Errorf("WaitReady(web): %v", err)
	}
	if s := e.tab().byName["web-2"].unit.Status().State; s != unit.StateReady {
		t.Errorf("web-2 is %s after WaitReady(web), want ready", s)
	}
	e.Quit()
	wait()
}

// RunOnceExit of a replicated name runs every copy and waits for all of
// them: OK when each exit is in its ok_codes, the code of the first copy
// that failed, else of the first copy.
func TestRunOnceExitCopies(t *testing.T) {
	okCodes := func(s unit.Spec, codes ...int) unit.Spec {
		s.OkCodes = codes
		return s
	}
	plan := Plan{Processes: []Process{
		mainProc("keeper", spec("serve")),
		copyOf("job", manual("job-1", spec("exit", "0"))),
		copyOf("job", manual("job-2", spec("exit", "3"))),
		copyOf("job", manual("job-3", spec("exit", "4"))),
		copyOf("tolerant", manual("tolerant-1", okCodes(spec("exit", "3"), 0, 3))),
		copyOf("tolerant", manual("tolerant-2", okCodes(spec("exit", "0"), 0, 3))),
	}}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	// In this order: tolerant-2 runs (and settles) before tolerant runs it
	// again, long after (a run asked for in the instant between a process's
	// exit and its settled state is not covered here).
	for _, c := range []struct {
		name string
		want RunExit
	}{
		{"tolerant-2", RunExit{Code: 0, OK: true}},
		{"job", RunExit{Code: 3, OK: false}},
		{"tolerant", RunExit{Code: 3, OK: true}},
	} {
		name, want := c.name, c.want
		got, err := e.RunOnceExit(ctx, name)
		if err != nil || got != want {
			t.Errorf("RunOnceExit(%s) = %+v, %v; want %+v", name, got, err, want)
		}
	}
	e.Quit()
	wait()
	events := r.all(t)
	for _, c := range []string{"job-1", "job-2", "job-3", "tolerant-1"} {
		if n := count(events, ProcessSpawn, c); n != 1 {
			t.Errorf("%s spawned %d times, want 1", c, n)
		}
	}
}
