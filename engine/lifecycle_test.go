package engine

import (
	"context"
	"errors"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/logger"
	"github.com/ovrseer/ovrseer/unit"
)

// Every step of the lifecycle (docs/ovrfile.md) in order: dependencies (respecting deps) ready
// before any main spawn, main deps, main-ready, the end when every main
// process completed, then the shutdown steps.
func TestLifecycleOrder(t *testing.T) {
	plan := Plan{Processes: []Process{
		mainProc("api", spec("exit", "0")),
		dep("db", withReady(spec("serve"), readyLog)),
		dep("cache", withReady(spec("serve"), readyLog), "db"),
		mainProc("worker", withReady(spec("exit", "0")), "api"),
		cleanupProc("flush", spec("exit", "0")),
	}}
	code, events := runPlan(t, plan)
	if code != 0 {
		t.Errorf("exit code %d, want 0\n%s", code, dump(events))
	}
	assertOrder(t, events,
		"process:spawn db", "process:ready db", "process:spawn cache", "process:ready cache",
		"lifecycle:dependencies-ready", "process:spawn api", "process:ready api",
		"process:spawn worker", "process:ready worker", "lifecycle:main-ready")
	assertOrder(t, events, "lifecycle:dependencies-ready", "lifecycle:main-started", "lifecycle:main-ready",
		"process:exit worker", "lifecycle:shutdown", "lifecycle:main-stopped",
		"lifecycle:cleanup-started", "process:spawn flush", "process:exit flush",
		"lifecycle:cleanup-complete", "process:exit cache", "process:exit db", "lifecycle:exit")
	if i := index(events, ProcessSpawn, "api"); i < index(events, DependenciesReady, "") {
		t.Errorf("main spawned before dependencies-ready")
	}
	last := events[len(events)-1]
	if last.Type != LifecycleExit || last.ExitCode == nil || *last.ExitCode != 0 {
		t.Errorf("last event %+v, want lifecycle:exit 0", last)
	}
	for _, typ := range []Type{DependenciesReady, MainStarted, MainReady, Shutdown, MainStopped,
		CleanupStarted, CleanupComplete, LifecycleExit} {
		if n := count(events, typ, ""); n != 1 {
			t.Errorf("%s published %d times, want once", typ, n)
		}
	}
	if e := events[index(events, Shutdown, "")]; e.Reason != "every main process has ended" {
		t.Errorf("shutdown reason %q", e.Reason)
	}
}

// A dependencies-ready gate holds main back until it returns, and may use
// the control API meanwhile (RunOnce of a process that is not autostart).
func TestGateBlocksMain(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{})
	var runCode int
	var runErr error
	var e *Engine
	gate := Gate{Name: "migrate", Run: func(ctx context.Context, ev Event) error {
		close(entered)
		runCode, runErr = e.RunOnce(ctx, "migration")
		e.HookLine("migrate", logger.Stdout, "migrated")
		<-release
		return nil
	}}
	migration := mainProc("migration", spec("exit", "3"))
	migration.Autostart = false
	plan := Plan{
		Processes: []Process{dep("db", withReady(spec("serve"), readyLog)), mainProc("app", spec("exit", "0")), migration},
		Gates:     Gates{DependenciesReady: []Gate{gate}},
	}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	<-entered
	r.wait(t, "hook line", func(ev Event) bool { return ev.Process == "hook:migrate" })
	r.mu.Lock()
	spawned := index(r.events, ProcessSpawn, "app")
	r.mu.Unlock()
	if spawned >= 0 {
		t.Fatal("main spawned while the gate was running")
	}
	close(release)
	if code := wait(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	events := r.all(t)
	if runErr != nil || runCode != 3 {
		t.Errorf("RunOnce in gate: %d, %v; want 3, nil", runCode, runErr)
	}
	assertOrder(t, events, "lifecycle:dependencies-ready", "process:exit migration", "process:log hook:migrate",
		"process:spawn app")
	assertOrder(t, events, "process:log hook:migrate", "lifecycle:main-started")
	if e := events[index(events, ProcessLog, "hook:migrate")]; e.Group != Hooks || e.Line != "migrated" {
		t.Errorf("hook line %+v", e)
	}
}

