package unit

import (
	"testing"
	"time"
)

// A unit that continues another one starts nothing before that one has
// closed, then takes over its lines and counts and reports its first spawn
// as a restart for the reason given.
func TestInheritWaitsAndTakesOver(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	a := newUnit(t, Spec{Name: "a", Argv: []string{"sh", "-c", "echo old; exec sleep 30"}, StopTimeout: time.Second}, ra.options())
	a.Start()
	ra.state(t, 5*time.Second, StateStarting)
	eventually(t, 5*time.Second, "a's line in its ring", func() bool { return len(a.Logs(10)) == 1 })
	a.RestartFor("manual") // a has restarted once: b carries it on
	ra.next(t, 5*time.Second, EventSpawn)
	ra.next(t, 5*time.Second, EventSpawn)
	opts := rb.options()
	opts.Inherit = &Inherit{From: a, Reason: "reload"}
	b := newUnit(t, Spec{Name: "a", Argv: []string{"sh", "-c", "echo new; exec sleep 30"}}, opts)
	b.Start()
	if s := b.Status(); s.State != StatePending || s.Restarts != 1 {
		t.Errorf("b before a closed: %+v, want pending with a's restart count", s)
	}
	select {
	case e := <-rb.ch:
		t.Fatalf("b reported %s before a closed", fmtEvent(e))
	case <-time.After(100 * time.Millisecond): // nothing may happen: a runs
	}
	a.Close()
	restart := rb.next(t, 5*time.Second, EventRestart)
	spawn := rb.next(t, 5*time.Second, EventSpawn)
	if restart.Reason != "reload" || restart.Attempt != 3 || spawn.Attempt != 3 {
		t.Errorf("restart %s, spawn %s: want reason reload, attempt 3", fmtEvent(restart), fmtEvent(spawn))
	}
	eventually(t, 5*time.Second, "both lines in b's ring", func() bool { return len(b.Logs(10)) == 3 })
	if got := b.Logs(10); got[0].Text != "old" || got[2].Text != "new" {
		t.Errorf("b's ring %v, want a's lines then b's", got)
	}
	if s := b.Status(); s.Restarts != 2 {
		t.Errorf("b's restarts %d, want 2 (a's one and the reload)", s.Restarts)
	}
}

// A continuing unit closes at once when asked before it took over: it
// never waits for the unit it continues.
func TestInheritCloseBeforeTakeover(t *testing.T) {
	ra := newRecorder()
	a := newUnit(t, Spec{Name: "a", Argv: []string{"sh", "-c", "exec sleep 30"}, StopTimeout: time.Second}, ra.options())
	a.Start()
	ra.state(t, 5*time.Second, StateStarting)
	b, err := New(Spec{Name: "a", Argv: []string{"true"}}, Options{Inherit: &Inherit{From: a}})
	if err != nil {
		t.Fatal(err)
	}
	b.Start()
	done := make(chan struct{})
	go func() { b.Close(); close(done) }()
	closedWithin(t, done, 5*time.Second)
	if s := b.Status(); s.Pid != 0 || s.State != StatePending {
		t.Errorf("b after Close: %+v, want pending, never spawned", s)
	}
}
