package engine

import "testing"

// A feed queues what its owner publishes, drops log events beyond its
// LogBuffer (counted) but never others, and ends on End.
func TestFeed(t *testing.T) {
	f := NewFeed(SubscribeOptions{LogBuffer: 2})
	for range 4 {
		f.Publish(&Event{Type: ProcessLog, Process: "a", Group: Main, Stream: "stdout", Line: "x"})
	}
	f.Publish(&Event{Type: ProcessSpawn, Process: "a", Pid: 7})
	select {
	case <-f.Ready():
	default:
		t.Fatal("Ready not signalled")
	}
	f.End()
	f.Publish(&Event{Type: ProcessExit, Process: "a"})
	<-f.Done()
	evs := f.Take(nil)
	var types []Type
	for _, ev := range evs {
		types = append(types, ev.Type)
	}
	want := []Type{ProcessLog, ProcessLog, EventsDropped, ProcessSpawn}
	if len(types) != len(want) {
		t.Fatalf("got %v, want %v", types, want)
	}
	for i := range want {
		if types[i] != want[i] {
			t.Fatalf("got %v, want %v", types, want)
		}
	}
	if evs[2].Count != 2 || evs[3].Pid != 7 {
		t.Fatalf("dropped %d, pid %d", evs[2].Count, evs[3].Pid)
	}
	f.Close() // no engine: a no-op beyond End
}
