package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/ovrseer/ovrseer/unit"
)

func manual(name string, s unit.Spec, deps ...string) Process {
	p := mainProc(name, s, deps...)
	p.Autostart = false
	return p
}

// An autostart process whose dep is autostart = False: the dep starts
// because it is needed, first (it used to be refused by New only, never
// by check).
func TestNeededDepStarts(t *testing.T) {
	plan := Plan{Processes: []Process{
		mainProc("app", spec("exit", "0"), "setup"),
		manual("setup", withReady(spec("serve"), readyLog)),
	}}
	code, events := runPlan(t, plan)
	if code != 0 {
		t.Errorf("exit code %d, want 0\n%s", code, dump(events))
	}
	assertOrder(t, events, "process:spawn setup", "process:ready setup", "process:spawn app", "process:exit app",
		"lifecycle:shutdown")
}

// Start and RunOnce respect deps: the dep that is down starts first, and
// the process spawns only once it is ready.
func TestStartRespectsDeps(t *testing.T) {
	plan := Plan{Processes: []Process{
		mainProc("keeper", spec("serve")),
		manual("db", withReady(spec("serve"), readyLog)),
		manual("api", withReady(spec("serve"), readyLog), "db"),
		manual("job", spec("exit", "4"), "api"),
		manual("cache", withReady(spec("serve"), readyLog)),
		manual("web", spec("serve"), "cache"),
	}}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	code, err := e.RunOnce(context.Background(), "job")
	if err != nil || code != 4 {
		t.Errorf("RunOnce(job) = %d, %v; want 4, nil", code, err)
	}
	if err := e.Start("web"); err != nil {
		t.Fatal(err)
	}
	r.waitType(t, ProcessSpawn, "web")
	e.Quit()
	if c := wait(); c != 130 && c != 0 {
		t.Logf("exit code %d", c)
	}
	events := r.all(t)
	assertOrder(t, events, "process:ready db", "process:spawn api", "process:ready api", "process:spawn job",
		"process:exit job")
	assertOrder(t, events, "process:ready cache", "process:spawn web")
}

// A dep that fails for good gives up the dependent waiting for it, with a
// reason: RunOnce returns the error instead of waiting forever.
func TestDepFailedGivesUp(t *testing.T) {
	bad := manual("db", withReady(spec("exit", "1"), readyLog))
	plan := Plan{Processes: []Process{
		mainProc("keeper", spec("serve")),
		bad,
		manual("job", spec("exit", "0"), "db"),
	}}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	_, err := e.RunOnce(ctx, "job")
	if err == nil || !strings.Contains(err.Error(), `dep "db" failed`) {
		t.Errorf("RunOnce(job) error %v, want one naming the failed dep", err)
	}
	e.Quit()
	wait()
	events := r.all(t)
	if index(events, ProcessSpawn, "job") >= 0 {
		t.Errorf("job spawned although its dep failed:\n%s", dump(events))
	}
	if i := index(events, LifecycleError, "job"); i < 0 {
		t.Errorf("no lifecycle:error for job:\n%s", dump(events))
	}
}
