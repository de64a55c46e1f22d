package unit

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/logger"
)

// recorder collects what a unit reports. Events are also queued on ch for
// tests that wait on them in order.
type recorder struct {
	ch    chan Event
	lines atomic.Int64

	mu     sync.Mutex
	events []Event
	texts  []string // every line, when keep is set
	keep   bool
	// linesAtExit is the line count when each EventExit was reported.
	linesAtExit []int64
}

func newRecorder() *recorder { return &recorder{ch: make(chan Event, 4096), keep: true} }

func (r *recorder) options() Options {
	return Options{OnLine: r.onLine, OnEvent: r.onEvent, StrictTransitions: true}
}

func (r *recorder) onLine(l logger.Line) {
	r.lines.Add(1)
	if r.keep {
		r.mu.Lock()
		r.texts = append(r.texts, l.Text)
		r.mu.Unlock()
	}
}

func (r *recorder) onEvent(e Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	if e.Kind == EventExit {
		r.linesAtExit = append(r.linesAtExit, r.lines.Load())
	}
	r.mu.Unlock()
	select {
	case r.ch <- e:
	default:
		panic("recorder: event queue full")
	}
}

// next waits for the next event of one of kinds (others are skipped).
func (r *recorder) next(t *testing.T, timeout time.Duration, kinds ...EventKind) Event {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case e := <-r.ch:
			for _, k := range kinds {
				if e.Kind == k {
					return e
				}
			}
		case <-deadline.C:
			t.Fatalf("no event %v within %v; got %s", kinds, timeout, r.summary())
		}
	}
}

// state waits for EventState with state s.
func (r *recorder) state(t *testing.T, timeout time.Duration, s State) Event {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		e := r.next(t, time.Until(deadline), EventState)
		if e.State == s {
			return e
		}
	}
}

// kinds lists the events of the given kinds reported so far, in order.
func (r *recorder) all(kinds ...EventKind) []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Event
	for _, e := range r.events {
		for _, k := range kinds {
			if e.Kind == k {
				out = append(out, e)
			}
		}
	}
	return out
}

func (r *recorder) lineTexts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.texts...)
}

// summary renders the events so far for failure messages.
func (r *recorder) summary() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, e := range r.events {
		fmt.Fprintf(&b, "\n  %s", fmtEvent(e))
	}
	return b.String()
}

// fmtEvent renders an event for failure messages.
func fmtEvent(e Event) string {
	s := fmt.Sprintf("%s(%s", e.Kind, e.State)
	switch e.Kind {
	case EventSpawn, EventReady:
		s += fmt.Sprintf(" pid=%d attempt=%d", e.Pid, e.Attempt)
	case EventExit:
		s += fmt.Sprintf(" code=%d sig=%v", e.ExitCode, e.Signal)
	case EventCrash:
		s += fmt.Sprintf(" %q restarts=%d will=%v", e.Reason, e.Restarts, e.WillRestart)
	case EventRestart:
		s += fmt.Sprintf(" attempt=%d delay=%v", e.Attempt, e.Delay)
	case EventFailed:
		s += fmt.Sprintf(" %q", e.Reason)
	case EventError:
		s += fmt.Sprintf(" %v", e.Err)
	case EventFlag:
		s += fmt.Sprintf(" %s %q", e.Hit.Flag, e.Hit.Line)
	}
	return s + ")"
}

// newUnit makes a unit closed at the end of the test.
func newUnit(t *testing.T, spec Spec, opts Options) *Unit {
	t.Helper()
	opts.StrictTransitions = true
	u, err := New(spec, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(u.Close)
	return u
}

// waitGone waits until process group pgid is gone.
func waitGone(t *testing.T, pgid int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Kill(-pgid, 0)
		if errors.Is(err, syscall.ESRCH) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("process group %d still alive after %v (kill: %v)", pgid, timeout, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// closedWithin waits for ch to close.
func closedWithin(t *testing.T, ch <-chan struct{}, timeout time.Duration) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(timeout):
		t.Fatalf("not done within %v", timeout)
	}
}

func killPid(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }

// errNotFound is what exec reports for a missing executable.
func errNotFound() error { return exec.ErrNotFound }

// dead reports whether pid is a zombie or gone: a test process's orphans
// are reaped only if its reaper runs.
func dead(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	i := bytes.LastIndex(stat, []byte(") ")) // the name may hold anything; the state follows the last ')'
	return i < 0 || i+2 >= len(stat) || stat[i+2] == 'Z'
}

// eventually polls cond until it holds, failing the test after timeout.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline.C:
			t.Fatalf("not %s within %v", what, timeout)
		case <-tick.C:
		}
	}
}
