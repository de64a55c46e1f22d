package tui

import (
	"context"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// TestDrainCoalescesAFlood drives the drain with a real engine: every line
// of a flood arrives, in order, in few updates (at most one per frame).
func TestDrainCoalescesAFlood(t *testing.T) {
	const n = 200000
	e, err := engine.New(engine.Plan{Processes: []engine.Process{
		shProc("flood", engine.Main, `awk 'BEGIN { for (i = 1; i <= 200000; i++) print i }'`),
	}}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub := e.Subscribe(engine.SubscribeOptions{LogBuffer: logBuffer})
	defer sub.Close()
	var posts, lines, dropped int
	var last string
	var first, end time.Time
	d := newDrain(sub, e, func(u *update) {
		posts++
		for _, pl := range u.order {
			if len(pl.lines) > 2*maxViewLines {
				t.Errorf("an update holds %d lines", len(pl.lines))
			}
			if lines == 0 {
				first = time.Now()
			}
			lines += len(pl.lines)
			last = pl.lines[len(pl.lines)-1]
		}
		dropped += u.dropped
		end = time.Now()
	})
	go func() { e.Run(context.Background()) }() // ends: every main process ended
	ran := make(chan struct{})
	go func() { d.run(); close(ran) }()
	select {
	case <-ran:
	case <-time.After(uiDeadline):
		t.Fatal("the drain did not finish after lifecycle:exit")
	}
	if dropped != 0 || last != "200000" {
		t.Errorf("dropped %d, last line %q", dropped, last)
	}
	// An update holds at most 2*maxViewLines of a process's newest lines
	// (the view keeps fewer); the rest stay in the engine's ring.
	if lines > n {
		t.Errorf("%d lines arrived in %d updates", lines, posts)
	}
	frames := int(end.Sub(first)/frameInterval) + 1
	if posts > frames+6 {
		t.Errorf("%d updates over %v: more than one per frame", posts, end.Sub(first))
	}
	t.Logf("%d lines in %d updates over %v", lines, posts, end.Sub(first))
}
