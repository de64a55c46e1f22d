package engine

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/logger"
	"github.com/ovrseer/ovrseer/unit"
)

// The control API: send, snapshot, logs, stop, start, restart, wait ready,
// and errors for unknown names or after the run.
func TestControl(t *testing.T) {
	echo := spec("echo")
	echo.Stdin = true
	worker := spec("serve")
	worker.Ready = []unit.Check{readyLog}
	manual := mainProc("manual", withReady(spec("serve"), readyLog))
	manual.Autostart = false
	plan := Plan{Processes: []Process{mainProc("echo", echo), mainProc("worker", worker), manual}}
	e, r := newRecorded(t, plan)
	wait := start(t, e)
	r.waitType(t, MainReady, "")

	if err := e.Send("echo", "hello"); err != nil {
		t.Fatal(err)
	}
	r.wait(t, "echoed line", func(ev Event) bool { return ev.Type == ProcessLog && ev.Line == "got hello" })
	lines, err := e.Logs("echo", 10)
	if err != nil || len(lines) != 1 || lines[0].Text != "got hello" {
		t.Errorf("Logs: %v, %v", lines, err)
	}

	snap := e.Snapshot()
	if len(snap) != 3 || snap[1].Name != "worker" || snap[1].Status.State != unit.StateReady || snap[1].Status.Pid == 0 {
		t.Errorf("snapshot %+v", snap)
	}
	if snap[2].Status.State != unit.StatePending {
		t.Errorf("manual is %s, want pending", snap[2].Status.State)
	}

	if err := e.Stop("worker"); err != nil {
		t.Fatal(err)
	}
	if s := e.Snapshot()[1].Status.State; s != unit.StateStopped {
		t.Errorf("worker %s after Stop, want stopped", s)
	}
	if err := e.Start("worker"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := e.WaitReady(ctx, "worker"); err != nil {
		t.Fatal(err)
	}
	e.RestartAll()
	r.wait(t, "third worker spawn", func(ev Event) bool { return ev.Type == ProcessSpawn && ev.Process == "worker" && ev.Attempt == 3 })

	if err := e.Start("manual"); err != nil {
		t.Fatal(err)
	}
	if err := e.WaitReady(ctx, "manual"); err != nil {
		t.Fatal(err)
	}
	if err := e.Restart("manual"); err != nil {
		t.Fatal(err)
	}
	r.wait(t, "manual respawn", func(ev Event) bool { return ev.Type == ProcessSpawn && ev.Process == "manual" && ev.Attempt == 2 })

	if err := e.Start("nobody"); !errors.Is(err, ErrUnknownProcess) {
		t.Errorf("Start(nobody): %v", err)
	}
	short, cancelShort := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancelShort()
	if _, err := e.RunOnce(short, "worker"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("RunOnce of a serving process: %v, want deadline exceeded", err)
	}

	e.Quit()
	if code := wait(); code != 0 {
		t.Errorf("exit code %d", code)
	}
	r.all(t)
	if e.Phase() != "exited" {
		t.Errorf("phase %q after Run", e.Phase())
	}
	if err := e.Start("worker"); !errors.Is(err, ErrOver) {
		t.Errorf("Start after the run: %v, want ErrOver", err)
	}
	if s := e.Subscribe(SubscribeOptions{}); !isClosed(s.Done()) {
		t.Error("a subscription after the run is not done")
	}
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// Phase follows the lifecycle.
func TestPhase(t *testing.T) {
	phases := make(chan string, 3)
	plan := Plan{
		Processes: []Process{dep("db", withReady(spec("serve"), readyLog)), mainProc("app", spec("serve"))},
	}
	var e *Engine
	plan.Gates.DependenciesReady = []Gate{{Name: "p", Run: func(context.Context, Event) error { phases <- e.Phase(); return nil }}}
	plan.Gates.MainStopped = []Gate{{Name: "p", Run: func(context.Context, Event) error { phases <- e.Phase(); return nil }}}
	plan.Gates.CleanupComplete = []Gate{{Name: "p", Run: func(context.Context, Event) error { phases <- e.Phase(); return nil }}}
	e, r := newRecorded(t, plan)
	if e.Phase() != "loading" {
		t.Errorf("phase before Run %q", e.Phase())
	}
	wait := start(t, e)
	r.waitType(t, MainStarted, "")
	if p := e.Phase(); p != "running" {
		t.Errorf("phase %q after main-started", p)
	}
	e.Quit()
	wait()
	r.all(t)
	close(phases)
	var got []string
	for p := range phases {
		got = append(got, p)
	}
	if want := []string{"gates", "stopping", "cleanup"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("phases in gates %v, want %v", got, want)
	}
}

// Flag hits of a unit become flag:matched and flag:exceeded events, with
// the flag's colour; the snapshot counts them.
func TestFlagEvents(t *testing.T) {
	s := unit.Spec{Argv: []string{"sh", "-c", "echo before; echo 'ERROR one'; echo after; echo 'ERROR two'"},
		Flags: []flagset.Flag{{Name: "errors", Pattern: "ERROR", Color: flagset.Red, Context: 1, Target: 1}}}
	e, r := newRecorded(t, Plan{Processes: []Process{mainProc("app", s)}})
	wait := start(t, e)
	exceeded := r.waitType(t, FlagExceeded, "app")
	first := r.waitType(t, FlagMatched, "app")
	if code := wait(); code != 0 {
		t.Errorf("exit code %d", code)
	}
	events := r.all(t)
	if exceeded.Count != 2 || exceeded.Target == nil || *exceeded.Target != 1 || exceeded.Flag != "errors" {
		t.Errorf("flag:exceeded %+v", exceeded)
	}
	if first.Line != "ERROR one" || first.Color != "red" || len(first.Context) != 3 || first.Count != 1 {
		t.Errorf("flag:matched %+v", first)
	}
	if n := count(events, FlagMatched, "app"); n != 2 {
		t.Errorf("%d flag:matched events, want 2", n)
	}
	if got := e.Snapshot()[0].Status.Flags["errors"]; got != 2 {
		t.Errorf("snapshot count %d, want 2", got)
	}
}

// TestHoldKeepsStreamOpen: output published after lifecycle:exit by a
// client holding the stream reaches subscribers, and Done waits for release.
func TestHoldKeepsStreamOpen(t *testing.T) {
	e, err := New(Plan{Processes: []Process{{Name: "a", Group: Main, Autostart: true,
		Spec: unit.Spec{Argv: []string{"sh", "-c", "exit 0"}}}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub := e.Subscribe(SubscribeOptions{})
	release := e.Hold()
	if code := e.Run(context.Background()); code != 0 {
		t.Fatalf("exit code %d, want 0", code)
	}
	select {
	case <-sub.Done():
		t.Fatal("stream ended while held")
	default:
	}
	e.HookLine("late", logger.Stdout, "after exit")
	release()
	release() // idempotent
	select {
	case <-sub.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("stream not ended after release")
	}
	evs := sub.Take(nil)
	last := evs[len(evs)-1]
	if last.Type != ProcessLog || last.Process != "hook:late" || last.Line != "after exit" {
		t.Fatalf("last event %+v, want the hook line after lifecycle:exit", last)
	}
}
