package unit

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/logger"
)

func TestStopIgnoringChildKilledAtTimeout(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("ignoreterm")
	spec.StopTimeout = 300 * time.Millisecond
	spec.Ready = []Check{{Kind: CheckLog, Pattern: "ignoring"}}
	u := newUnit(t, spec, rec.options())
	u.Start()
	ready := rec.next(t, 5*time.Second, EventReady)
	start := time.Now()
	closedWithin(t, u.Stop(), spec.StopTimeout+time.Second)
	if d := time.Since(start); d < spec.StopTimeout {
		t.Errorf("stopped after %v, before the stop timeout", d)
	}
	exit := rec.next(t, time.Second, EventExit)
	if exit.Signal != syscall.SIGKILL {
		t.Errorf("exit = %s, want SIGKILL", fmtEvent(exit))
	}
	rec.state(t, time.Second, StateStopped)
	waitGone(t, ready.Pid, 100*time.Millisecond)
	if c := rec.all(EventCrash, EventRestart); len(c) != 0 {
		t.Errorf("a requested stop reported %s", fmtEvent(c[0]))
	}
}

func TestCrashDuringStopNotRestarted(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("termexit", "7")
	spec.Restart, spec.MaxRestarts, spec.Backoff = RestartAlways, 5, 10*time.Millisecond
	spec.Ready = []Check{{Kind: CheckLog, Pattern: "waiting"}}
	u := newUnit(t, spec, rec.options())
	u.Start()
	rec.next(t, 5*time.Second, EventReady)
	closedWithin(t, u.Stop(), 5*time.Second)
	if e := rec.next(t, time.Second, EventExit); e.ExitCode != 7 {
		t.Errorf("exit = %s", fmtEvent(e))
	}
	if st := u.Status(); st.State != StateStopped || st.Pid != 0 || st.ExitCode != 7 || st.Restarts != 0 {
		t.Errorf("status = %+v", st)
	}
	if c := rec.all(EventCrash, EventRestart, EventFailed); len(c) != 0 {
		t.Errorf("unexpected %s", fmtEvent(c[0]))
	}
}

func TestStopShellGroup(t *testing.T) {
	rec := newRecorder()
	u := newUnit(t, Spec{Name: "sh", Argv: []string{"sh", "-c", "sleep 1000 & echo started; wait"},
		Ready: []Check{{Kind: CheckLog, Pattern: "started"}}}, rec.options())
	u.Start()
	ready := rec.next(t, 5*time.Second, EventReady)
	closedWithin(t, u.Stop(), 3*time.Second)
	// Stop returns once the group is gone: no wait here.
	if err := syscall.Kill(-ready.Pid, 0); err != syscall.ESRCH {
		t.Errorf("kill(-%d, 0) = %v after Stop, want ESRCH", ready.Pid, err)
	}
}

