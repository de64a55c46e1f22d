package unit

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/crashrep"
)

// blockingSink holds every Write until release is closed, as a hung disk
// would. newBlockingSink's caller must defer unblock after making the
// unit, so that it runs before the unit's Close.
type blockingSink struct {
	entered chan *crashrep.Report // one per Write, as it starts
	release chan struct{}
	once    sync.Once
}

func newBlockingSink() *blockingSink {
	return &blockingSink{entered: make(chan *crashrep.Report, 100), release: make(chan struct{})}
}

func (s *blockingSink) unblock() { s.once.Do(func() { close(s.release) }) }

func (s *blockingSink) Write(r *crashrep.Report) (string, error) {
	s.entered <- r
	<-s.release
	return "/reports/" + r.ProcessName, nil
}

// writing waits until the sink is inside a Write.
func (s *blockingSink) writing(t *testing.T) {
	t.Helper()
	select {
	case <-s.entered:
	case <-time.After(5 * time.Second):
		t.Fatal("no crash report was started")
	}
}

// A slow disk never delays a stop: the report is written off the unit's
// goroutine, and the crash is published once it is on disk.
func TestCrashReportDoesNotDelayStop(t *testing.T) {
	for _, kill := range []bool{false, true} {
		rec := newRecorder()
		sink := newBlockingSink()
		spec := childSpec("exit", "2")
		spec.Restart, spec.MaxRestarts, spec.Backoff = RestartOnFailure, 3, 10*time.Millisecond
		opts := rec.options()
		opts.Sink = sink
		u := newUnit(t, spec, opts)
		t.Cleanup(sink.unblock) // before Close
		u.Start()
		sink.writing(t)
		if got := rec.all(EventCrash); len(got) != 0 {
			t.Fatalf("crash published before its report was written: %s", rec.summary())
		}
		if st := u.Status().State; st != StateCrashed {
			t.Errorf("state while the report is written = %s", st)
		}
		begin := time.Now()
		if kill {
			u.Kill()
			rec.state(t, time.Second, StateStopped)
		} else {
			closedWithin(t, u.Stop(), time.Second)
		}
		t.Logf("kill=%v: stopped in %v with the report pending", kill, time.Since(begin))
		sink.unblock()
		c := rec.next(t, 5*time.Second, EventCrash)
		if c.Report != "/reports/exit" || c.WillRestart || c.State != StateStopped {
			t.Errorf("crash = %s, report %q", fmtEvent(c), c.Report)
		}
		if n := len(rec.all(EventRestart, EventSpawn)); n != 1 { // the first spawn only
			t.Errorf("restarted after a stop: %s", rec.summary())
		}
	}
}

// A report that takes longer than reportTimeout is given up on: the crash
// is published without it, an error says why, and the backoff starts then.
func TestCrashReportTimeout(t *testing.T) {
	rec := newRecorder()
	sink := newBlockingSink()
	spec := childSpec("exit", "2")
	spec.Restart, spec.MaxRestarts, spec.Backoff = RestartOnFailure, 1, 10*time.Millisecond
	opts := rec.options()
	opts.Sink = sink
	u := newUnit(t, spec, opts)
	t.Cleanup(sink.unblock) // before Close
	u.Start()
	exit := rec.next(t, 5*time.Second, EventExit)
	c := rec.next(t, 3*reportTimeout, EventCrash)
	if waited := c.Time.Sub(exit.Time); waited < reportTimeout {
		t.Errorf("crash published %v after the exit, before the report timeout", waited)
	}
	errs := rec.all(EventError)
	if c.Report != "" || !c.WillRestart || c.State != StateCrashed || len(errs) != 1 ||
		!strings.Contains(errs[0].Err.Error(), "crash report: not written after 2s") {
		t.Errorf("crash = %s; events %s", fmtEvent(c), rec.summary())
	}
	r := rec.next(t, 5*time.Second, EventRestart)
	if r.Time.Before(c.Time) {
		t.Errorf("restart before the crash was published")
	}
	sink.unblock()
	f := rec.next(t, 5*time.Second, EventFailed)
	if f.State != StateFailed || u.Status().State != StateFailed {
		t.Errorf("failed = %s", fmtEvent(f))
	}
}

// countingSink keeps the reports in memory.
type countingSink struct {
	mu sync.Mutex
	n  int
}

func (s *countingSink) Write(r *crashrep.Report) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return "/reports/" + r.ProcessName, nil
}

// A restart storm writes at most maxReports reports; the rest are counted.
func TestCrashReportLimit(t *testing.T) {
	const crashes = maxReports + 6
	rec := newRecorder()
	sink := &countingSink{}
	spec := Spec{Name: "storm", Argv: []string{"sh", "-c", "exit 1"}, Restart: RestartOnFailure,
		MaxRestarts: crashes - 1, Backoff: time.Millisecond, MaxBackoff: time.Millisecond}
	opts := rec.options()
	opts.Sink = sink
	u := newUnit(t, spec, opts)
	u.Start()
	rec.next(t, 30*time.Second, EventFailed)
	got := rec.all(EventCrash)
	if len(got) != crashes {
		t.Fatalf("%d crashes, want %d", len(got), crashes)
	}
	for i, c := range got {
		if want := i < maxReports; (c.Report != "") != want {
			t.Errorf("crash %d: report %q", i, c.Report)
		}
	}
	sink.mu.Lock()
	n := sink.n
	sink.mu.Unlock()
	if st := u.Status(); n != maxReports || st.Unreported != crashes-maxReports || st.Restarts != crashes-1 {
		t.Errorf("%d reports written, status %+v", n, st)
	}
}
