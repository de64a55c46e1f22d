package engine

import (
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/unit"
)

// SubscribeSeeded in the middle of a flood of numbered lines: the seed
// and then the lines of the subscription (a record: it loses nothing) are
// every line from the seed's first on, in order, none twice, none missing.
func TestSubscribeSeededSeamUnderAFlood(t *testing.T) {
	flood := mainProc("flood", unit.Spec{Argv: []string{"sh", "-c", `i=0; while :; do echo $i; i=$((i+1)); done`},
		StopTimeout: time.Second, LogLines: 3000})
	e, _ := newRecorded(t, Plan{Processes: []Process{flood}})
	wait := start(t, e)
	defer wait()
	defer e.Quit()
	deadline := time.Now().Add(waitLimit)
	for round := range 5 {
		for { // more lines than the ring holds came since the last round
			if ls, _ := e.Logs("flood", 1); len(ls) == 1 && num(t, ls[0].Text) > (round+2)*5000 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the flood did not go on")
			}
			time.Sleep(5 * time.Millisecond)
		}
		sub, seed := e.SubscribeSeeded(SubscribeOptions{Record: true}, func(name string) int {
			if name == "flood" {
				return math.MaxInt
			}
			return 0
		})
		lines := seed["flood"]
		if len(lines) != 3000 {
			t.Fatalf("round %d: seed of %d lines, want the ring's 3000", round, len(lines))
		}
		prev := num(t, lines[0].Text) - 1
		for _, l := range lines {
			if n := num(t, l.Text); n != prev+1 {
				t.Fatalf("round %d: in the seed, %d after %d", round, n, prev)
			}
			prev++
		}
		seedLast := prev
		for prev < seedLast+10000 {
			select {
			case <-sub.Ready():
			case <-time.After(waitLimit):
				t.Fatalf("round %d: no line after %d", round, prev)
			}
			sub.Each(func(ev *Event) {
				if ev.Type != ProcessLog || t.Failed() {
					return
				}
				if n := num(t, ev.Line); n != prev+1 {
					t.Errorf("round %d: %d after %d (the seed ended at %d)", round, n, prev, seedLast)
				}
				prev++
			})
			if t.Failed() {
				return
			}
		}
		sub.Close()
	}
}

func num(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("line %q", s)
	}
	return n
}
