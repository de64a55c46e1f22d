package unit

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ovrseer/ovrseer/internal/ansi/ansitest"
)

func TestReadyByLog(t *testing.T) {
	for _, stream := range []string{"stdout", "stderr"} {
		t.Run(stream, func(t *testing.T) {
			t.Parallel()
			rec := newRecorder()
			spec := childSpec("readyafter", "200", stream)
			// ANSI codes around "listening" are ignored by the match.
			spec.Ready = []Check{{Kind: CheckLog, Pattern: `^listening on :\d+$`}}
			u := newUnit(t, spec, rec.options())
			u.Start()
			e := rec.next(t, 5*time.Second, EventReady, EventCrash)
			if e.Kind != EventReady || e.Duration < 200*time.Millisecond {
				t.Fatalf("got %s after %v, want ready after ≥200ms", fmtEvent(e), e.Duration)
			}
			if st := u.Status(); st.State != StateReady || st.Pid != e.Pid {
				t.Errorf("status = %+v", st)
			}
			closedWithin(t, u.Stop(), 5*time.Second)
			waitGone(t, e.Pid, time.Second)
		})
	}
}

func TestReadyLogCount(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("exit", "0", "tick", "tick", "tick")
	spec.Ready = []Check{{Kind: CheckLog, Pattern: "tick", Count: 4}}
	u := newUnit(t, spec, rec.options())
	u.Start()
	e := rec.next(t, 5*time.Second, EventReady, EventCrash)
	if e.Kind != EventCrash || e.Reason != "readiness: exited before ready (exit code 0)" {
		t.Fatalf("got %s, want a crash: three ticks are not four", fmtEvent(e))
	}
}

func TestReadyByExit(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("exit", "0", "migrated")
	spec.Ready = []Check{{Kind: CheckExit}}
	spec.Restart = RestartOnFailure
	u := newUnit(t, spec, rec.options())
	u.Start()
	rec.next(t, 5*time.Second, EventReady)
	rec.state(t, time.Second, StateCompleted)
	if c := rec.all(EventCrash, EventFailed); len(c) != 0 {
		t.Errorf("unexpected %s", fmtEvent(c[0]))
	}
}

func TestReadyExitWrongCode(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("exit", "3")
	spec.Ready = []Check{{Kind: CheckExit, Code: 0}}
	u := newUnit(t, spec, rec.options())
	u.Start()
	e := rec.next(t, 5*time.Second, EventCrash)
	if e.Reason != "readiness: exited before ready (exit code 3)" || e.ExitCode != 3 || e.WillRestart {
		t.Errorf("crash = %s", fmtEvent(e))
	}
	if f := rec.next(t, time.Second, EventFailed); f.Reason != e.Reason {
		t.Errorf("failed reason = %q", f.Reason)
	}
	if st := u.Status(); st.State != StateFailed || !st.Exited || st.ExitCode != 3 {
		t.Errorf("status = %+v", st)
	}
}

func TestReadyByTCPAndHTTP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) < 3 { // a wrong status is retried
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	rec := newRecorder()
	spec := childSpec("sleep")
	spec.Ready = []Check{ // the test's servers: not the process's own
		{Kind: CheckTCP, Address: ln.Addr().String(), External: true},
		{Kind: CheckHTTP, URL: srv.URL + "/healthz", External: true},
	}
	u := newUnit(t, spec, rec.options())
	u.Start()
	e := rec.next(t, 5*time.Second, EventReady, EventCrash)
	if e.Kind != EventReady || e.Duration < 2*pollInterval {
		t.Fatalf("got %s after %v, want ready after the third GET", fmtEvent(e), e.Duration)
	}
}

