package engine

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/unit"
)

func names(ps []ProcessStatus) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func status(t *testing.T, e *Engine, name string) unit.Status {
	t.Helper()
	for _, p := range e.Snapshot() {
		if p.Name == name {
			return p.Status
		}
	}
	t.Fatalf("no process %q in %v", name, names(e.Snapshot()))
	return unit.Status{}
}

func withEnv(s unit.Spec, env ...string) unit.Spec {
	s.Env = append(slices.Clone(s.Env), env...)
	return s
}

// One reload adds, removes and changes processes: the added one starts,
// the removed one stops and is gone, the changed one restarts (reason
// "reload") with its log history and restart count carried on, and the
// unchanged ones keep their pids.
func TestReloadAppliesTheDiff(t *testing.T) {
	serve := withReady(spec("serve"), readyLog)
	plan := Plan{Processes: []Process{
		dep("db", serve),
		mainProc("web", serve, "db"),
		mainProc("old", serve),
		mainProc("chg", withEnv(serve, "V=1")),
	}}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	dbPid, webPid, chgPid := status(t, e, "db").Pid, status(t, e, "web").Pid, status(t, e, "chg").Pid

	next := Plan{Processes: []Process{
		dep("db", serve),
		mainProc("web", serve, "db"),
		mainProc("chg", withEnv(serve, "V=2")),
		mainProc("new", serve, "db"),
	}}
	d, err := e.Reload(next)
	if err != nil {
		t.Fatalf("Reload: %v", err)
	}
	if !slices.Equal(d.Added, []string{"new"}) || !slices.Equal(d.Removed, []string{"old"}) || !slices.Equal(d.Changed, []string{"chg"}) {
		t.Fatalf("diff %+v, want added [new], removed [old], changed [chg]", d)
	}
	if got := names(e.Snapshot()); !slices.Equal(got, []string{"db", "web", "chg", "new"}) {
		t.Errorf("after the reload Snapshot has %v", got)
	}
	ev := r.waitType(t, LifecycleReload, "")
	if ev.Reload == nil || !slices.Equal(ev.Reload.Changed, []string{"chg"}) || !slices.Equal(ev.Reload.Added, []string{"new"}) || !slices.Equal(ev.Reload.Removed, []string{"old"}) {
		t.Errorf("lifecycle:reload %+v", ev)
	}
	r.waitType(t, ProcessReady, "new")
	waitNth(t, r, ProcessReady, "chg", 2)
	r.waitType(t, ProcessExit, "old")

	if s := status(t, e, "db"); s.Pid != dbPid {
		t.Errorf("db pid %d → %d: an unchanged process was restarted", dbPid, s.Pid)
	}
	if s := status(t, e, "web"); s.Pid != webPid {
		t.Errorf("web pid %d → %d: an unchanged process was restarted", webPid, s.Pid)
	}
	chg := status(t, e, "chg")
	if chg.Pid == chgPid || chg.Pid == 0 || chg.Restarts != 1 || chg.State != unit.StateReady {
		t.Errorf("chg after the reload: %+v (pid before %d), want a new pid, ready, 1 restart", chg, chgPid)
	}
	for deadline := time.Now().Add(waitLimit); ; { // the ring takes a chunk's lines at its end
		if logs, _ := e.Logs("chg", 10); len(logs) == 2 {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("chg's ring holds %d lines, want the old process's and the new one's ready", len(logs))
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := e.Start("old"); !errors.Is(err, ErrUnknownProcess) {
		t.Errorf("Start(old) after its removal: %v, want ErrUnknownProcess", err)
	}
	e.Quit()
	if code := wait(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	events := r.all(t)
	from := index(events, LifecycleReload, "")
	orderFrom(t, events, from, "process:exit chg", "process:restart chg reload", "process:spawn chg", "process:ready chg")
	if n := count(events, ProcessSpawn, "web"); n != 1 {
		t.Errorf("web spawned %d times, want 1", n)
	}
	if i := index(events, ProcessSpawn, "old"); i > from {
		t.Errorf("the removed process spawned again after the reload")
	}
}

// A dependency chain added by a reload starts in order: the new main
// process waits until its new dependency is ready.
func TestReloadAddedChainWaitsForItsDeps(t *testing.T) {
	gate := filepath.Join(t.TempDir(), "gate")
	serve := withReady(spec("serve"), readyLog)
	e, r := newRecorded(t, Plan{Processes: []Process{mainProc("web", serve)}})
	wait := start(t, e)
	r.waitType(t, MainReady, "")

	_, err := e.Reload(Plan{Processes: []Process{
		mainProc("web", serve),
		dep("cache", withReady(spec("await", gate), readyLog)),
		mainProc("api", serve, "cache"),
		mainProc("worker", serve, "api"),
	}})
	if err != nil {
		t.Fatalf("Reload: %v", err)
	}
	r.waitType(t, ProcessSpawn, "cache")
	if s := status(t, e, "api"); s.State != unit.StatePending {
		t.Errorf("api is %s while its dependency is not ready, want pending", s.State)
	}
	if err := os.WriteFile(gate, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r.waitType(t, ProcessReady, "worker")
	e.Quit()
	wait()
	events := r.all(t)
	assertOrder(t, events, "process:spawn cache", "process:ready cache", "process:spawn api", "process:ready api", "process:spawn worker")
}

// Notes in flight for a process a reload removed or replaced stay valid:
// its unit's events change nothing, a start of a removed one is refused,
// a start of a replaced one applies to its successor.
func TestReloadNotesForRetiredProcesses(t *testing.T) {
	serve := withReady(spec("serve"), readyLog)
	lazy := mainProc("lazy", serve)
	lazy.Autostart = false
	e, r := newRecorded(t, Plan{Processes: []Process{mainProc("web", serve), mainProc("gone", serve), lazy}})
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	goneIdx, lazyIdx := e.tab().byName["gone"].idx, e.tab().byName["lazy"].idx
	lazy2 := lazy
	lazy2.Spec = withEnv(serve, "V=2")
	if _, err := e.Reload(Plan{Processes: []Process{mainProc("web", serve), lazy2}}); err != nil {
		t.Fatalf("Reload: %v", err)
	}
	r.waitType(t, ProcessExit, "gone")
	buried(t, e, goneIdx)
	buried(t, e, lazyIdx) // replaced: its successor took its history over
	// As if posted just before the reload was applied:
	e.mbox.Post(note{kind: noteUnit, proc: goneIdx, ev: unit.Event{Kind: unit.EventFailed, Reason: "late"}})
	e.mbox.Post(note{kind: noteUnit, proc: goneIdx, ev: unit.Event{Kind: unit.EventState, State: unit.StateFailed}})
	e.mbox.Post(note{kind: noteStart, proc: goneIdx})
	e.mbox.Post(note{kind: noteStart, proc: lazyIdx})
	r.waitType(t, ProcessReady, "lazy")
	if s := status(t, e, "lazy"); s.State != unit.StateReady {
		t.Errorf("lazy (the successor) is %s, want ready", s.State)
	}
	if got := names(e.Snapshot()); !slices.Equal(got, []string{"web", "lazy"}) {
		t.Errorf("Snapshot has %v", got)
	}
	e.Quit()
	if code := wait(); code != 0 {
		t.Errorf("exit code %d, want 0: a late failure of a removed process counted", code)
	}
	events := r.all(t)
	if n := count(events, ProcessSpawn, "gone"); n != 1 {
		t.Errorf("gone spawned %d times, want 1", n)
	}
}

// A reload is refused, changing nothing, while the stack starts and while
// it stops.
func TestReloadOnlyWhileRunning(t *testing.T) {
	gate := filepath.Join(t.TempDir(), "gate")
	plan := Plan{Processes: []Process{dep("db", withReady(spec("await", gate), readyLog)), mainProc("web", spec("serve"))}}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	r.waitType(t, ProcessSpawn, "db")
	if _, err := e.Reload(Plan{Processes: plan.Processes[:1]}); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Reload while starting: %v, want ErrNotRunning", err)
	}
	os.WriteFile(gate, nil, 0o600)
	select {
	case <-e.Running():
	case <-time.After(waitLimit):
		t.Fatal("not running")
	}
	e.Quit()
	r.waitType(t, Shutdown, "")
	if _, err := e.Reload(Plan{Processes: plan.Processes[:1]}); !errors.Is(err, ErrNotRunning) && !errors.Is(err, ErrOver) {
		t.Errorf("Reload while stopping: %v, want ErrNotRunning", err)
	}
	wait()
	if events := r.all(t); index(events, LifecycleReload, "") >= 0 {
		t.Errorf("a refused reload was applied")
	}
}

// Reloads while a process floods its output and other goroutines read
// the process set (run with -race): every line is delivered, the flooding
// process is untouched.
func TestReloadWhileFloodingAndPolled(t *testing.T) {
	checkGoroutines(t)
	serve := withReady(spec("serve"), readyLog)
	base := []Process{mainProc("flood", spec("flood")), mainProc("web", serve)}
	e, err := New(Plan{Processes: base}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub := e.Subscribe(SubscribeOptions{Record: true})
	var lines, reloads int
	var mu sync.Mutex
	seen := make(chan struct{}, 1)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for {
			select {
			case <-sub.Ready():
			case <-sub.Done():
				return
			}
			sub.Each(func(ev *Event) {
				mu.Lock()
				defer mu.Unlock()
				switch {
				case ev.Type == ProcessLog && ev.Process == "flood":
					lines++
				case ev.Type == LifecycleReload:
					reloads++
				default:
					return
				}
				select {
				case seen <- struct{}{}:
				default:
				}
			})
		}
	}()
	wait := start(t, e)
	more := func() { // a few more flood lines (or a reload event) were delivered
		t.Helper()
		select {
		case <-seen:
		case <-time.After(waitLimit):
			t.Fatal("no flood line")
		}
	}
	more()
	pid := status(t, e, "flood").Pid
	stop := make(chan struct{})
	var pollers sync.WaitGroup
	for range 2 {
		pollers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, p := range e.Snapshot() {
					e.Logs(p.Name, 5)
				}
				e.Start("extra-1")
				e.RestartFor("extra-2", "poll")
				e.ReportError("test", "extra-1", nil)
			}
		})
	}
	for i := range 6 {
		procs := slices.Clone(base)
		for j := range i % 3 {
			procs = append(procs, mainProc("extra-"+string(rune('1'+j)), withEnv(serve, "I="+string(rune('0'+i)))))
		}
		if _, err := e.Reload(Plan{Processes: procs}); err != nil {
			t.Fatalf("Reload %d: %v", i, err)
		}
		more()
	}
	close(stop)
	pollers.Wait()
	if got := status(t, e, "flood").Pid; got != pid {
		t.Errorf("flood's pid %d → %d", pid, got)
	}
	e.Quit()
	wait()
	<-drained
	mu.Lock()
	defer mu.Unlock()
	if reloads != 6 || lines == 0 {
		t.Errorf("%d reload events (want 6), %d flood lines", reloads, lines)
	}
}

