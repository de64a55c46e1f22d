package tui

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// fakeSource is a Source fed by the test.
type fakeSource struct {
	mu    sync.Mutex
	queue []engine.Event
	ready chan struct{}
	done  chan struct{}
}

func newFakeSource() *fakeSource {
	return &fakeSource{ready: make(chan struct{}, 1), done: make(chan struct{})}
}

func (f *fakeSource) Ready() <-chan struct{} { return f.ready }
func (f *fakeSource) Done() <-chan struct{}  { return f.done }

func (f *fakeSource) Take(dst []engine.Event) []engine.Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	dst = append(dst, f.queue...)
	f.queue = f.queue[:0]
	return dst
}

func (f *fakeSource) push(evs ...engine.Event) {
	f.mu.Lock()
	f.queue = append(f.queue, evs...)
	f.mu.Unlock()
	select {
	case f.ready <- struct{}{}:
	default:
	}
}

func (f *fakeSource) finish() { close(f.done) }

// runPrinter runs h over src in a goroutine and returns a channel closed
// when Run returned.
func runPrinter(h *Headless, src Source) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.Run(src)
	}()
	return done
}

// within fails the test unless ch is closed or receives before d.
func within[T any](t *testing.T, d time.Duration, ch <-chan T, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(d):
		t.Fatalf("timed out after %v waiting for %s", d, what)
	}
}

func logEv(proc, line string) engine.Event {
	return engine.Event{Type: engine.ProcessLog, Process: proc, Stream: "stdout", Line: line}
}

func intp(i int) *int { return &i }

// lockedBuffer is a bytes.Buffer safe to read while Run writes to it, and
// counts the writes it got.
type lockedBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
	wrote  chan struct{}
}

func newLockedBuffer() *lockedBuffer { return &lockedBuffer{wrote: make(chan struct{}, 1)} }

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	b.writes++
	n, err := b.buf.Write(p)
	b.mu.Unlock()
	select {
	case b.wrote <- struct{}{}:
	default:
	}
	return n, err
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *lockedBuffer) Writes() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.writes
}

