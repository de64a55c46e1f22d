package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// queue is a tui.Source fed by the test.
type queue struct {
	mu     sync.Mutex
	events []engine.Event
	ready  chan struct{}
	done   chan struct{}
}

func newQueue() *queue { return &queue{ready: make(chan struct{}, 1), done: make(chan struct{})} }

func (q *queue) Ready() <-chan struct{} { return q.ready }
func (q *queue) Done() <-chan struct{}  { return q.done }
func (q *queue) Take(dst []engine.Event) []engine.Event {
	q.mu.Lock()
	defer q.mu.Unlock()
	dst = append(dst, q.events...)
	q.events = q.events[:0]
	return dst
}

func (q *queue) push(evs ...engine.Event) {
	q.mu.Lock()
	q.events = append(q.events, evs...)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

func TestEventsFileWritesDroppedAndFlushesBeforeTheEnd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	ef, err := openEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	q := newQueue()
	done := make(chan struct{})
	go func() {
		defer close(done)
		ef.Run(q)
	}()

	q.push(engine.Event{Type: engine.EventsDropped, Count: 42})
	deadline := time.Now().Add(5 * time.Second)
	for {
		data, _ := os.ReadFile(path)
		if strings.Contains(string(data), "\n") {
			var got map[string]any
			if err := json.Unmarshal([]byte(strings.TrimSpace(string(data))), &got); err != nil {
				t.Fatalf("not JSON: %q: %v", data, err)
			}
			if got["type"] != "events:dropped" || got["count"] != 42.0 || len(got) != 2 {
				t.Errorf("dropped event written as %q", data)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first batch was not flushed while the run went on")
		}
		time.Sleep(10 * time.Millisecond) // polling a file: there is no event to wait on
	}
	close(q.done)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after Done")
	}
	if err := ef.Close(); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("events file mode: %v, %v; want 0600", info.Mode().Perm(), err)
	}
}

func TestFindOvrfile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	_, err := findOvrfile("")
	if err == nil || !strings.Contains(err.Error(), "no Ovrfile.star in "+dir) || !strings.Contains(err.Error(), "examples/Ovrfile.star") {
		t.Errorf("missing default Ovrfile: %v", err)
	}
	if _, err := findOvrfile("."); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("-f on a directory: %v", err)
	}
	if err := os.WriteFile("Ovrfile.star", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := findOvrfile("")
	if err != nil || got != filepath.Join(dir, "Ovrfile.star") {
		t.Errorf("findOvrfile() = %q, %v", got, err)
	}
}

func TestApplyOverrides(t *testing.T) {
	t.Chdir(t.TempDir())
	s := engine.Settings{CrashDir: "/from/settings", Timeout: time.Minute}
	if err := applyOverrides(&s, config{}); err != nil || s.CrashDir != "/from/settings" || s.Timeout != time.Minute {
		t.Errorf("no overrides changed settings: %+v, %v", s, err)
	}
	if err := applyOverrides(&s, config{crashDir: "reports", timeout: time.Second}); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if s.CrashDir != filepath.Join(wd, "reports") || s.Timeout != time.Second {
		t.Errorf("overrides: %+v", s)
	}
}

func TestUseColor(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	pipe := &strings.Builder{}
	if !useColor(colorAlways, pipe) {
		t.Error("--color=always must win over NO_COLOR")
	}
	if useColor(colorAuto, pipe) || useColor(colorNever, pipe) {
		t.Error("auto on a non-terminal or never must not colour")
	}
}

// TestEventsFIFOWithoutReaderFailsAtOnce: --events on a FIFO nobody reads
// is an error naming the fix, not a silent hang before anything starts; with
// a reader the events arrive.
func TestEventsFIFOWithoutReaderFailsAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	type result struct {
		ef  *eventsFile
		err error
	}
	open := func() <-chan result {
		ch := make(chan result, 1)
		go func() {
			ef, err := openEvents(path)
			ch <- result{ef, err}
		}()
		return ch
	}
	select {
	case r := <-open():
		if r.err == nil || !strings.Contains(r.err.Error(), "a FIFO with no reader: start the reader first") {
			t.Fatalf("openEvents = %v, want the no-reader error", r.err)
		}
	case <-time.After(5 * time.Second):
		// Unblock the open so the goroutine ends, then fail.
		if rd, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			defer rd.Close()
		}
		t.Fatal("openEvents blocked on a FIFO without a reader")
	}

	rd, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var r result
	select {
	case r = <-open():
	case <-time.After(5 * time.Second):
		t.Fatal("openEvents blocked with a reader")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	q := newQueue()
	done := make(chan struct{})
	go func() { defer close(done); r.ef.Run(q) }()
	q.push(engine.Event{Type: engine.MainStarted, Time: time.Unix(0, 0)})
	close(q.done)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	if err := r.ef.Close(); err != nil {
		t.Fatal(err)
	}
	if err := syscall.SetNonblock(int(rd.Fd()), false); err != nil {
		t.Fatal(err)
	}
	got, err := bufio.NewReader(rd).ReadString('\n')
	if err != nil || !strings.Contains(got, `"lifecycle:main-started"`) {
		t.Errorf("read %q, %v", got, err)
	}
}
