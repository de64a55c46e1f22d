package engine

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/unit"
)

// orderFrom asserts that steps ("type process [reason]") occur in this
// order in events from index from on, each after the previous one.
func orderFrom(t *testing.T, events []Event, from int, steps ...string) {
	t.Helper()
	i := from
	for _, s := range steps {
		parts := strings.SplitN(s, " ", 3)
		for ; i < len(events); i++ {
			e := events[i]
			if string(e.Type) == parts[0] && e.Process == parts[1] && (len(parts) < 3 || e.Reason == parts[2]) {
				break
			}
		}
		if i == len(events) {
			t.Fatalf("no %q in order after index %d in:\n%s", s, from, dump(events))
		}
		i++
	}
}

// waitNth waits for the nth event typ of process.
func waitNth(t *testing.T, r *recorder, typ Type, process string, n int) {
	t.Helper()
	seen := 0
	r.wait(t, fmt.Sprintf("%s %s #%d", typ, process, n), func(ev Event) bool {
		if ev.Type == typ && ev.Process == process {
			seen++
		}
		return seen == n
	})
}

func chainPlan(dbRestart unit.RestartPolicy) Plan {
	db := withReady(spec("serve"), readyLog)
	db.Restart, db.MaxRestarts = dbRestart, 3
	api := mainProc("api", withReady(spec("serve"), readyLog), "db")
	api.RestartOnDeps = true
	worker := mainProc("worker", withReady(spec("serve"), readyLog), "api")
	worker.RestartOnDeps = true
	return Plan{Processes: []Process{
		dep("db", db), api, worker,
		mainProc("other", withReady(spec("serve"), readyLog), "db"), // no restart_on_deps: untouched
	}}
}

