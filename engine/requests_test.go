package engine

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// The counting rules, call by call: the second request from the user
// forces, a dead output starts but never forces, a hang-up counts once.
func TestRequestCounting(t *testing.T) {
	type call struct {
		what string // "user", "hup" (SIGHUP), "lost", "losthup", "begin"
		want verdict
	}
	for _, tc := range []struct {
		name  string
		calls []call
	}{
		{"user twice", []call{{"user", starts}, {"user", forces}, {"user", ignored}}},
		{"begun otherwise: one changes nothing", []call{{"begin", 0}, {"user", ignored}, {"user", forces}}},
		{"dead output starts as a first request", []call{{"lost", starts}, {"user", forces}}},
		{"dead output never forces", []call{{"user", starts}, {"lost", ignored}, {"losthup", ignored}, {"user", forces}}},
		{"dead output during another shutdown", []call{{"begin", 0}, {"lost", ignored}, {"user", ignored}, {"user", forces}}},
		{"a hang-up counts once", []call{{"hup", starts}, {"losthup", ignored}, {"hup", ignored}, {"user", forces}}},
		{"a hung-up terminal, then its SIGHUP", []call{{"losthup", starts}, {"hup", ignored}, {"user", forces}}},
		{"a hang-up during another shutdown", []call{{"begin", 0}, {"hup", ignored}, {"hup", ignored}, {"user", forces}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := newRequests()
			for i, c := range tc.calls {
				var got verdict
				switch c.what {
				case "user":
					got = q.user(false)
				case "hup":
					got = q.user(true)
				case "lost":
					got = q.lost(false)
				case "losthup":
					got = q.lost(true)
				case "begin":
					q.begin()
					continue
				}
				if got != c.want {
					t.Fatalf("call %d (%s): verdict %d, want %d", i, c.what, got, c.want)
				}
			}
		})
	}
}

// heldShutdown runs a plan whose main-stopped gate holds the shutdown until
// release is called, with a cleanup process: the test acts while the
// shutdown is under way. wait returns the exit code and every event.
type heldShutdown struct {
	e       *Engine
	r       *recorder
	entered chan struct{} // closed when the gate runs
	release func()
	wait    func() int
}

func holdShutdown(t *testing.T, settings Settings) *heldShutdown {
	t.Helper()
	h := &heldShutdown{entered: make(chan struct{})}
	released := make(chan struct{})
	h.release = func() { close(released) }
	gate := Gate{Name: "hold", Run: func(ctx context.Context, _ Event) error {
		close(h.entered)
		select {
		case <-released:
		case <-ctx.Done(): // a forced shutdown
		}
		return nil
	}}
	plan := Plan{
		Processes: []Process{mainProc("app", spec("serve")), cleanupProc("flush", spec("exit", "0"))},
		Gates:     Gates{MainStopped: []Gate{gate}},
		Settings:  settings,
	}
	h.e, h.r = newRecorded(t, plan)
	h.wait = start(t, h.e)
	h.r.waitType(t, ProcessSpawn, "app")
	return h
}

// inShutdown waits until the gate holds the shutdown.
func (h *heldShutdown) inShutdown(t *testing.T) {
	t.Helper()
	select {
	case <-h.entered:
	case <-time.After(waitLimit):
		t.Fatal("the main-stopped gate did not run")
	}
}

// finish releases the gate and checks that cleanup ran and the exit code.
// What the test did before reached the lifecycle goroutine first: its
// mailbox is in order, and the gate's end is posted after.
func (h *heldShutdown) finish(t *testing.T, want int) {
	t.Helper()
	h.release()
	code := h.wait()
	events := h.r.all(t)
	if code != want {
		t.Errorf("exit code %d, want %d\n%s", code, want, dump(events))
	}
	if index(events, CleanupComplete, "") < 0 || index(events, ProcessExit, "flush") < 0 {
		t.Errorf("cleanup did not run:\n%s", dump(events))
	}
}

