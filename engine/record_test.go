package engine

import (
	"errors"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// floodAndQuick is a plan of a process that prints more than a pipe and a
// small record share hold, and one that prints a few lines and exits.
func floodAndQuick(flood int) Plan {
	return Plan{Processes: []Process{
		mainProc("flood", spec("lines", strconv.Itoa(flood))),
		mainProc("quick", spec("lines", "100")),
	}}
}

// stalledRecord subscribes a record whose share is 1,000 lines and which
// nobody reads yet.
func stalledRecord(e *Engine) *Subscription {
	s := e.Subscribe(SubscribeOptions{Record: true})
	s.share = share{lines: 1000, bytes: 8 << 20}
	return s
}

// held is how many of process src's lines s holds.
func held(s *Subscription, src int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.heldLocked(src).lines
}

// waitHeld waits until rec holds flood's full share (flood is held back).
func waitHeld(t *testing.T, e *Engine, rec *Subscription) {
	t.Helper()
	flood := e.tab().byName["flood"].idx + 1
	deadline := time.Now().Add(waitLimit)
	for held(rec, flood) < rec.share.lines {
		if time.Now().After(deadline) {
			t.Fatalf("flood's share never filled: %d lines held", held(rec, flood))
		}
		time.Sleep(time.Millisecond)
	}
}

// snapshotWithin fails the test if Snapshot (which takes each unit's line
// lock, as the printer does) does not return promptly.
func snapshotWithin(t *testing.T, e *Engine) []ProcessStatus {
	t.Helper()
	got := make(chan []ProcessStatus, 1)
	go func() { got <- e.Snapshot() }()
	select {
	case st := <-got:
		return st
	case <-time.After(waitLimit):
		t.Fatal("Snapshot blocked while a reader waited for a record")
		return nil
	}
}

// A record that does not read holds back only the process whose share it
// filled: the other process runs to its end, the engine and Snapshot go
// on, the flood holds at most its share plus a read per stream, and once
// the record reads, it gets every line of both, in order.
func TestBlockedRecordSlowsOnlyItsProcess(t *testing.T) {
	const lines = 50_000 // 5 MB: far beyond a pipe and the share
	e, view := newRecorded(t, floodAndQuick(lines))
	rec := stalledRecord(e)
	wait := start(t, e)

	view.waitType(t, ProcessExit, "quick")
	waitHeld(t, e, rec)
	if i := index(view.sofar(), ProcessExit, "flood"); i >= 0 {
		t.Fatal("flood exited while the record held it back")
	}
	for _, st := range snapshotWithin(t, e) {
		if st.Name == "flood" && !running(st.Status.State) {
			t.Errorf("flood is %s while held back, want running", st.Status.State)
		}
	}
	flood := e.tab().byName["flood"].idx + 1
	if n := held(rec, flood); n > 1000+2*700 { // a 64 KiB read is ~656 lines
		t.Errorf("the record holds %d of flood's lines, want its share (1000) plus at most a read per stream", n)
	}

	got := make(chan error, 1)
	go func() { got <- readInOrder(rec, map[string]int{"flood": lines, "quick": 100}, 0) }()
	if code := wait(); code != 0 {
		t.Errorf("exit code %d", code)
	}
	if err := <-got; err != nil {
		t.Error(err)
	}
}

// A shutdown while a record holds a process back waits for the record:
// once it reads, it gets every line the process wrote, with no gap. A
// second request forces the shutdown even if the record never reads again.
func TestShutdownWithBlockedRecord(t *testing.T) {
	t.Run("orderly", func(t *testing.T) {
		e, view := newRecorded(t, floodAndQuick(200_000))
		rec := stalledRecord(e)
		wait := start(t, e)
		view.waitType(t, ProcessExit, "quick")
		waitHeld(t, e, rec)
		e.Quit()
		view.waitType(t, Shutdown, "")
		n, err := readPrefix(rec, "flood")
		if code := wait(); code != 0 {
			t.Errorf("exit code %d", code)
		}
		if err != nil || n < 1000 {
			t.Errorf("record after the shutdown: %d lines, %v", n, err)
		}
	})
	t.Run("forced", func(t *testing.T) {
		e, view := newRecorded(t, floodAndQuick(200_000))
		rec := stalledRecord(e)
		wait := start(t, e)
		view.waitType(t, ProcessExit, "quick")
		waitHeld(t, e, rec)
		e.Quit()
		e.Quit()
		wait() // fails the test if Run does not return
		rec.Close()
	})
}

// Time a reader spends waiting for a record after its process exited does
// not count against the 150 ms drain: the lines still in the pipe arrive.
func TestDrainWaitsForRecord(t *testing.T) {
	const lines = 1000 // 100 KB: the first read takes 64 KiB, the rest fits the pipe
	e, view := newRecorded(t, Plan{Processes: []Process{mainProc("flood", spec("lines", strconv.Itoa(lines)))}})
	rec := e.Subscribe(SubscribeOptions{Record: true})
	rec.share = share{lines: 1, bytes: 1} // the reader waits after every read
	wait := start(t, e)
	pid := view.waitType(t, ProcessSpawn, "flood").Pid
	deadline := time.Now().Add(waitLimit)
	for syscall.Kill(pid, 0) == nil { // until the child exited and was reaped
		if time.Now().After(deadline) {
			t.Fatal("flood did not exit while its reader waited")
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(3 * 150 * time.Millisecond) // the scenario: well past the drain
	if err := readInOrder(rec, map[string]int{"flood": lines}, 0); err != nil {
		t.Error(err)
	}
	if code := wait(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// readPrefix drains s until it is done and returns how many lines of
// process it got; an error if they are not 0, 1, 2, ... without a gap.
func readPrefix(s *Subscription, process string) (int, error) {
	next := 0
	var err error
	for {
		done := false
		select {
		case <-s.Ready():
		case <-s.Done():
			done = true
		case <-time.After(waitLimit):
			return next, errors.New("record not done")
		}
		s.Each(func(ev *Event) {
			if ev.Type != ProcessLog || ev.Process != process || err != nil {
				return
			}
			if i, _ := strconv.Atoi(ev.Line[:8]); i != next {
				err = errors.New("line " + ev.Line[:8] + " where " + strconv.Itoa(next) + " was due")
			}
			next++
		})
		if done {
			return next, err
		}
	}
}

// A record closed while it holds a process back (its destination failed)
// never blocks again: the process runs to its end, and RecordFailed makes
// the exit code 1 and is published as lifecycle:error.
func TestFailedRecordDetaches(t *testing.T) {
	e, view := newRecorded(t, floodAndQuick(50_000))
	rec := stalledRecord(e)
	wait := start(t, e)
	view.waitType(t, ProcessExit, "quick")
	waitHeld(t, e, rec)
	rec.Close()
	e.RecordFailed("events file x", errors.New("no space left on device"))
	if code := wait(); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	evs := view.all(t)
	i := index(evs, LifecycleError, "")
	if i < 0 || evs[i].Error != "events file x: no space left on device" {
		t.Errorf("no lifecycle:error for the record: %v", summary(evs))
	}
	if index(evs, ProcessExit, "flood") < 0 {
		t.Error("flood did not run to its end after the record was detached")
	}
}

// sofar returns the events recorded so far.
func (r *recorder) sofar() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

// A record that falls behind holds at most its share of a process's lines,
// 8 Ki lines or 1 MiB (plus a read per stream), not tens of megabytes: the
// process waits on its pipe beyond that. 30,000 lines (3 MB) are far more
// than the share, so the flood's reader must wait before the flood ends.
func TestStalledRecordHoldsItsShareOnly(t *testing.T) {
	const lines = 30_000
	e, view := newRecorded(t, floodAndQuick(lines))
	rec := e.Subscribe(SubscribeOptions{Record: true})
	wait := start(t, e)
	flood := e.tab().byName["flood"].idx + 1
	deadline := time.Now().Add(waitLimit)
	for !readerWaits(rec) {
		if i := index(view.sofar(), ProcessExit, "flood"); i >= 0 || time.Now().After(deadline) {
			rec.mu.Lock()
			sh := rec.heldLocked(flood)
			rec.mu.Unlock()
			t.Fatalf("flood's reader never waited: the record holds %d lines, %d bytes", sh.lines, sh.bytes)
		}
		time.Sleep(time.Millisecond)
	}
	rec.mu.Lock()
	sh := rec.heldLocked(flood)
	rec.mu.Unlock()
	const read = 700 // lines of a 64 KiB read, each ~100 bytes
	if sh.lines > 8<<10+2*read || sh.bytes > 1<<20+2*64<<10 {
		t.Errorf("the record holds %d lines, %d bytes of flood's, want at most 8 Ki lines or 1 MiB plus a read per stream", sh.lines, sh.bytes)
	}
	got := make(chan error, 1)
	go func() { got <- readInOrder(rec, map[string]int{"flood": lines, "quick": 100}, 0) }()
	if code := wait(); code != 0 {
		t.Errorf("exit code %d", code)
	}
	if err := <-got; err != nil {
		t.Error(err)
	}
}

// readerWaits reports whether a process's reader waits for room in s.
func readerWaits(s *Subscription) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.room != nil
}