func TestLeaderExitKillsGroup(t *testing.T) {
	rec := newRecorder()
	// The leader exits 0 and leaves a daemon in its group: nothing survives.
	u := newUnit(t, Spec{Name: "sh", Argv: []string{"sh", "-c", "sleep 1000 >/dev/null & echo $!"}}, rec.options())
	u.Start()
	spawn := rec.next(t, 5*time.Second, EventSpawn)
	rec.state(t, 5*time.Second, StateCompleted)
	waitGone(t, spawn.Pid, 2*time.Second)
	lines := rec.lineTexts()
	if len(lines) != 1 {
		t.Fatalf("lines = %q", lines)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err := syscall.Kill(pid, 0); err != syscall.ESRCH {
		t.Errorf("daemon %d: kill = %v, want ESRCH", pid, err)
	}
}

func TestKill(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("ignoreterm")
	spec.Restart = RestartAlways
	u := newUnit(t, spec, rec.options())
	u.Start()
	spawn := rec.next(t, 5*time.Second, EventSpawn)
	u.Kill()
	rec.state(t, 2*time.Second, StateStopped)
	waitGone(t, spawn.Pid, 100*time.Millisecond)
	if e := rec.all(EventExit); len(e) != 1 || e[0].Signal != syscall.SIGKILL {
		t.Errorf("events: %s", rec.summary())
	}
}

func TestStopWhenNothingRuns(t *testing.T) {
	u := newUnit(t, childSpec("sleep"), Options{})
	closedWithin(t, u.Stop(), time.Second)
	if st := u.Status(); st.State != StatePending {
		t.Errorf("state = %s", st.State)
	}
	u.Close()
	closedWithin(t, u.Stop(), time.Second) // after Close too
	u.Start()                              // a no-op
}

func TestCloseStopsTheProcess(t *testing.T) {
	rec := newRecorder()
	u, err := New(childSpec("sleep"), rec.options())
	if err != nil {
		t.Fatal(err)
	}
	u.Start()
	spawn := rec.next(t, 5*time.Second, EventSpawn)
	done := make(chan struct{})
	go func() { u.Close(); close(done) }()
	closedWithin(t, done, 5*time.Second)
	if err := syscall.Kill(-spawn.Pid, 0); err != syscall.ESRCH {
		t.Errorf("kill(-%d, 0) = %v after Close", spawn.Pid, err)
	}
	if st := u.Status(); st.State != StateStopped {
		t.Errorf("state = %s", st.State)
	}
}

func TestControlFromCallbacks(t *testing.T) {
	rec := newRecorder()
	var u *Unit
	opts := rec.options()
	opts.OnEvent = func(e Event) {
		rec.onEvent(e)
		if e.Kind == EventReady {
			_ = u.Status()
			u.Stop() // from the unit's own goroutine: must not deadlock
		}
	}
	opts.OnLine = func(l logger.Line) {
		rec.onLine(l)
		u.Kill() // under the line lock: must not deadlock either
	}
	spec := childSpec("readyafter", "0", "stdout")
	spec.Ready = []Check{{Kind: CheckTCP, Address: "127.0.0.1:1"}} // never: Kill wins
	u = newUnit(t, spec, opts)
	u.Start()
	rec.state(t, 5*time.Second, StateStopped)
	if e := rec.all(EventExit); len(e) != 1 || e[0].Signal != syscall.SIGKILL {
		t.Errorf("events: %s", rec.summary())
	}
	spec.Ready = nil
	rec2 := newRecorder()
	opts.OnLine, opts.OnEvent = nil, func(e Event) {
		rec2.onEvent(e)
		if e.Kind == EventReady {
			u.Stop()
		}
	}
	u = newUnit(t, childSpec("sleep"), opts)
	u.Start()
	rec2.state(t, 5*time.Second, StateStopped)
}

func TestLeaderExitsOnTermChildIgnoresIt(t *testing.T) {
	rec := newRecorder()
	u := newUnit(t, Spec{Name: "sh", StopTimeout: 300 * time.Millisecond,
		Argv:  []string{"sh", "-c", `(trap "" TERM; echo started; exec sleep 1000) & wait`},
		Ready: []Check{{Kind: CheckLog, Pattern: "started"}}}, rec.options())
	u.Start()
	ready := rec.next(t, 5*time.Second, EventReady)
	start := time.Now()
	closedWithin(t, u.Stop(), 2*time.Second)
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("stopped after %v, before the sleeper was killed", d)
	}
	if e := rec.next(t, time.Second, EventExit); e.Signal != syscall.SIGTERM {
		t.Errorf("leader exit = %s", fmtEvent(e))
	}
	if err := syscall.Kill(-ready.Pid, 0); err != syscall.ESRCH {
		t.Errorf("kill(-%d, 0) = %v after Stop", ready.Pid, err)
	}
}

func TestChildDiesWithSupervisor(t *testing.T) {
	sup := exec.Command(os.Args[0], "supervise")
	sup.Env = append(os.Environ(), childEnvVar+"=1", "GORACE=atexit_sleep_ms=0")
	out, err := sup.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sup.Start(); err != nil {
		t.Fatal(err)
	}
	defer sup.Wait()
	defer sup.Process.Kill()
	var pid int
	if _, err := fmt.Fscan(out, &pid); err != nil || pid == 0 {
		t.Fatalf("supervisor said %d, %v", pid, err)
	}
	t.Cleanup(func() { syscall.Kill(-pid, syscall.SIGKILL) }) // should it survive
	sup.Process.Kill()                                        // SIGKILL: no clean-up runs in the supervisor
	// The child, orphaned to us (a subreaper), must die by Pdeathsig.
	deadline := time.Now().Add(2 * time.Second)
	for {
		if dead(pid) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("child %d survived its supervisor", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A zero stop timeout means SIGKILL at once, not the default 10 s.
func TestZeroStopTimeoutKillsAtOnce(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("ignoreterm")
	spec.StopTimeout = 0
	spec.Ready = []Check{{Kind: CheckLog, Pattern: "ignoring"}}
	u := newUnit(t, spec, rec.options())
	u.Start()
	rec.next(t, 5*time.Second, EventReady)
	closedWithin(t, u.Stop(), 5*time.Second) // was 10 s: the old default
	if exit := rec.next(t, time.Second, EventExit); exit.Signal != syscall.SIGKILL {
		t.Errorf("exit = %s, want SIGKILL", fmtEvent(exit))
	}
}
