package engine

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

// A process prints 1,000,000 lines (floodLines: fewer under -race). A record
// that reads slowly gets every line, in order: the process waits for it. A
// view that never reads loses only log events and is told exactly how many,
// and still gets every other event. Nothing here depends on the machine's
// speed: the record's pauses only make the backpressure happen.
func TestFloodRecordLosslessViewCounted(t *testing.T) {
	const lines = floodLines
	checkGoroutines(t)
	e, err := New(Plan{Processes: []Process{mainProc("flood", spec("lines", strconv.Itoa(lines)))}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	stuck := e.Subscribe(SubscribeOptions{LogBuffer: 1000})
	rec := e.Subscribe(SubscribeOptions{Record: true})
	got := make(chan error, 1)
	go func() { got <- readInOrder(rec, map[string]int{"flood": lines}, 10_000) }()
	code := start(t, e)()
	if code != 0 {
		t.Errorf("exit code %d", code)
	}
	select {
	case err := <-got:
		if err != nil {
			t.Errorf("record: %v", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("record reader not done")
	}

	select {
	case <-stuck.Done():
	default:
		t.Fatal("stuck subscription not done after Run")
	}
	evs := stuck.Take(nil)
	logs, dropped := 0, 0
	var lifecycle []Type
	for _, ev := range evs {
		switch {
		case ev.Type == ProcessLog:
			logs++
		case ev.Type == EventsDropped:
			dropped += ev.Count
			if ev.Process != "flood" {
				t.Errorf("events:dropped of %q, want flood", ev.Process)
			}
		case ev.Type.IsLifecycle():
			lifecycle = append(lifecycle, ev.Type)
		}
	}
	if logs != 1000 || logs+dropped != lines {
		t.Errorf("stuck view: %d lines kept + %d dropped, want 1000 + %d", logs, dropped, lines-1000)
	}
	want := []Type{LifecycleStart, DependenciesReady, MainStarted, MainReady, Shutdown, MainStopped, CleanupStarted, CleanupComplete, LifecycleExit}
	if fmt.Sprint(lifecycle) != fmt.Sprint(want) {
		t.Fatalf("stuck view lifecycle events %v, want %v", lifecycle, want)
	}
	for _, typ := range []Type{ProcessSpawn, ProcessExit} {
		if index(evs, typ, "flood") < 0 {
			t.Errorf("stuck view lost %s", typ)
		}
	}
}

// readInOrder drains s until it is done and checks that each process of
// want printed exactly want[name] lines (those of the test child's "lines"
// mode), in order. It pauses briefly every pauseEvery lines (0: never).
func readInOrder(s *Subscription, want map[string]int, pauseEvery int) error {
	next := map[string]int{}
	var err error
	n := 0
	check := func(ev *Event) {
		switch ev.Type {
		case EventsDropped:
			err = fmt.Errorf("a record was told of %d lost lines", ev.Count)
		case ProcessLog:
			if err != nil {
				return
			}
			if i, _ := strconv.Atoi(ev.Line[:min(8, len(ev.Line))]); i != next[ev.Process] {
				err = fmt.Errorf("%s: line %q where line %d was due", ev.Process, ev.Line, next[ev.Process])
			}
			next[ev.Process]++
			if n++; pauseEvery > 0 && n%pauseEvery == 0 {
				time.Sleep(time.Millisecond) // a slow destination
			}
		}
	}
	for {
		done := false
		select {
		case <-s.Ready():
		case <-s.Done():
			done = true
		}
		s.Each(check)
		if done {
			break
		}
	}
	for name, lines := range want {
		if err == nil && next[name] != lines {
			err = fmt.Errorf("%s: %d lines, want %d", name, next[name], lines)
		}
	}
	return err
}
