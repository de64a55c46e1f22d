package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/unit"
)

// Shutdown stops dependents first, everything else in parallel: two main
// processes that ignore SIGTERM take one stop timeout, not two.
func TestReverseStopOrder(t *testing.T) {
	stubborn := spec("ignore-term")
	stubborn.StopTimeout = 2 * time.Second // one timeout, not two: a margin a loaded machine keeps
	plan := Plan{Processes: []Process{
		dep("d1", withReady(spec("serve"), readyLog)),
		dep("d2", withReady(spec("serve"), readyLog), "d1"),
		mainProc("a", withReady(spec("serve"), readyLog)),
		mainProc("b", withReady(spec("serve"), readyLog), "a"),
		mainProc("c", withReady(spec("serve"), readyLog), "b"),
		mainProc("x", withReady(stubborn, readyLog)),
		mainProc("y", withReady(stubborn, readyLog)),
	}}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	r.waitType(t, MainReady, "")
	e.Quit()
	if code := wait(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	events := r.all(t)
	assertOrder(t, events, "lifecycle:shutdown", "process:exit c", "process:exit b", "process:exit a",
		"lifecycle:main-stopped", "process:exit d2", "process:exit d1", "lifecycle:exit")
	for _, name := range []string{"x", "y"} {
		if e := events[index(events, ProcessExit, name)]; e.Signal != "SIGKILL" {
			t.Errorf("%s exit %+v, want SIGKILL", name, e)
		}
	}
	shutdown, stopped := events[index(events, Shutdown, "")], events[index(events, MainStopped, "")]
	if d := stopped.Time.Sub(shutdown.Time); d < 1900*time.Millisecond || d > 3900*time.Millisecond {
		t.Errorf("main stopped in %s, want about one stop timeout (2s), less than two: not in parallel?", d)
	}
	if n := count(events, ProcessCrash, ""); n != 0 {
		t.Errorf("%d crashes reported for requested stops:\n%s", n, dump(events))
	}
}

// The exit_with process ends the run with its code (128+n for signal n)
// and is never restarted.
func TestExitWith(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"exit", "0"}, 0},
		{[]string{"exit", "7"}, 7},
		{[]string{"kill-self"}, 128 + int(syscall.SIGKILL)},
	} {
		t.Run(fmt.Sprint(tc.want), func(t *testing.T) {
			tests := spec(tc.args...)
			tests.Restart = unit.RestartAlways
			tests.MaxRestarts = 5
			plan := Plan{
				Processes: []Process{
					dep("db", withReady(spec("serve"), readyLog)),
					mainProc("server", withReady(spec("serve"), readyLog)),
					mainProc("tests", tests, "server"),
					cleanupProc("fail", spec("exit", "1")),
				},
				Settings: Settings{ExitWith: "tests", CrashDir: t.TempDir()},
			}
			code, events := runPlan(t, plan)
			// Its exit is the run's result, never a crash: no report either.
			if n := count(events, ProcessCrash, "tests"); n != 0 {
				t.Errorf("the exit_with process crashed %d times:\n%s", n, dump(events))
			}
			if reports, _ := filepath.Glob(filepath.Join(plan.Settings.CrashDir, "tests-*")); len(reports) != 0 {
				t.Errorf("crash reports for the exit_with process: %v", reports)
			}
			if ev := events[index(events, ProcessExit, "tests")]; ev.State != "completed" {
				t.Errorf("process:exit tests in state %q", ev.State)
			}
			if code != tc.want {
				t.Errorf("exit code %d, want %d\n%s", code, tc.want, dump(events))
			}
			if n := count(events, ProcessRestart, ""); n != 0 {
				t.Errorf("%d restarts", n)
			}
			assertOrder(t, events, "process:exit tests", "lifecycle:shutdown", "process:exit server",
				"lifecycle:cleanup-complete", "process:exit db", "lifecycle:exit")
		})
	}
}

// A crash loop ends in process:failed once; with every main process
// ended for good the run ends with exit 1.
func TestCrashLoop(t *testing.T) {
	crasher := spec("exit", "3")
	crasher.Restart = unit.RestartOnFailure
	crasher.MaxRestarts = 2
	dir := t.TempDir()
	code, events := runPlan(t, Plan{Processes: []Process{mainProc("crasher", crasher)}, Settings: Settings{CrashDir: dir}})
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if n := count(events, ProcessCrash, "crasher"); n != 3 {
		t.Errorf("%d crashes, want 3", n)
	}
	if n := count(events, ProcessRestart, "crasher"); n != 2 {
		t.Errorf("%d restarts, want 2", n)
	}
	if n := count(events, ProcessFailed, "crasher"); n != 1 {
		t.Errorf("process:failed %d times, want once", n)
	}
	crash := events[index(events, ProcessCrash, "crasher")]
	if crash.ExitCode == nil || *crash.ExitCode != 3 || !crash.WillRestart || crash.Reason == "" {
		t.Errorf("first crash %+v", crash)
	}
	assertOrder(t, events, "process:failed crasher", "lifecycle:shutdown", "lifecycle:exit")
	if _, err := os.Stat(crash.Report); crash.Report == "" || filepath.Dir(crash.Report) != dir || err != nil {
		t.Errorf("crash report %q in %s: %v", crash.Report, dir, err)
	}
}

