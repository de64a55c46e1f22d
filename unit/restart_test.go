package unit

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/crashrep"
)

func TestCrashLoopBackoffThenFailed(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("exit", "2", "boom")
	spec.Restart, spec.MaxRestarts = RestartOnFailure, 3
	spec.Backoff, spec.MaxBackoff = 20*time.Millisecond, 50*time.Millisecond
	u := newUnit(t, spec, rec.options())
	u.Start()
	f := rec.next(t, 5*time.Second, EventFailed)
	if f.Reason != "restarts exhausted (3)" {
		t.Errorf("failed reason = %q", f.Reason)
	}
	// The state changes before the event that reports it.
	if f.State != StateFailed || u.Status().State != StateFailed {
		t.Errorf("failed event in state %s, status %s", f.State, u.Status().State)
	}
	crashes := rec.all(EventCrash)
	restarts := rec.all(EventRestart)
	if len(crashes) != 4 || len(restarts) != 3 {
		t.Fatalf("events: %s", rec.summary())
	}
	for i, c := range crashes {
		if c.Reason != "exit code 2" || c.ExitCode != 2 || c.Restarts != i || c.WillRestart != (i < 3) {
			t.Errorf("crash %d = %s", i, fmtEvent(c))
		}
	}
	for i, want := range []time.Duration{20, 40, 50} {
		if r := restarts[i]; r.Delay != want*time.Millisecond || r.Attempt != i+2 {
			t.Errorf("restart %d = %s, want delay %dms", i, fmtEvent(r), want)
		}
	}
	if st := u.Status(); st.State != StateFailed || st.Restarts != 3 {
		t.Errorf("status = %+v", st)
	}
	// Order per crash: exit, crash, crashed; restart, starting, spawn.
	var kinds []string
	for _, e := range rec.all(EventExit, EventCrash, EventRestart, EventFailed, EventSpawn) {
		kinds = append(kinds, e.Kind.String())
	}
	want := strings.Repeat("spawn exit crash restart ", 3) + "spawn exit crash failed"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("order:\n got %s\nwant %s", got, want)
	}
}

func TestStableUptimeResetsCount(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("readyafter", "60", "stdout") // then killed below
	spec.Restart, spec.MaxRestarts, spec.Backoff = RestartAlways, 1, 10*time.Millisecond
	spec.StableAfter = 50 * time.Millisecond
	spec.Ready = []Check{{Kind: CheckLog, Pattern: "listening"}}
	u := newUnit(t, spec, rec.options())
	u.Start()
	for i := range 3 {
		r := rec.next(t, 5*time.Second, EventReady)
		if err := killPid(r.Pid); err != nil {
			t.Fatal(err)
		}
		c := rec.next(t, 5*time.Second, EventCrash)
		// Restarts counts every restart; the streak (the backoff) was reset.
		if c.Restarts != i || !c.WillRestart || c.Reason != "signal SIGKILL" {
			t.Fatalf("crash %d after stable uptime = %s", i, fmtEvent(c))
		}
		if e := rec.next(t, 5*time.Second, EventRestart); e.Delay != spec.Backoff {
			t.Errorf("delay = %v", e.Delay)
		}
	}
}

func TestRestartAlwaysCountsCleanExits(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("exit", "0")
	spec.Restart, spec.MaxRestarts, spec.Backoff = RestartAlways, 2, 10*time.Millisecond
	u := newUnit(t, spec, rec.options())
	u.Start()
	f := rec.next(t, 5*time.Second, EventFailed)
	if f.Reason != "restarts exhausted (2)" || len(rec.all(EventRestart)) != 2 || len(rec.all(EventCrash)) != 0 {
		t.Errorf("events: %s", rec.summary())
	}
}

// The state changes before the event that reports it: an owner that asks
// for the status on EventFailed sees failed (and each event carries it).
func TestStartOnceNoRestart(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("exit", "1")
	spec.Restart, spec.MaxRestarts = RestartAlways, 5
	var u *Unit
	seen := make(chan State, 16)
	opts := rec.options()
	opts.OnEvent = func(e Event) {
		if e.Kind == EventFailed {
			seen <- u.Status().State
		}
		rec.onEvent(e)
	}
	u = newUnit(t, spec, opts)
	u.StartOnce()
	exit := rec.next(t, 5*time.Second, EventExit)
	c := rec.next(t, 5*time.Second, EventCrash)
	f := rec.next(t, time.Second, EventFailed)
	if c.WillRestart || f.Reason != "exit code 1" {
		t.Errorf("events: %s", rec.summary())
	}
	if exit.State != StateCrashed || c.State != StateFailed || f.State != StateFailed || <-seen != StateFailed {
		t.Errorf("states: %s", rec.summary())
	}
	if st := u.Status(); st.State != StateFailed {
		t.Errorf("state = %s", st.State)
	}
}

