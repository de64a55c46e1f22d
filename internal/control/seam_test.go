package control

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/flagset"
)

// What `ovrseer attach` shows of a process flooding numbered lines: the
// history it seeds the UI with (Remote.Logs after Remote.Subscribe) and the
// live lines after it meet exactly: no line twice, and no line missing but
// those a lagging view is told it lost (events:dropped, counted). (Lines
// printed between the subscription and the read of the history used to
// come twice.)
func TestAttachSeamUnderAFlood(t *testing.T) {
	flood := shProc("flood", `i=0; while :; do echo $i; i=$((i+1)); done`)
	flood.Spec.LogLines = 5000
	e, c := startStack(t, flood)
	deadline := time.Now().Add(testWait)
	for { // the flood is well under way
		if ls, _ := e.Logs("flood", 1); len(ls) == 1 && atoi(t, ls[0].Text) > 20000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the flood did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for range 5 { // five attaches: the old seam doubled lines most times, not every time
		attachSeam(t, c)
	}
}

// attachSeam attaches to the flood and checks the seam and 5000 live
// lines after it.
func attachSeam(t *testing.T, c *Client) {
	r := NewRemote(c)
	defer r.Close()
	sub := r.Subscribe(engine.SubscribeOptions{LogBuffer: 1 << 20})
	defer sub.Close()
	seed, err := r.Logs("flood", 5000)
	if err != nil || len(seed) == 0 {
		t.Fatalf("seed: %d lines, %v", len(seed), err)
	}
	prev := atoi(t, seed[0].Text)
	for _, l := range seed[1:] {
		if n := atoi(t, l.Text); n != prev+1 {
			t.Fatalf("the seed jumps from %d to %d", prev, n)
		} else {
			prev = n
		}
	}
	lost, live := 0, 0
	for live < 5000 {
		select {
		case <-sub.Ready():
		case <-time.After(testWait):
			t.Fatalf("no live line after %d", prev)
		}
		for _, ev := range sub.Take(nil) {
			switch {
			case ev.Type == engine.EventsDropped:
				lost += ev.Count
			case ev.Type == engine.ProcessLog && ev.Process == "flood":
				n := atoi(t, ev.Line)
				if n <= prev {
					t.Fatalf("line %d again after %d (%d live lines in)", n, prev, live)
				}
				if n != prev+1+lost {
					t.Fatalf("after %d came %d, with %d lines reported lost (%d live lines in)", prev, n, lost, live)
				}
				prev, lost = n, 0
				live++
			}
		}
	}
}

// `ovrseer logs -f` of a flood: the ring's last lines and the live ones
// after them meet exactly too. (They used to be told apart by their time,
// right only as long as the wall clock never goes back; this test guards
// the seam, it did not fail before.)
func TestLogsFollowSeamUnderAFlood(t *testing.T) {
	flood := shProc("flood", `i=0; while :; do echo $i; i=$((i+1)); done`)
	_, c := startStack(t, flood)
	for range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), testWait)
		body, err := c.Stream(ctx, "/v1/processes/flood/logs?n=1000&follow=1")
		if err != nil {
			t.Fatal(err)
		}
		prev, lost, n := -1, 0, 0
		Lines(body, func(b []byte) bool {
			var l LogLine
			if err := json.Unmarshal(b, &l); err != nil {
				t.Fatalf("line %q: %v", b, err)
			}
			if l.Dropped > 0 {
				lost += l.Dropped
				return true
			}
			k := atoi(t, l.Line)
			if prev >= 0 && k != prev+1+lost {
				t.Fatalf("after %d came %d, with %d lines reported lost (line %d of the answer)", prev, k, lost, n)
			}
			prev, lost = k, 0
			n++
			return n < 5000
		})
		body.Close()
		cancel()
		if n < 5000 {
			t.Fatalf("%d lines followed", n)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("line %q", s)
	}
	return n
}

// A flag's colour crosses the API: the flag:matched and flag:exceeded
// events `ovrseer attach` receives carry it, so the attached UI colours the
// counts and matches as the run's own UI does.
func TestFlagColourThroughTheAPI(t *testing.T) {
	p := shProc("web", `echo "ERROR boom"; exec sleep 100`)
	p.Spec.Flags = []flagset.Flag{{Name: "errors", Pattern: "ERROR", Color: flagset.Red, Target: 0}}
	_, c := startStack(t, p)
	r := NewRemote(c)
	defer r.Close()
	sub := r.Subscribe(engine.SubscribeOptions{})
	defer sub.Close()
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	got := map[engine.Type]string{}
	for len(got) < 2 {
		select {
		case <-sub.Ready():
		case <-ctx.Done():
			t.Fatalf("flag events seen: %v", got)
		}
		for _, ev := range sub.Take(nil) {
			if ev.Type == engine.FlagMatched || ev.Type == engine.FlagExceeded {
				got[ev.Type] = ev.Color
			}
		}
	}
	for typ, color := range got {
		if color != "red" {
			t.Errorf("%s: colour %q, want red", typ, color)
		}
	}
}
