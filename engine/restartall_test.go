package engine

import (
	"slices"
	"testing"

	"github.com/ovrseer/ovrseer/unit"
)

// nthAfter is the index of the first event typ of process at or after
// from, or -1.
func nthAfter(events []Event, from int, typ Type, process string) int {
	for i := from; i < len(events); i++ {
		if events[i].Type == typ && events[i].Process == process {
			return i
		}
	}
	return -1
}

// R (RestartAll) restarts a chain of main processes db → api → console as
// a shutdown and a start would: console, api, db stop in that order, then
// db starts, and api starts only once db is ready, console only once api
// is ready. (It used to restart all three at once: console crashed into a
// database that was not back.)
func TestRestartAllInDepsOrder(t *testing.T) {
	db := mainProc("db", withReady(spec("serve"), readyLog))
	api := mainProc("api", withReady(spec("serve"), readyLog), "db")
	console := mainProc("console", withReady(spec("serve"), readyLog), "api")
	e, r := newRecorded(t, Plan{Processes: []Process{console, api, db}}) // plan order is not deps order
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	names, err := e.RestartAll()
	if err != nil || !slices.Equal(names, []string{"console", "api", "db"}) {
		t.Fatalf("RestartAll: %v, %v", names, err)
	}
	waitNth(t, r, ProcessReady, "console", 2)
	e.Quit()
	wait()
	events := r.all(t)
	from := index(events, MainReady, "")
	at := func(typ Type, name string) int {
		i := nthAfter(events, from, typ, name)
		if i < 0 {
			t.Fatalf("no %s %s after main-ready:\n%s", typ, name, dump(events))
		}
		return i
	}
	before := func(a, b string, i, j int) {
		if i >= j {
			t.Errorf("%s (#%d) is not before %s (#%d):\n%s", a, i, b, j, dump(events[from:]))
		}
	}
	before("console's exit", "api's", at(ProcessExit, "console"), at(ProcessExit, "api"))
	before("api's exit", "db's", at(ProcessExit, "api"), at(ProcessExit, "db"))
	before("db's exit", "its restart", at(ProcessExit, "db"), at(ProcessRestart, "db"))
	before("db ready", "api's restart", at(ProcessReady, "db"), at(ProcessRestart, "api"))
	before("api ready", "console's restart", at(ProcessReady, "api"), at(ProcessRestart, "console"))
	for _, name := range names {
		if n := count(events[from:], ProcessRestart, name); n != 1 {
			t.Errorf("%s restarted %d times, want once", name, n)
		}
		if ev := events[at(ProcessRestart, name)]; ev.Reason != "manual" {
			t.Errorf("%s restarted for %q, want manual", name, ev.Reason)
		}
	}
}

// R starts again a main process that failed, and leaves the dependencies
// and a process never started (autostart = False) alone.
func TestRestartAllRevivesFailed(t *testing.T) {
	broken := mainProc("broken", spec("exit", "2"))
	broken.Spec.Restart = unit.RestartNever
	manual := mainProc("manual", withReady(spec("serve"), readyLog))
	manual.Autostart = false
	plan := Plan{Processes: []Process{dep("db", withReady(spec("serve"), readyLog)),
		mainProc("web", withReady(spec("serve"), readyLog), "db"), broken, manual}}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	r.wait(t, "broken failed", func(ev Event) bool { return ev.Type == ProcessFailed && ev.Process == "broken" })
	r.waitType(t, ProcessReady, "web")
	names, err := e.RestartAll()
	if err != nil || !slices.Equal(names, []string{"web", "broken"}) {
		t.Fatalf("RestartAll: %v, %v", names, err)
	}
	waitNth(t, r, ProcessSpawn, "broken", 2)
	waitNth(t, r, ProcessReady, "web", 2)
	e.Quit()
	wait()
	events := r.all(t)
	if n := count(events, ProcessSpawn, "db"); n != 1 {
		t.Errorf("the dependency db spawned %d times, want once", n)
	}
	if n := count(events, ProcessSpawn, "manual"); n != 0 {
		t.Errorf("manual spawned %d times, want never", n)
	}
}