// What ends the run decides the exit code (docs/ovrfile.md, "Exit codes").
func TestShutdownCauses(t *testing.T) {
	for _, tc := range []struct {
		name     string
		timeout  time.Duration
		end      func(e *Engine, cancel context.CancelFunc)
		want     int
		wantWhy  string
		depsOnly bool
	}{
		{name: "quit", end: func(e *Engine, _ context.CancelFunc) { e.Quit() }, want: 0, wantWhy: "quit"},
		{name: "ctx", end: func(_ *Engine, cancel context.CancelFunc) { cancel() }, want: 0, wantWhy: "quit"},
		{name: "sighup", end: func(e *Engine, _ context.CancelFunc) { e.Signal(syscall.SIGHUP) }, want: 129, wantWhy: "signal SIGHUP"},
		{name: "sigpipe", end: func(e *Engine, _ context.CancelFunc) { e.OutputLost(syscall.SIGPIPE) }, want: 141, wantWhy: "signal SIGPIPE"},
		{name: "exit", end: func(e *Engine, _ context.CancelFunc) { e.Exit(5, "done"); e.Exit(6, "later") }, want: 5, wantWhy: "done"},
		{name: "timeout", timeout: 300 * time.Millisecond, want: 124, wantWhy: "timeout"},
		// A dependencies-only stack runs until it is told to stop.
		{name: "deps-only", depsOnly: true, end: func(e *Engine, _ context.CancelFunc) { e.Quit() }, want: 0, wantWhy: "quit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan := Plan{
				Processes: []Process{dep("db", withReady(spec("serve"), readyLog)), mainProc("app", withReady(spec("serve"), readyLog))},
				Settings:  Settings{Timeout: tc.timeout},
			}
			if tc.depsOnly {
				plan.Processes = plan.Processes[:1]
			}
			e, r := newRecorded(t, plan)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			codeC := make(chan int, 1)
			go func() { codeC <- e.Run(ctx) }()
			if tc.end != nil {
				r.waitType(t, MainReady, "")
				tc.end(e, cancel)
			}
			var code int
			select {
			case code = <-codeC:
			case <-time.After(waitLimit):
				t.Fatal("Run did not return")
			}
			events := r.all(t)
			if code != tc.want {
				t.Errorf("exit code %d, want %d", code, tc.want)
			}
			if e := events[index(events, Shutdown, "")]; e.Reason != tc.wantWhy {
				t.Errorf("shutdown reason %q, want %q", e.Reason, tc.wantWhy)
			}
			if ex := events[len(events)-1]; ex.Type != LifecycleExit || *ex.ExitCode != tc.want {
				t.Errorf("last event %+v", ex)
			}
		})
	}
}

// A second request forces the shutdown: SIGKILL to every group, cleanup
// skipped, exit 128+n of the second signal; lifecycle:exit still comes.
func TestForcedShutdown(t *testing.T) {
	stubborn := spec("ignore-term")
	stubborn.StopTimeout = time.Minute
	plan := Plan{Processes: []Process{
		dep("db", withReady(spec("serve"), readyLog)),
		mainProc("app", withReady(stubborn, readyLog)),
		cleanupProc("flush", spec("exit", "0")),
	}}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	ready := r.waitType(t, ProcessReady, "app")
	e.Signal(syscall.SIGINT)
	r.waitType(t, Shutdown, "")
	t0 := time.Now()
	e.Signal(syscall.SIGTERM)
	if code := wait(); code != 128+int(syscall.SIGTERM) {
		t.Errorf("exit code %d, want 143", code)
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("forced shutdown took %s", d)
	}
	events := r.all(t)
	if index(events, ProcessSpawn, "flush") >= 0 || index(events, CleanupStarted, "") >= 0 {
		t.Errorf("cleanup ran after a forced shutdown:\n%s", dump(events))
	}
	if ev := events[index(events, ProcessExit, "app")]; ev.Signal != "SIGKILL" {
		t.Errorf("app exit %+v, want SIGKILL", ev)
	}
	if err := syscall.Kill(ready.Pid, 0); err == nil {
		t.Errorf("app (pid %d) still alive", ready.Pid)
	}
	if last := events[len(events)-1]; last.Type != LifecycleExit {
		t.Errorf("last event %s, want lifecycle:exit", last.Type)
	}
}

// Restarting the exit_with process by hand does not end the run: only an
// exit ovrseer did not request does.
func TestExitWithManualRestart(t *testing.T) {
	plan := Plan{
		Processes: []Process{mainProc("tests", withReady(spec("serve"), readyLog))},
		Settings:  Settings{ExitWith: "tests"},
	}
	e, r := newRecorded(t, plan)
	code := start(t, e)
	r.waitType(t, ProcessReady, "tests")
	if err := e.Restart("tests"); err != nil {
		t.Fatal(err)
	}
	readies := 0
	r.wait(t, "the second ready", func(ev Event) bool {
		if ev.Type == ProcessReady && ev.Process == "tests" {
			readies++
		}
		return readies == 2
	})
	e.Exit(5, "done")
	if c := code(); c != 5 {
		t.Errorf("exit code %d, want 5", c)
	}
	events := r.all(t)
	if i := index(events, Shutdown, ""); i < 0 || count(events[:i], ProcessSpawn, "tests") != 2 {
		t.Errorf("the restart ended the run:\n%s", dump(events))
	}
}