// A changed dependency restarts as any restart does: its restart_on_deps
// dependents stop first and start again once it is ready; the others are
// untouched.
func TestReloadChangedDependencyHoldsItsDependents(t *testing.T) {
	serve := withReady(spec("serve"), readyLog)
	api := mainProc("api", serve, "db")
	api.RestartOnDeps = true
	plan := Plan{Processes: []Process{dep("db", serve), api, mainProc("other", serve, "db")}}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	otherPid := status(t, e, "other").Pid
	next := Plan{Processes: []Process{dep("db", withEnv(serve, "V=2")), api, mainProc("other", serve, "db")}}
	if d, err := e.Reload(next); err != nil || !slices.Equal(d.Changed, []string{"db"}) {
		t.Fatalf("Reload: %+v, %v", d, err)
	}
	waitNth(t, r, ProcessReady, "api", 2)
	if got := status(t, e, "other").Pid; got != otherPid {
		t.Errorf("other (no restart_on_deps) pid %d → %d", otherPid, got)
	}
	e.Quit()
	wait()
	events := r.all(t)
	orderFrom(t, events, index(events, LifecycleReload, ""),
		"process:exit api", "process:exit db", "process:restart db reload", "process:ready db",
		"process:restart api deps: db restarted", "process:ready api")
}