// A failing gate aborts startup: main never spawns, cleanup still runs,
// exit 1.
func TestFailingGateAbortsStartup(t *testing.T) {
	plan := Plan{
		Processes: []Process{
			dep("db", withReady(spec("serve"), readyLog)),
			mainProc("app", spec("serve")),
			cleanupProc("flush", spec("exit", "0")),
		},
		Gates: Gates{DependenciesReady: []Gate{
			{Name: "bad", Run: func(context.Context, Event) error { return errors.New("migration failed") }},
			{Name: "never", Run: func(context.Context, Event) error { t.Error("gate after a failed one ran"); return nil }},
		}},
	}
	code, events := runPlan(t, plan)
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if index(events, ProcessSpawn, "app") >= 0 || index(events, MainStarted, "") >= 0 {
		t.Errorf("main started after a failed gate:\n%s", dump(events))
	}
	assertOrder(t, events, "lifecycle:dependencies-ready", "lifecycle:error hook:bad", "lifecycle:shutdown",
		"lifecycle:cleanup-started", "process:spawn flush", "lifecycle:cleanup-complete", "process:exit db", "lifecycle:exit")
	if e := events[index(events, LifecycleError, "hook:bad")]; e.Phase != "gates" || e.Error != "dependencies-ready: migration failed" {
		t.Errorf("gate error event %+v", e)
	}
}

// A dependency that fails readiness (a check times out, or it exits before
// it is ready) aborts startup: main never spawns, the other dependencies
// stay up through cleanup, exit 1.
func TestFailingDependencyAbortsStartup(t *testing.T) {
	never := unit.Check{Kind: unit.CheckLog, Pattern: "never printed", Timeout: 300 * time.Millisecond}
	for name, broken := range map[string]unit.Spec{
		"timeout":      withReady(spec("serve"), never),
		"early-exit":   withReady(spec("exit", "0"), readyLog),
		"spawn-failed": {Argv: []string{"/nonexistent/ovrseer-test"}},
	} {
		t.Run(name, func(t *testing.T) {
			pidfile := t.TempDir() + "/db.pid"
			plan := Plan{Processes: []Process{
				dep("db", withReady(spec("pidfile", pidfile), readyLog)),
				dep("broken", broken, "db"),
				mainProc("app", spec("serve")),
				cleanupProc("check-db", spec("alive", pidfile)),
			}}
			code, events := runPlan(t, plan)
			if code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			if index(events, ProcessSpawn, "app") >= 0 || index(events, DependenciesReady, "") >= 0 {
				t.Errorf("startup went on after a failed dependency:\n%s", dump(events))
			}
			assertOrder(t, events, "process:ready db", "process:crash broken", "lifecycle:shutdown", "process:exit check-db", "lifecycle:cleanup-complete", "process:exit db", "lifecycle:exit")
			if e := events[index(events, CleanupComplete, "")]; len(e.Failed) != 0 {
				t.Errorf("cleanup failed %v: db was not up during cleanup", e.Failed)
			}
			assertOrder(t, events, "lifecycle:error broken", "lifecycle:shutdown")
			if e := events[index(events, LifecycleError, "broken")]; e.Phase != "dependencies" || e.Error == "" {
				t.Errorf("error event %+v", e)
			}
		})
	}
}

