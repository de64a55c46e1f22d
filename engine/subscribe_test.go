package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/ovrseer/ovrseer/logger"
)

func newIdle(t *testing.T) *Engine {
	t.Helper()
	e, err := New(Plan{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func logEvent(i int) *Event {
	return &Event{Type: ProcessLog, Process: "p", Line: fmt.Sprint(i)}
}

// A subscriber that falls behind loses only log events, is told how many
// at the point of loss, and keeps every other event in order.
func TestSubscriptionDropsOnlyLogs(t *testing.T) {
	e := newIdle(t)
	slow := e.Subscribe(SubscribeOptions{LogBuffer: 2})
	fast := e.Subscribe(SubscribeOptions{})
	for i := range 5 {
		e.publish(logEvent(i))
	}
	e.publish(&Event{Type: ProcessCrash, Process: "p"})
	for i := 5; i < 8; i++ {
		e.publish(logEvent(i))
	}
	e.publish(&Event{Type: Shutdown})

	got := summary(slow.Take(nil))
	want := "log:0 log:1 dropped:3 process:crash dropped:3 lifecycle:shutdown"
	if got != want {
		t.Errorf("slow subscriber got %s\nwant %s", got, want)
	}
	want = "log:0 log:1 log:2 log:3 log:4 process:crash log:5 log:6 log:7 lifecycle:shutdown"
	if got := summary(fast.Take(nil)); got != want {
		t.Errorf("fast subscriber got %s\nwant %s", got, want)
	}
	if got := fast.Take(nil); len(got) != 0 {
		t.Errorf("second Take returned %d events again", len(got))
	}
	// Taking frees the buffer: the next logs are kept.
	e.publish(logEvent(8))
	if got := summary(slow.Take(nil)); got != "log:8" {
		t.Errorf("after Take: %s, want log:8", got)
	}
}

func summary(events []Event) string {
	s := ""
	for i, e := range events {
		if i > 0 {
			s += " "
		}
		switch e.Type {
		case ProcessLog:
			s += "log:" + e.Line
		case EventsDropped:
			s += fmt.Sprintf("dropped:%d", e.Count)
		default:
			s += string(e.Type)
		}
	}
	return s
}

// Ready is signalled when events wait; Done closes after Close and Take
// still returns what is left; a closed subscription gets nothing more.
func TestSubscriptionSignals(t *testing.T) {
	e := newIdle(t)
	s := e.Subscribe(SubscribeOptions{})
	select {
	case <-s.Ready():
		t.Fatal("ready without events")
	default:
	}
	e.publish(&Event{Type: MainStarted})
	select {
	case <-s.Ready():
	case <-time.After(waitLimit):
		t.Fatal("not ready after publish")
	}
	e.publish(&Event{Type: MainReady})
	s.Close()
	select {
	case <-s.Done():
	default:
		t.Fatal("Done not closed by Close")
	}
	e.publish(&Event{Type: Shutdown})
	if got := summary(s.Take(nil)); got != "lifecycle:main-started lifecycle:main-ready" {
		t.Errorf("Take after Close: %s", got)
	}
	if n := len(*e.subs.Load()); n != 0 {
		t.Errorf("%d subscribers left after Close", n)
	}
}

// Publishing with subscribers costs no allocation per log event.
func TestPublishAllocs(t *testing.T) {
	e := newIdle(t)
	s := e.Subscribe(SubscribeOptions{LogBuffer: 1 << 20})
	ev := Event{Type: ProcessLog, Process: "p", Line: "hello"}
	s.q.blocks = make([][]entry, 0, 8)
	for range 8 { // room for the 1001 events below
		s.q.free = append(s.q.free, make([]entry, 0, blockLen))
	}
	allocs := testing.AllocsPerRun(1000, func() { e.publish(&ev) })
	if allocs != 0 {
		t.Errorf("%v allocations per published log event", allocs)
	}
}

func BenchmarkPublishLog(b *testing.B) {
	e, _ := New(Plan{}, Options{})
	s := e.Subscribe(SubscribeOptions{})
	var buf []Event
	ev := Event{Type: ProcessLog, Process: "p", Line: "a line of about a hundred bytes"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e.publish(&ev)
		if i%1024 == 0 {
			buf = s.Take(buf[:0])
		}
	}
}

// BenchmarkLineEach is the log path as a process's lines take it: each line
// queued by onLine, published per chunk (256 lines here) by onChunk and
// drained with Each, as the headless printer (a record) does.
func BenchmarkLineEach(b *testing.B) {
	e, _ := New(Plan{}, Options{})
	s := e.Subscribe(SubscribeOptions{Record: true})
	p := &core{name: "p", group: Main}
	line, chunk := e.onLine(p), e.onChunk(p)
	l := logger.Line{Time: time.Now(), Stream: logger.Stdout, Text: strings.Repeat("x", 99)}
	n := 0
	count := func(ev *Event) { n += len(ev.Line) }
	b.ReportAllocs()
	for i := 1; b.Loop(); i++ {
		line(l)
		if i%256 == 0 {
			chunk()
			s.Each(count)
		}
	}
}

// An inline entry is a fifth of an Event: keep it small.
func TestEntrySize(t *testing.T) {
	if n := unsafe.Sizeof(entry{}); n > 72 {
		t.Errorf("entry is %d bytes, want at most 72", n)
	}
}

// Each hands over the same events as Take, field for field, including log
// events after other events (whose fields must not leak into them).
func TestEachMatchesTake(t *testing.T) {
	e := newIdle(t)
	taker := e.Subscribe(SubscribeOptions{LogBuffer: 3})
	each := e.Subscribe(SubscribeOptions{LogBuffer: 3})
	now := time.Now()
	p := &core{name: "web", group: Main}
	onLine, chunk := e.onLine(p), e.onChunk(p)
	line := func(text string, s logger.Stream) {
		onLine(logger.Line{Time: now, Stream: s, Text: text})
		chunk()
	}
	line("one", logger.Stdout)
	e.publish(&Event{Type: ProcessCrash, Process: "web", Group: Main, Pid: 7, Reason: "exit code 1", Context: []string{"x"}})
	line("two", logger.Stderr)
	e.publish(&Event{Type: ProcessLog, Process: "hook:h", Group: Hooks, Stream: "stdout", Line: "hook"})
	line("three", logger.Stdout) // dropped: LogBuffer 3
	line("four", logger.Stdout)

	want := taker.Take(nil)
	var got []Event
	each.Each(func(ev *Event) { got = append(got, *ev) })
	if summary(got) != summary(want) || len(got) != 5 {
		t.Fatalf("Each: %s\nTake: %s", summary(got), summary(want))
	}
	if want[0].Stream != "stdout" || want[0].Group != Main || !want[0].Time.Equal(now) || want[2].Stream != "stderr" {
		t.Errorf("inline log event read back as %+v, %+v", want[0], want[2])
	}
	for i := range want {
		if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
			t.Errorf("event %d: Each %+v\nTake %+v", i, got[i], want[i])
		}
	}
	if got[2].Reason != "" || got[2].Pid != 0 || got[2].Context != nil {
		t.Errorf("log event after a crash kept its fields: %+v", got[2])
	}
	if want[4].Type != EventsDropped || want[4].Count != 2 {
		t.Errorf("last event %+v, want 2 dropped", want[4])
	}
}

// A chunk's lines reach the subscriber when the chunk ends (onChunk), in
// one wake-up, not line by line; other events wake it at once.
func TestLinesWakeAtChunkEnd(t *testing.T) {
	e := newIdle(t)
	s := e.Subscribe(SubscribeOptions{})
	p := &core{name: "p", group: Main}
	line, chunk := e.onLine(p), e.onChunk(p)
	line(logger.Line{Text: "a"})
	line(logger.Line{Text: "b"})
	select {
	case <-s.Ready():
		t.Fatal("ready before the chunk ended")
	default:
	}
	if n := len(s.Take(nil)); n != 0 {
		t.Fatalf("took %d events before the chunk ended", n)
	}
	chunk()
	select {
	case <-s.Ready():
	default:
		t.Fatal("not ready after the chunk ended")
	}
	if got := summary(s.Take(nil)); got != "log:a log:b" {
		t.Fatalf("took %s, want log:a log:b", got)
	}
	chunk() // nothing new: no wake
	select {
	case <-s.Ready():
		t.Fatal("ready after an empty chunk")
	default:
	}
	e.publish(&Event{Type: MainStarted})
	select {
	case <-s.Ready():
	default:
		t.Fatal("not ready after a lifecycle event")
	}
}

// A subscription without process lines gets every other event of a run
// that printed many lines, hook output included, and none of the lines.
func TestNoProcessLines(t *testing.T) {
	checkGoroutines(t)
	e, err := New(Plan{Processes: []Process{mainProc("flood", spec("lines", "5000"))}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub := e.Subscribe(SubscribeOptions{NoProcessLines: true})
	all := e.Subscribe(SubscribeOptions{Record: true})
	release := e.Hold()
	if code := e.Run(context.Background()); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	e.HookLine("note", logger.Stdout, "a hook's line")
	release()
	<-sub.Done()
	var got, want []Type
	for _, ev := range sub.Take(nil) {
		if ev.Type == ProcessLog && ev.Group != Hooks {
			t.Fatalf("a process line reached the subscription: %+v", ev)
		}
		got = append(got, ev.Type)
	}
	for _, ev := range all.Take(nil) {
		if ev.Type != ProcessLog || ev.Group == Hooks {
			want = append(want, ev.Type)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
}