// A dependency killed with SIGKILL (restart = "always"): its
// restart_on_deps dependents stop, dependents first, and start again in
// deps order once it is ready, each with process:restart "deps: X restarted".
func TestRestartOnDepsAfterCrash(t *testing.T) {
	e, r := newRecorded(t, chainPlan(unit.RestartAlways))
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	pid := e.Snapshot()[0].Status.Pid
	otherPid := e.Snapshot()[3].Status.Pid
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitNth(t, r, ProcessReady, "worker", 2)
	if got := e.Snapshot()[3].Status.Pid; got != otherPid {
		t.Errorf("other (no restart_on_deps) pid %d → %d", otherPid, got)
	}
	e.Quit()
	if code := wait(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	events := r.all(t)
	from := index(events, MainReady, "")
	orderFrom(t, events, from,
		"process:exit db", "process:exit worker", "process:exit api",
		"process:restart api deps: db restarted", "process:spawn api", "process:ready api",
		"process:restart worker deps: api restarted", "process:spawn worker", "process:ready worker")
	orderFrom(t, events, from, "process:restart db crash", "process:ready db", "process:restart api deps: db restarted")
	if n := count(events[from:], ProcessRestart, "other"); n != 0 {
		t.Errorf("other restarted %d times", n)
	}
}

// A manual restart of the dependency stops its dependents first.
func TestRestartOnDepsManual(t *testing.T) {
	e, r := newRecorded(t, chainPlan(unit.RestartNever))
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	if err := e.Restart("db"); err != nil {
		t.Fatal(err)
	}
	waitNth(t, r, ProcessReady, "worker", 2)
	e.Quit()
	wait()
	events := r.all(t)
	orderFrom(t, events, index(events, MainReady, ""),
		"process:exit worker", "process:exit api", "process:exit db", "process:restart db manual",
		"process:ready db", "process:restart api deps: db restarted", "process:ready api",
		"process:restart worker deps: api restarted", "process:ready worker")
}

// A dependency that fails for good fails its restart_on_deps dependents.
func TestRestartOnDepsFailed(t *testing.T) {
	plan := chainPlan(unit.RestartOnFailure)
	plan.Processes[0].Spec.MaxRestarts = 0 // its crash fails it
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	syscall.Kill(e.Snapshot()[0].Status.Pid, syscall.SIGKILL)
	r.wait(t, "worker failed", func(ev Event) bool { return ev.Type == ProcessFailed && ev.Process == "worker" })
	r.wait(t, "api failed", func(ev Event) bool { return ev.Type == ProcessFailed && ev.Process == "api" })
	e.Quit()
	wait()
	events := r.all(t)
	if ev := events[index(events, ProcessFailed, "api")]; ev.Reason != "deps: db failed" || ev.State != "failed" {
		t.Errorf("api failed: %+v", ev)
	}
	if ev := events[index(events, ProcessFailed, "worker")]; ev.Reason != "deps: api failed" {
		t.Errorf("worker failed: %+v", ev)
	}
}

// A dependent the user stops while it waits for its dependency stays
// down: the dependency's readiness does not start it again.
func TestRestartOnDepsUserStopped(t *testing.T) {
	plan := chainPlan(unit.RestartAlways)
	plan.Processes[0].Spec.Backoff, plan.Processes[0].Spec.MaxBackoff = time.Second, time.Second // db is down for a second
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	syscall.Kill(e.Snapshot()[0].Status.Pid, syscall.SIGKILL)
	deadline := time.After(waitLimit)
	for { // until api is held
		changed := e.StateChanged() // before the look: no change is missed
		if e.Snapshot()[1].Status.State == unit.StatePending {
			break
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("api never held: %v\n%s", e.Snapshot()[1].Status.State, r.dumpSoFar())
		}
	}
	if err := e.Stop("api"); err != nil {
		t.Fatal(err)
	}
	waitNth(t, r, ProcessReady, "db", 2)
	e.Quit()
	wait()
	events := r.all(t)
	if n := count(events, ProcessRestart, "api"); n != 0 {
		t.Errorf("api, stopped by the user, restarted %d times:\n%s", n, dump(events))
	}
	if n := count(events, ProcessRestart, "worker"); n != 0 {
		t.Errorf("worker restarted %d times without its dep", n)
	}
}

// R (RestartAll) restarts the main processes of a chain in order, and
// not the dependency db: a restart_on_deps dependent whose dependency
// restarts too says so.
func TestRestartAllFollowsDeps(t *testing.T) {
	e, r := newRecorded(t, chainPlan(unit.RestartNever))
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	e.RestartAll()
	waitNth(t, r, ProcessReady, "worker", 2)
	e.Quit()
	wait()
	events := r.all(t)
	from := index(events, MainReady, "")
	orderFrom(t, events, from, "process:exit worker", "process:exit api",
		"process:restart api manual", "process:ready api",
		"process:restart worker deps: api restarted")
	if n := count(events[from:], ProcessRestart, "api"); n != 1 {
		t.Errorf("api restarted %d times, want once", n)
	}
	if n := count(events, ProcessSpawn, "db"); n != 1 {
		t.Errorf("the dependency db spawned %d times, want once", n)
	}
}

// dumpSoFar is dump of the events recorded until now.
func (r *recorder) dumpSoFar() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return dump(r.events)
}

// Restarting a dependency and then its restart_on_deps dependent by hand
// (the TUI's R goes through the main processes in plan order) restarts
// the dependent once, after its dependency is ready.
func TestRestartDependentWhileHeld(t *testing.T) {
	e, r := newRecorded(t, chainPlan(unit.RestartNever))
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	e.Restart("api")
	e.Restart("worker")
	waitNth(t, r, ProcessReady, "worker", 2)
	e.Quit()
	wait()
	events := r.all(t)
	from := index(events, MainReady, "")
	orderFrom(t, events, from, "process:exit worker", "process:exit api", "process:restart api manual",
		"process:ready api", "process:restart worker deps: api restarted", "process:ready worker")
	if n := count(events[from:], ProcessRestart, "worker"); n != 1 {
		t.Errorf("worker restarted %d times, want once:\n%s", n, dump(events))
	}
}