// A reload that changes the watch globs watches the new ones, not the old
// ones: the watcher starts again.
func TestReloadWatchesTheNewGlobs(t *testing.T) {
	dir := t.TempDir()
	app := mainProc("app", withReady(spec("serve"), readyLog))
	app.Spec.Dir, app.Watch = dir, []string{"a.txt"}
	e, r := newRecorded(t, Plan{Processes: []Process{app}})
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	app.Watch = []string{"b.txt"}
	if _, err := e.Reload(Plan{Processes: []Process{app}}); err != nil {
		t.Fatalf("Reload: %v", err)
	}
	waitNth(t, r, ProcessReady, "app", 2) // restarted: its watch option changed
	for _, f := range []string{"a.txt", "b.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ev := r.wait(t, "a watch restart", func(ev Event) bool {
		return ev.Type == ProcessRestart && ev.Process == "app" && ev.Reason != "reload"
	})
	if ev.Reason != "watch: b.txt changed" {
		t.Errorf("restart reason %q, want watch: b.txt changed", ev.Reason)
	}
	e.Quit()
	wait()
}

// A cleanup process added by a reload runs at the shutdown, not before.
func TestReloadAddedCleanupRunsAtShutdown(t *testing.T) {
	serve := withReady(spec("serve"), readyLog)
	e, r := newRecorded(t, Plan{Processes: []Process{mainProc("web", serve)}})
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	if _, err := e.Reload(Plan{Processes: []Process{mainProc("web", serve), cleanupProc("tidy", spec("exit", "0"))}}); err != nil {
		t.Fatalf("Reload: %v", err)
	}
	r.waitType(t, LifecycleReload, "")
	if s := status(t, e, "tidy"); s.State != unit.StatePending {
		t.Errorf("tidy is %s after the reload, want pending until the shutdown", s.State)
	}
	e.Quit()
	if code := wait(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	assertOrder(t, r.all(t), "lifecycle:reload", "lifecycle:cleanup-started", "process:spawn tidy", "process:exit tidy", "lifecycle:cleanup-complete")
}

// buried waits until the retired core idx is a tombstone: its unit (and
// log ring) is no longer referenced.
func buried(t *testing.T, e *Engine, idx int) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for e.tab().all[idx].unit != nil {
		if time.Now().After(deadline) {
			t.Fatalf("process %d not buried within %s", idx, waitLimit)
		}
		time.Sleep(5 * time.Millisecond) // polling a table swap: nothing to wait on
	}
}

// A changed process the user stopped stays stopped under its new
// declaration, and starts on request.
func TestReloadChangedStoppedStaysStopped(t *testing.T) {
	serve := withReady(spec("serve"), readyLog)
	e, r := newRecorded(t, Plan{Processes: []Process{mainProc("web", serve), mainProc("api", serve)}})
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	if err := e.Stop("api"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Reload(Plan{Processes: []Process{mainProc("web", serve), mainProc("api", withEnv(serve, "V=2"))}}); err != nil {
		t.Fatalf("Reload: %v", err)
	}
	for deadline := time.Now().Add(waitLimit); status(t, e, "api").State != unit.StateStopped; {
		if time.Now().After(deadline) {
			t.Fatalf("api is %s after the reload, want stopped", status(t, e, "api").State)
		}
		time.Sleep(5 * time.Millisecond) // the successor takes over once the old unit closed
	}
	if err := e.Start("api"); err != nil {
		t.Fatal(err)
	}
	waitNth(t, r, ProcessReady, "api", 2)
	e.Quit()
	wait()
	if n := count(r.all(t), ProcessRestart, "api"); n != 0 {
		t.Errorf("%d process:restart of api, want none (it was stopped, then started)", n)
	}
}
