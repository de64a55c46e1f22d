package control

import (
	"testing"

	"github.com/ovrseer/ovrseer/engine"
)

// The history keeps the last historySize events but log lines (hook lines
// kept), numbers them, and tells a reader how many it lost.
func TestHistoryRing(t *testing.T) {
	h := newHistory()
	h.add(&engine.Event{Type: engine.ProcessLog, Process: "web", Group: engine.Main, Line: "x"})
	h.add(&engine.Event{Type: engine.ProcessLog, Process: "hook:h", Group: engine.Hooks, Line: "hook line"})
	// The history's own losses of lines it does not keep are nobody's.
	h.add(&engine.Event{Type: engine.EventsDropped, Process: "web", Group: engine.Main, Count: 9})
	for i := range historySize + 5 {
		h.add(&engine.Event{Type: engine.ProcessSpawn, Process: "web", Pid: i})
	}
	recs, lost, _, over := h.since(0, historySize*2, nil)
	if len(recs) != historySize || over {
		t.Fatalf("%d records (over %v), want %d", len(recs), over, historySize)
	}
	if recs[0].seq != 7 || lost != 6 { // the hook line and the first 5 spawns are gone
		t.Fatalf("first seq %d, lost %d; want 7, 6", recs[0].seq, lost)
	}
	if last := recs[len(recs)-1]; last.seq != historySize+6 || last.ev.Pid != historySize+4 {
		t.Fatalf("last record %d pid %d", last.seq, last.ev.Pid)
	}
	recs, lost, _, _ = h.since(historySize+4, 10, nil)
	if len(recs) != 2 || lost != 0 {
		t.Fatalf("since the end: %d records, lost %d", len(recs), lost)
	}
	h.end()
	if _, _, _, over := h.since(historySize+6, 10, nil); !over {
		t.Fatal("not over after end")
	}
}

// StripSeq gives back exactly the --events line.
func TestStripSeq(t *testing.T) {
	ev := engine.Event{Type: engine.ProcessSpawn, Process: "web", Group: engine.Main, Pid: 3, Attempt: 1}
	rec := record{seq: 42, ev: ev}
	line := appendRecord(nil, &rec)
	want := string(ev.AppendJSON(nil)) + "\n"
	if got := string(StripSeq(line[:len(line)-1])) + "\n"; got != want {
		t.Fatalf("got %s want %s", got, want)
	}
	var back engine.Event
	if seq, err := DecodeEvent(line, &back); err != nil || seq != 42 || back.Pid != 3 || back.Process != "web" {
		t.Fatalf("decode: %d %+v %v", seq, back, err)
	}
}
