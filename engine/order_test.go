package engine

import (
	"os"
	"testing"
)

// lifecycle:start is the first event of a run and tells it apart (version,
// ovrseer's pid, Ovrfile, mode, root); lifecycle:main-started comes after
// the process:spawn of every main process started with it, and before
// main-ready.
func TestStartAndMainStartedOrder(t *testing.T) {
	plan := Plan{Processes: []Process{
		dep("db", withReady(spec("serve"), readyLog)),
		mainProc("api", spec("exit", "0")),
		mainProc("web", spec("exit", "0")),
		mainProc("worker", spec("exit", "0")),
		mainProc("late", spec("exit", "0"), "api"), // deps pending at launch
	}}
	checkGoroutines(t)
	info := RunInfo{Version: "v9.9.9", Ovrfile: "/srv/app/Ovrfile.star", Mode: "ci", Root: "/srv/app"}
	e, err := New(plan, Options{Info: info})
	if err != nil {
		t.Fatal(err)
	}
	r := record(e)
	if code := start(t, e)(); code != 0 {
		t.Errorf("exit code %d", code)
	}
	events := r.all(t)
	first := events[0]
	if first.Type != LifecycleStart || first.Start == nil || *first.Start != info || first.Pid != os.Getpid() {
		t.Errorf("first event %+v, want lifecycle:start with %+v and pid %d", first, info, os.Getpid())
	}
	if n := count(events, LifecycleStart, ""); n != 1 {
		t.Errorf("lifecycle:start published %d times", n)
	}
	started := index(events, MainStarted, "")
	for _, name := range []string{"api", "web", "worker"} {
		if i := index(events, ProcessSpawn, name); i < 0 || i > started {
			t.Errorf("process:spawn %s at %d, lifecycle:main-started at %d:\n%s", name, i, started, dump(events))
		}
	}
	assertOrder(t, events, "lifecycle:dependencies-ready", "lifecycle:main-started", "lifecycle:main-ready")
}