func TestHeadlessPrintsEverySortOfEvent(t *testing.T) {
	var out bytes.Buffer
	snapshot := func() []engine.ProcessStatus {
		return []engine.ProcessStatus{
			{Name: "db", Group: engine.Dependencies, Status: unit.Status{State: unit.StateStopped, Exited: true, Signal: syscall.SIGTERM}},
			{Name: "api", Group: engine.Main, Status: unit.Status{State: unit.StateFailed, Restarts: 3, Exited: true, ExitCode: 2,
				Flags: map[string]int{"slow": 4, "errors": 1}, Unreported: 12}},
			{Name: "flush", Group: engine.Cleanup, Status: unit.Status{State: unit.StatePending}},
		}
	}
	h := NewHeadless(&out, HeadlessOptions{Names: []string{"db", "api", "flush", "tests"}, Snapshot: snapshot, ExitWith: "tests"})
	src := newFakeSource()
	src.push(
		engine.Event{Type: engine.ProcessSpawn, Process: "db", Pid: 12, Attempt: 1},
		logEv("db", "ready to accept connections"),
		engine.Event{Type: engine.ProcessReady, Process: "db", Pid: 12, DurationMs: 45},
		engine.Event{Type: engine.DependenciesReady, DurationMs: 1200},
		logEv("hook:migrate", "applying 0001"),
		engine.Event{Type: engine.MainStarted},
		logEv("api", "ERROR boom"),
		engine.Event{Type: engine.FlagMatched, Process: "api", Flag: "errors", Color: "red", Line: "ERROR boom",
			Count: 1, Target: intp(0), Context: []string{"before", "ERROR boom", "after"}},
		engine.Event{Type: engine.FlagExceeded, Process: "api", Flag: "errors", Color: "red", Count: 1, Target: intp(0)},
		engine.Event{Type: engine.ProcessExit, Process: "api", Pid: 13, ExitCode: intp(2), DurationMs: 5300},
		engine.Event{Type: engine.ProcessCrash, Process: "api", ExitCode: intp(2), Reason: "exit code 2",
			WillRestart: true, Report: "crash-reports/api-20261125T174048.123Z.json"},
		engine.Event{Type: engine.ProcessRestart, Process: "api", Attempt: 2, DelayMs: 1000},
		engine.Event{Type: engine.ProcessFailed, Process: "api", Reason: "restarts exhausted"},
		engine.Event{Type: engine.ProcessExit, Process: "tests", State: "completed", Pid: 14, ExitCode: intp(3), DurationMs: 900},
		engine.Event{Type: engine.EventsDropped, Count: 7},
		engine.Event{Type: engine.Shutdown, Reason: "SIGINT"},
		engine.Event{Type: engine.MainStopped},
		engine.Event{Type: engine.CleanupStarted},
		engine.Event{Type: engine.CleanupComplete, Failed: []string{"flush"}},
		engine.Event{Type: engine.LifecycleError, Phase: "hook", Process: "api", Error: "hook alert: boom\n  at Ovrfile.star:3"},
		engine.Event{Type: engine.LifecycleExit, ExitCode: intp(130)},
	)
	src.finish()
	within(t, 5*time.Second, runPrinter(h, src), "Run to return")

	want := `ovrseer | db started (pid 12)
db      | ready to accept connections
ovrseer | db ready (pid 12, 45ms)
ovrseer | dependencies ready in 1.2s
hook:migrate | applying 0001
ovrseer | main processes started
api     | ERROR boom
ovrseer | flag errors in api (1): ERROR boom
ovrseer |     before
ovrseer |   > ERROR boom
ovrseer |     after
ovrseer | flag errors exceeded target 0 in api (count 1)
ovrseer | api exited: code 2 after 5.3s
ovrseer | api crashed: exit code 2 — report crash-reports/api-20261125T174048.123Z.json (restart 1 follows)
ovrseer | api restarting after 1s (attempt 2)
ovrseer | api failed: restarts exhausted
ovrseer | tests exited: code 3 (exit_with)
ovrseer | 7 log lines dropped: output could not keep up
ovrseer | shutting down: SIGINT
ovrseer | main processes stopped
ovrseer | cleanup started
ovrseer | cleanup complete; failed: flush
ovrseer | error (hook, api): hook alert: boom
ovrseer |   at Ovrfile.star:3
ovrseer | summary:
ovrseer |   db      stopped   restarts 0  signal SIGTERM
ovrseer |   api     failed    restarts 3  exit 2  12 crashes without a report (limit reached)  flags errors=1 slow=4
ovrseer |   flush   pending   restarts 0  exit -
ovrseer | exit 130
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

func TestHeadlessColour(t *testing.T) {
	render := func(color bool) string {
		var out bytes.Buffer
		h := NewHeadless(&out, HeadlessOptions{Names: []string{"web", "api"}, Color: color})
		src := newFakeSource()
		src.push(logEv("web", "GET / 200"), logEv("api", "\x1b[31mred child text\x1b[0m"),
			engine.Event{Type: engine.MainStarted})
		src.finish()
		within(t, 5*time.Second, runPrinter(h, src), "Run to return")
		return out.String()
	}

	plain := render(false)
	if strings.Count(plain, "\x1b[") != 2 {
		t.Errorf("without colour only the child's own codes may appear:\n%q", plain)
	}
	if !strings.Contains(plain, "api     | \x1b[31mred child text\x1b[0m\n") {
		t.Errorf("child text not passed through as is:\n%q", plain)
	}

	colored := render(true)
	lines := strings.Split(colored, "\n")
	webColor, apiColor := lines[0][:5], lines[1][:5]
	if !strings.HasPrefix(webColor, "\x1b[") || !strings.HasPrefix(apiColor, "\x1b[") || webColor == apiColor {
		t.Errorf("want one distinct colour per process, got %q and %q", webColor, apiColor)
	}
	if !strings.HasSuffix(lines[1], "\x1b[31mred child text\x1b[0m") {
		t.Errorf("child text changed with colour on: %q", lines[1])
	}
	if !strings.HasPrefix(lines[2], sgrBold+"ovrseer |") {
		t.Errorf("ovrseer's prefix not coloured: %q", lines[2])
	}
}

func TestHeadlessBatchesWrites(t *testing.T) {
	out := newLockedBuffer()
	h := NewHeadless(out, HeadlessOptions{Names: []string{"gen"}})
	src := newFakeSource()
	const n = 20000
	line := strings.Repeat("x", 90)
	evs := make([]engine.Event, n)
	for i := range evs {
		evs[i] = logEv("gen", fmt.Sprintf("%05d %s", i, line))
	}
	src.push(evs...)
	src.finish()
	within(t, 5*time.Second, runPrinter(h, src), "Run to return")

	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(got) != n {
		t.Fatalf("got %d lines, want %d", len(got), n)
	}
	for i, l := range got {
		if !strings.HasPrefix(l, fmt.Sprintf("gen     | %05d ", i)) {
			t.Fatalf("line %d out of order: %q", i, l)
		}
	}
	// n lines of ~107 bytes in one batch: one write per full buffer.
	if max := n*107/writeBuffer + 2; out.Writes() > max {
		t.Errorf("%d writes for one batch, want at most %d", out.Writes(), max)
	}
}

func TestHeadlessFlushesWithoutWaitingForTheEnd(t *testing.T) {
	out := newLockedBuffer()
	h := NewHeadless(out, HeadlessOptions{Names: []string{"web"}, FlushInterval: 20 * time.Millisecond})
	src := newFakeSource()
	done := runPrinter(h, src)
	defer func() {
		src.finish()
		within(t, 5*time.Second, done, "Run to return")
	}()

	for i := range 3 { // the second and third arrive within the flush interval
		src.push(logEv("web", fmt.Sprintf("line %d", i)))
		want := fmt.Sprintf("web     | line %d\n", i)
		deadline := time.After(2 * time.Second)
		for !strings.Contains(out.String(), want) {
			select {
			case <-out.wrote:
			case <-deadline:
				t.Fatalf("line %d not flushed while the run goes on; output %q", i, out.String())
			}
		}
	}
}

func TestHeadlessWriteErrorStopsOutputOnce(t *testing.T) {
	calls := 0
	var gotErr error
	w := writerFunc(func(p []byte) (int, error) { return 0, syscall.EPIPE })
	h := NewHeadless(w, HeadlessOptions{
		Names:         []string{"web"},
		FlushInterval: time.Millisecond,
		OnWriteError:  func(err error) { calls++; gotErr = err },
	})
	src := newFakeSource()
	done := runPrinter(h, src)
	for i := range 50 {
		src.push(logEv("web", fmt.Sprint("line ", i)))
	}
	src.push(engine.Event{Type: engine.LifecycleExit, ExitCode: intp(141)})
	src.finish()
	within(t, 5*time.Second, done, "Run to return after a write error")
	if calls != 1 || !errors.Is(gotErr, syscall.EPIPE) {
		t.Errorf("OnWriteError called %d times with %v; want once with EPIPE", calls, gotErr)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestHeadlessLogLineDoesNotAllocate(t *testing.T) {
	h := NewHeadless(io.Discard, HeadlessOptions{Names: []string{"web"}, Color: true})
	ev := logEv("web", strings.Repeat("y", 100))
	if a := testing.AllocsPerRun(1000, func() { h.event(&ev) }); a != 0 {
		t.Errorf("%v allocations per log line, want 0", a)
	}
}

func TestMillis(t *testing.T) {
	for ms, want := range map[int64]string{0: "0s", 45: "45ms", 999: "999ms", 1000: "1s", 1234: "1.2s", 5300: "5.3s", 90000: "1m30s", 123400: "2m3s", 600000: "10m"} {
		if got := millis(ms); got != want || ms%1000 == 0 && got != unit.FormatDuration(time.Duration(ms)*time.Millisecond) {
			t.Errorf("millis(%d) = %q, want %q", ms, got, want)
		}
	}
}

func BenchmarkHeadlessLogLine(b *testing.B) {
	h := NewHeadless(io.Discard, HeadlessOptions{Names: []string{"gen"}})
	batch := make([]engine.Event, 1024)
	for i := range batch {
		batch[i] = logEv("gen", strings.Repeat("z", 100))
	}
	b.SetBytes(int64(len(batch)) * 110)
	for b.Loop() {
		for i := range batch {
			h.WriteEvent(&batch[i])
		}
	}
}

// eachSource is a fakeSource that also hands events over one at a time in
// one reused Event, like engine.Subscription.Each.
type eachSource struct {
	*fakeSource
	calls int
}

func (e *eachSource) Each(f func(ev *engine.Event)) {
	e.calls++
	var ev engine.Event
	for _, x := range e.Take(nil) {
		ev = x
		f(&ev)
	}
}

// A source with Each prints exactly what a Take-only source prints.
func TestHeadlessEachSourcePrintsTheSame(t *testing.T) {
	evs := []engine.Event{
		{Type: engine.ProcessSpawn, Process: "db", Pid: 12, Attempt: 1},
		logEv("db", "one"),
		{Type: engine.ProcessCrash, Process: "db", ExitCode: intp(2), Reason: "exit code 2"},
		logEv("hook:x", "two"),
		logEv("db", "three"),
		{Type: engine.LifecycleExit, ExitCode: intp(0)},
	}
	printAll := func(src Source, feed func(...engine.Event), finish func()) string {
		var out bytes.Buffer
		h := NewHeadless(&out, HeadlessOptions{Names: []string{"db"}})
		done := runPrinter(h, src)
		feed(evs[:3]...)
		feed(evs[3:]...)
		finish()
		within(t, 5*time.Second, done, "Run to return")
		return out.String()
	}
	plain := newFakeSource()
	want := printAll(plain, plain.push, plain.finish)
	each := &eachSource{fakeSource: newFakeSource()}
	got := printAll(each, each.push, each.finish)
	if got != want {
		t.Errorf("with Each:\n%s\nwith Take:\n%s", got, want)
	}
	if each.calls == 0 {
		t.Error("the printer did not use Each")
	}
	if !strings.Contains(got, "db      | three\n") {
		t.Errorf("output lacks a log line:\n%s", got)
	}
}