func TestManualRestartResetsCount(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("exit", "1")
	spec.Restart, spec.MaxRestarts, spec.Backoff = RestartOnFailure, 1, 10*time.Millisecond
	u := newUnit(t, spec, rec.options())
	u.Start()
	rec.next(t, 5*time.Second, EventFailed)
	u.Restart()
	rec.next(t, 5*time.Second, EventFailed)
	crashes := rec.all(EventCrash)
	// The manual restart resets the streak (a restart follows the next
	// crash) and counts as a restart.
	if len(crashes) != 4 || crashes[2].Restarts != 2 || !crashes[2].WillRestart || crashes[3].WillRestart {
		t.Errorf("events: %s", rec.summary())
	}
}

func TestRestartRunningProcess(t *testing.T) {
	rec := newRecorder()
	u := newUnit(t, childSpec("sleep"), rec.options())
	u.Start()
	first := rec.next(t, 5*time.Second, EventSpawn)
	u.Restart()
	second := rec.next(t, 5*time.Second, EventSpawn)
	if second.Pid == first.Pid || second.Attempt != 2 {
		t.Errorf("events: %s", rec.summary())
	}
	rec.state(t, time.Second, StateReady)
	var states []string
	for _, e := range rec.all(EventState) {
		states = append(states, e.State.String())
	}
	if got, want := strings.Join(states, " "), "starting ready stopping stopped starting ready"; got != want {
		t.Errorf("states = %s, want %s", got, want)
	}
	waitGone(t, first.Pid, time.Second)
}

func TestMissingExecutable(t *testing.T) {
	rec := newRecorder()
	u := newUnit(t, Spec{Name: "db", Argv: []string{"postgress-not-here"}, Restart: RestartOnFailure,
		MaxRestarts: 2, Backoff: 20 * time.Millisecond, MaxBackoff: time.Second}, rec.options())
	start := time.Now()
	u.Start()
	f := rec.next(t, 5*time.Second, EventFailed)
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Errorf("two restarts in %v: no backoff", d)
	}
	errs, crashes := rec.all(EventError), rec.all(EventCrash)
	wantErr := `unit "db": spawn: exec: "postgress-not-here": executable file not found in $PATH (install it, or fix cmd)`
	if len(errs) != 3 || errs[0].Err.Error() != wantErr || !errors.Is(errs[0].Err, errNotFound()) {
		t.Errorf("errors: %s", rec.summary())
	}
	if len(crashes) != 3 || crashes[0].Reason != `spawn: exec: "postgress-not-here": executable file not found in $PATH (install it, or fix cmd)` ||
		f.Reason != "restarts exhausted (2)" || len(rec.all(EventExit, EventSpawn)) != 0 {
		t.Errorf("events: %s", rec.summary())
	}
}

func TestCrashReport(t *testing.T) {
	dir := t.TempDir()
	rec := newRecorder()
	spec := childSpec("exit", "3", "one", "two", "three")
	spec.Name, spec.Group, spec.LogLines = "api", "main", 2
	opts := rec.options()
	opts.Sink = crashrep.Dir{Path: dir}
	u := newUnit(t, spec, opts)
	u.Start()
	c := rec.next(t, 5*time.Second, EventCrash)
	if c.Report == "" || filepath.Dir(c.Report) != dir {
		t.Fatalf("crash = %s, report %q", fmtEvent(c), c.Report)
	}
	b, err := os.ReadFile(c.Report)
	if err != nil {
		t.Fatal(err)
	}
	var r crashrep.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.ProcessName != "api" || r.Group != "main" || r.Command != os.Args[0] || r.Args[0] != "exit" ||
		r.ExitCode == nil || *r.ExitCode != 3 || r.Signal != nil || r.Reason != "exit code 3" ||
		r.WillRestart || r.Restarts != 0 || strings.Join(r.LastLogs, ",") != "two,three" || r.Pid == 0 {
		t.Errorf("report = %s", b)
	}
}

func TestCrashReportWriteError(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("exit", "3")
	spec.Restart, spec.MaxRestarts, spec.Backoff = RestartOnFailure, 1, 10*time.Millisecond
	opts := rec.options()
	opts.Sink = failingSink{}
	u := newUnit(t, spec, opts)
	u.Start()
	rec.next(t, 5*time.Second, EventFailed)
	crashes, errs := rec.all(EventCrash), rec.all(EventError)
	if len(crashes) != 2 || crashes[0].Report != "" || len(errs) != 2 ||
		errs[0].Err.Error() != `unit "exit": crash report: disk full` {
		t.Errorf("events: %s", rec.summary())
	}
}

type failingSink struct{}

func (failingSink) Write(*crashrep.Report) (string, error) { return "", errors.New("disk full") }

// A zero backoff restarts at once, every time, not after 1, 2, 4 s.
func TestZeroBackoffRestartsAtOnce(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("exit", "3")
	spec.Restart, spec.MaxRestarts, spec.Backoff, spec.MaxBackoff = RestartAlways, 3, 0, 0
	u := newUnit(t, spec, rec.options())
	u.Start()
	for range 3 {
		if e := rec.next(t, 5*time.Second, EventRestart); e.Delay != 0 {
			t.Fatalf("restart delay = %v, want 0", e.Delay)
		}
	}
	rec.next(t, 5*time.Second, EventFailed)
}