// One SIGINT during a shutdown begun by an explicit exit changes nothing:
// cleanup runs and the code is the explicit one.
func TestOneSignalDuringExitShutdown(t *testing.T) {
	h := holdShutdown(t, Settings{})
	h.e.Exit(3, "done")
	h.inShutdown(t)
	h.e.Signal(syscall.SIGINT)
	h.finish(t, 3)
}

// The same during a shutdown begun by the timeout (exit 124).
func TestOneQuitDuringTimeoutShutdown(t *testing.T) {
	h := holdShutdown(t, Settings{Timeout: 200 * time.Millisecond})
	h.inShutdown(t)
	h.e.Quit()
	h.finish(t, 124)
}

// A dead output never forces: a closed stdout starts the shutdown (141),
// further write errors and a hung-up terminal change nothing.
func TestDeadOutputNeverForces(t *testing.T) {
	h := holdShutdown(t, Settings{})
	h.e.OutputLost(syscall.SIGPIPE)
	h.inShutdown(t)
	h.e.OutputLost(syscall.SIGPIPE)
	h.e.OutputLost(syscall.SIGHUP)
	h.finish(t, 141)
}

// Closing the terminal sends SIGHUP (from the shell, and again from the
// kernel when the session leader exits) and makes writes fail with EIO:
// one hang-up, one request. Cleanup runs, exit 129.
func TestHangupCountsOnce(t *testing.T) {
	h := holdShutdown(t, Settings{})
	h.e.Signal(syscall.SIGHUP)
	h.inShutdown(t)
	h.e.OutputLost(syscall.SIGHUP)
	h.e.Signal(syscall.SIGHUP)
	h.finish(t, 129)
}

// After a dead output began the shutdown, one request from the user forces
// it (the dead output was the first request).
func TestUserForcesAfterDeadOutput(t *testing.T) {
	h := holdShutdown(t, Settings{})
	h.e.OutputLost(syscall.SIGPIPE)
	h.inShutdown(t)
	h.e.Signal(syscall.SIGTERM)
	select {
	case <-h.e.Forced():
	case <-time.After(waitLimit):
		t.Fatal("Forced not closed")
	}
	if code := h.wait(); code != 143 {
		t.Errorf("exit code %d, want 143", code)
	}
	if events := h.r.all(t); index(events, CleanupStarted, "") >= 0 {
		t.Errorf("cleanup ran after a forced shutdown:\n%s", dump(events))
	}
}

// The first request while a dependencies-ready gate runs cancels the gate
// at once (it does not run to its end) and shuts down; the cancelled gate
// is not reported as failed.
func TestFirstRequestCancelsGate(t *testing.T) {
	entered := make(chan struct{})
	gate := Gate{Name: "migrate", Run: func(ctx context.Context, _ Event) error {
		close(entered)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Hour):
			return nil
		}
	}}
	plan := Plan{
		Processes: []Process{
			dep("db", withReady(spec("serve"), readyLog)),
			mainProc("app", spec("serve")),
			cleanupProc("flush", spec("exit", "0")),
		},
		Gates: Gates{DependenciesReady: []Gate{gate}},
	}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	select {
	case <-entered:
	case <-time.After(waitLimit):
		t.Fatal("the gate did not run")
	}
	e.Signal(syscall.SIGINT)
	if code := wait(); code != 130 {
		t.Errorf("exit code %d, want 130", code)
	}
	events := r.all(t)
	if index(events, ProcessSpawn, "app") >= 0 {
		t.Errorf("main started after the gate was cancelled:\n%s", dump(events))
	}
	if index(events, LifecycleError, "hook:migrate") >= 0 {
		t.Errorf("the cancelled gate was reported as failed:\n%s", dump(events))
	}
	assertOrder(t, events, "lifecycle:shutdown", "lifecycle:cleanup-complete", "process:exit db", "lifecycle:exit")
}
