package engine

import (
	"fmt"
	"testing"
	"time"
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
	s.q = make([]Event, 0, 2000)
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