func TestReadyByExec(t *testing.T) {
	dir := t.TempDir()
	rec := newRecorder()
	spec := childSpec("sleep")
	spec.Dir = dir
	spec.Env = append(spec.Env, "MARK=here")
	// Runs in Dir with Env: passes on its second try.
	spec.Ready = []Check{{Kind: CheckExec, Argv: []string{"sh", "-c", `test -f seen && test "$MARK" = here; s=$?; touch seen; exit $s`}}}
	u := newUnit(t, spec, rec.options())
	u.Start()
	e := rec.next(t, 5*time.Second, EventReady, EventCrash)
	if e.Kind != EventReady {
		t.Fatalf("got %s", fmtEvent(e))
	}
	if _, err := os.Stat(filepath.Join(dir, "seen")); err != nil {
		t.Error(err)
	}
}

func TestReadyTimeoutNamesCheck(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("ignoreterm") // the group is stopped, SIGKILL at the stop timeout
	spec.StopTimeout = 200 * time.Millisecond
	spec.Ready = []Check{
		{Kind: CheckLog, Pattern: "ignoring"},
		{Kind: CheckTCP, Address: "127.0.0.1:1", Timeout: 300 * time.Millisecond},
	}
	u := newUnit(t, spec, rec.options())
	u.Start()
	spawn := rec.next(t, 5*time.Second, EventSpawn)
	e := rec.next(t, 5*time.Second, EventCrash)
	want := `readiness: ready.tcp("127.0.0.1:1") timed out after 300ms`
	if e.Reason != want || e.WillRestart || e.Signal.String() != "killed" {
		t.Errorf("crash = %s, want %q by SIGKILL", fmtEvent(e), want)
	}
	if f := rec.next(t, time.Second, EventFailed); f.Reason != want {
		t.Errorf("failed = %q", f.Reason)
	}
	waitGone(t, spawn.Pid, time.Second)
	if got := rec.all(EventReady); len(got) != 0 {
		t.Errorf("ready reported: %v", got)
	}
}

func TestReadinessFailureRestarts(t *testing.T) {
	rec := newRecorder()
	spec := childSpec("sleep")
	spec.Restart, spec.MaxRestarts, spec.Backoff = RestartOnFailure, 1, 20*time.Millisecond
	spec.Ready = []Check{{Kind: CheckLog, Pattern: "never", Timeout: 100 * time.Millisecond}}
	u := newUnit(t, spec, rec.options())
	u.Start()
	first := rec.next(t, 5*time.Second, EventCrash)
	second := rec.next(t, 5*time.Second, EventCrash)
	f := rec.next(t, time.Second, EventFailed)
	want := `readiness: ready.log("never") timed out after 100ms`
	if !first.WillRestart || second.WillRestart || second.Restarts != 1 || f.Reason != want ||
		!strings.HasPrefix(second.Reason, "readiness:") {
		t.Errorf("events: %s", rec.summary())
	}
}

// TestReadyLogVisibleText: a ready.log pattern sees each tricky line as a
// terminal shows it, as flags and the TUI do (ansitest.Cases): `^ready$`
// passes on "\x1b(Bready" (what `tput sgr0` prints before text).
func TestReadyLogVisibleText(t *testing.T) {
	dir := t.TempDir()
	for i, c := range ansitest.Cases {
		if !utf8.ValidString(c.Visible) {
			continue // a pattern is UTF-8
		}
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join(dir, strconv.Itoa(i))
			if err := os.WriteFile(file, []byte(c.In+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			rec := newRecorder()
			spec := Spec{Name: "visible", Argv: []string{"sh", "-c", `cat "$1"; exec sleep 60`, "sh", file}}
			spec.Ready = []Check{{Kind: CheckLog, Pattern: "^" + regexp.QuoteMeta(c.Visible) + "$", Timeout: 3 * time.Second}}
			u := newUnit(t, spec, rec.options())
			u.Start()
			e := rec.next(t, 10*time.Second, EventReady, EventCrash)
			if e.Kind != EventReady {
				t.Errorf("%q does not match as %q: %s", c.In, c.Visible, fmtEvent(e))
			}
			closedWithin(t, u.Stop(), 5*time.Second)
		})
	}
}
