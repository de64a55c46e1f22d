package engine

import (
	"strconv"
	"testing"
	"time"
)

// A subscriber that never reads does not hold back a process printing
// 1,000,000 lines (floodLines: fewer under -race); it loses only log events, is told how many, and still
// gets every lifecycle event. A subscriber that keeps up loses nothing.
func TestStuckSubscriberDoesNotSlowProcess(t *testing.T) {
	const lines = floodLines
	checkGoroutines(t)
	e, err := New(Plan{Processes: []Process{mainProc("flood", spec("lines", strconv.Itoa(lines)))}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	stuck := e.Subscribe(SubscribeOptions{LogBuffer: 1000})
	reader := e.Subscribe(SubscribeOptions{})
	counted := make(chan [2]int, 1)
	go func() { counted <- countLogs(reader) }()
	t0 := time.Now()
	code := start(t, e)()
	elapsed := time.Since(t0)
	if code != 0 {
		t.Errorf("exit code %d", code)
	}
	select {
	case c := <-counted:
		if c[0] != lines || c[1] != 0 {
			t.Errorf("reading subscriber got %d lines and was told of %d losses, want %d and 0", c[0], c[1], lines)
		}
	case <-time.After(waitLimit):
		t.Fatal("reading subscriber not done")
	}

	select {
	case <-stuck.Done():
	default:
		t.Fatal("stuck subscription not done after Run")
	}
	got := stuck.Take(nil)
	logs, dropped := 0, 0
	var lifecycle []Type
	for _, ev := range got {
		switch {
		case ev.Type == ProcessLog:
			logs++
		case ev.Type == EventsDropped:
			dropped += ev.Count
		case ev.Type.IsLifecycle():
			lifecycle = append(lifecycle, ev.Type)
		}
	}
	if logs != 1000 || logs+dropped != lines {
		t.Errorf("stuck subscriber: %d lines kept + %d dropped, want 1000 + %d", logs, dropped, lines-1000)
	}
	want := []Type{DependenciesReady, MainStarted, MainReady, Shutdown, MainStopped, CleanupStarted, CleanupComplete, LifecycleExit}
	if len(lifecycle) != len(want) {
		t.Fatalf("stuck subscriber lifecycle events %v, want %v", lifecycle, want)
	}
	for i := range want {
		if lifecycle[i] != want[i] {
			t.Fatalf("stuck subscriber lifecycle events %v, want %v", lifecycle, want)
		}
	}
	for _, typ := range []Type{ProcessSpawn, ProcessExit} {
		if index(got, typ, "flood") < 0 {
			t.Errorf("stuck subscriber lost %s", typ)
		}
	}
	t.Logf("%d lines in %s", lines, elapsed)
}

// countLogs drains s until it is done and returns how many log events it
// got and how many it was told it lost.
func countLogs(s *Subscription) [2]int {
	var n [2]int
	var batch []Event
	for {
		done := false
		select {
		case <-s.Ready():
		case <-s.Done():
			done = true
		}
		batch = s.Take(batch[:0])
		for i := range batch {
			switch batch[i].Type {
			case ProcessLog:
				n[0]++
			case EventsDropped:
				n[1] += batch[i].Count
			}
		}
		if done {
			return n
		}
	}
}
