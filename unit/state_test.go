package unit

import (
	"fmt"
	"testing"
	"time"
)

func TestTransitionTable(t *testing.T) {
	legal := map[[2]State]bool{}
	for _, p := range [][2]State{
		{StatePending, StateStarting}, {StatePending, StateFailed}, {StatePending, StateStopped},
		{StateStarting, StateReady}, {StateStarting, StateStopping}, {StateStarting, StateCompleted},
		{StateStarting, StateCrashed}, {StateStarting, StateFailed},
		{StateReady, StateStopping}, {StateReady, StateCompleted}, {StateReady, StateCrashed}, {StateReady, StateFailed},
		{StateStopping, StateStopped},
		{StateStopped, StateStarting}, {StateStopped, StatePending},
		{StateCompleted, StateStarting}, {StateCompleted, StateStopped},
		{StateCrashed, StateStarting}, {StateCrashed, StateStopped}, {StateCrashed, StateFailed},
		{StateFailed, StateStarting},
	} {
		legal[p] = true
	}
	for from := StatePending; from <= StateFailed; from++ {
		for to := StatePending; to <= StateFailed; to++ {
			if got, want := canTransition(from, to), legal[[2]State{from, to}]; got != want {
				t.Errorf("canTransition(%s, %s) = %v, want %v", from, to, got, want)
			}
		}
	}
}

func TestIllegalTransitionPanicsInTests(t *testing.T) {
	u := &Unit{opts: Options{StrictTransitions: true}}
	u.state = StatePending
	defer func() {
		if recover() == nil {
			t.Error("pending → ready did not panic")
		}
	}()
	u.snap.Store(&Status{})
	u.setState(StateReady)
}

func TestStateString(t *testing.T) {
	for s, want := range []string{"pending", "starting", "ready", "stopping", "stopped", "completed", "crashed", "failed"} {
		if got := State(s).String(); got != want {
			t.Errorf("State(%d) = %q, want %q", s, got, want)
		}
	}
	if got := State(99).String(); got != "State(99)" {
		t.Errorf("State(99) = %q", got)
	}
}

func TestBackoff(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		base, limit time.Duration
		n           int
		want        time.Duration
	}{
		{time.Second, 30 * time.Second, 0, time.Second},
		{time.Second, 30 * time.Second, 1, 2 * time.Second},
		{time.Second, 30 * time.Second, 4, 16 * time.Second},
		{time.Second, 30 * time.Second, 5, 30 * time.Second},
		{time.Second, 30 * time.Second, 1000, 30 * time.Second}, // no overflow
		{20 * ms, 50 * ms, 2, 50 * ms},
		{time.Minute, 30 * time.Second, 0, 30 * time.Second}, // the cap wins
	} {
		if got := backoff(tc.base, tc.limit, tc.n); got != tc.want {
			t.Errorf("backoff(%v, %v, %d) = %v, want %v", tc.base, tc.limit, tc.n, got, tc.want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		60 * time.Second:        "1m",
		10 * time.Minute:        "10m",
		300 * time.Millisecond:  "300ms",
		90 * time.Second:        "1m30s",
		1500 * time.Millisecond: "1.5s",
		2 * time.Hour:           "2h",
		90 * time.Minute:        "1h30m",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestSpecDefaults(t *testing.T) {
	s, err := Spec{Argv: []string{"x"}, Ready: []Check{{Kind: CheckLog, Pattern: "a"}, {Kind: CheckExit}, {Kind: CheckHTTP, URL: "http://x"}}}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(s.Backoff, s.MaxBackoff, s.StopSignal, s.StopTimeout, s.LogLines, s.StableAfter,
		s.Ready[0].Timeout, s.Ready[0].Count, s.Ready[1].Timeout, s.Ready[2].Status)
	if want := "0s 0s terminated 0s 1000 10s 1m0s 1 10m0s 200"; got != want { // zero durations mean "at once"
		t.Errorf("defaults = %s, want %s", got, want)
	}
	_, err = New(Spec{Name: "bad", Ready: []Check{{Kind: CheckLog, Pattern: "("}}}, Options{})
	if err == nil {
		t.Fatal("New accepted an empty command and a bad pattern")
	}
	want := `unit "bad": empty command` + "\n" + `ready.log("("): error parsing regexp: missing closing ): ` + "`(`"
	if err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}