// A dependency that crashes after startup is reported and restarted; the
// run goes on.
func TestDependencyCrashAfterStartup(t *testing.T) {
	pidfile := t.TempDir() + "/db.pid"
	db := withReady(spec("pidfile", pidfile), readyLog)
	db.Restart = unit.RestartOnFailure
	db.MaxRestarts = 3
	plan := Plan{Processes: []Process{dep("db", db), mainProc("app", withReady(spec("serve"), readyLog))}}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	first := r.waitType(t, ProcessReady, "db")
	r.waitType(t, MainReady, "")
	if err := syscall.Kill(first.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	crash := r.waitType(t, LifecycleError, "db")
	r.wait(t, "db ready again", func(ev Event) bool {
		return ev.Type == ProcessReady && ev.Process == "db" && ev.Pid != first.Pid
	})
	if crash.Phase != "running" {
		t.Errorf("error phase %q, want running", crash.Phase)
	}
	if p := e.Phase(); p != "running" {
		t.Errorf("phase %q after a dependency crash", p)
	}
	e.Quit()
	if code := wait(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	events := r.all(t)
	if ev := events[index(events, ProcessCrash, "db")]; ev.Signal != "SIGKILL" || !ev.WillRestart {
		t.Errorf("crash event %+v", ev)
	}
}

// Cleanup processes run one at a time in declaration order while the
// dependencies are up; a failing one is listed and makes the exit code 1.
func TestCleanupOrder(t *testing.T) {
	pidfile := t.TempDir() + "/db.pid"
	plan := Plan{Processes: []Process{
		cleanupProc("c1", spec("alive", pidfile)),
		dep("db", withReady(spec("pidfile", pidfile), readyLog)),
		cleanupProc("c2", spec("exit", "4")),
		mainProc("app", spec("exit", "0")),
		cleanupProc("c3", withReady(spec("alive", pidfile), unit.Check{Kind: unit.CheckExit, Code: 0})),
	}}
	code, events := runPlan(t, plan)
	if code != 1 {
		t.Errorf("exit code %d, want 1 (a cleanup failed)", code)
	}
	assertOrder(t, events, "lifecycle:main-stopped", "lifecycle:cleanup-started",
		"process:spawn c1", "process:exit c1", "process:spawn c2", "process:exit c2",
		"process:spawn c3", "process:exit c3", "lifecycle:cleanup-complete", "process:exit db")
	if e := events[index(events, CleanupComplete, "")]; !slices.Equal(e.Failed, []string{"c2"}) {
		t.Errorf("cleanup failed %v, want [c2]", e.Failed)
	}
	if n := count(events, ProcessRestart, ""); n != 0 {
		t.Errorf("%d restarts during cleanup", n)
	}
}

// A stuck cleanup process is killed at its check's timeout, another at
// what is left of cleanup_timeout; the shutdown goes on.
func TestStuckCleanupBounded(t *testing.T) {
	exitCheck := unit.Check{Kind: unit.CheckExit, Timeout: 200 * time.Millisecond}
	plan := Plan{
		Processes: []Process{
			mainProc("app", spec("exit", "0")),
			cleanupProc("slow-check", withReady(spec("ignore-term"), exitCheck)),
			cleanupProc("stuck", spec("ignore-term")),
			cleanupProc("late", spec("exit", "0")),
		},
		Settings: Settings{CleanupTimeout: 700 * time.Millisecond},
	}
	t0 := time.Now()
	code, events := runPlan(t, plan)
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if e := events[index(events, CleanupComplete, "")]; !slices.Equal(e.Failed, []string{"slow-check", "stuck", "late"}) {
		t.Errorf("cleanup failed %v", e.Failed)
	}
	if index(events, ProcessSpawn, "late") >= 0 {
		t.Error("a cleanup process ran after cleanup_timeout")
	}
	start, end := index(events, CleanupStarted, ""), index(events, CleanupComplete, "")
	if d := events[end].Time.Sub(events[start].Time); d < 600*time.Millisecond || d > 3*time.Second {
		t.Errorf("cleanup took %s, want about 700ms", d)
	}
	killed := events[index(events, ProcessExit, "slow-check")]
	if killed.Signal == "" || killed.DurationMs > 2000 {
		t.Errorf("slow-check exit %+v, want killed within about 200ms", killed)
	}
	if d := time.Since(t0); d > 10*time.Second {
		t.Errorf("run took %s", d)
	}
}
