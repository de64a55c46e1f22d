package main

import (
	"bufio"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// burst FILE N DURATION: append N lines to FILE, spread over DURATION (an
// editor's or a build's burst of writes).
func cmdBurst(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: burst FILE N DURATION")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	d, err := time.ParseDuration(args[2])
	ts.Check(err)
	f, err := os.OpenFile(ts.MkAbs(args[0]), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	ts.Check(err)
	defer f.Close()
	for i := range n {
		_, err := f.WriteString(strconv.Itoa(i) + "\n")
		ts.Check(err)
		time.Sleep(d / time.Duration(n)) // the burst's own pace, not a wait for anything
	}
}

// eventcount FILE TYPE PROCESS N [REASON...]: wait until the events file FILE
// holds N events TYPE of PROCESS; with reasons, the reasons of those
// events, in order, must be these (a substring each). "!" instead of
// waiting checks there are exactly N, for after the run.
func cmdEventCount(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 4 {
		ts.Fatalf("usage: [!] eventcount FILE TYPE PROCESS N [REASON...]")
	}
	want, err := strconv.Atoi(args[3])
	ts.Check(err)
	var reasons []string
	read := func() {
		reasons = reasons[:0]
		f, err := os.Open(ts.MkAbs(args[0]))
		if err != nil {
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var ev struct{ Type, Process, Reason string }
			if json.Unmarshal(sc.Bytes(), &ev) == nil && ev.Type == args[1] && ev.Process == args[2] {
				reasons = append(reasons, ev.Reason)
			}
		}
	}
	if neg {
		read()
		if len(reasons) != want {
			ts.Fatalf("%d %s events of %s, want exactly %d: %q", len(reasons), args[1], args[2], want, reasons)
		}
	} else {
		poll(ts, strconv.Itoa(want)+" "+args[1]+" of "+args[2], func() bool { read(); return len(reasons) >= want })
	}
	for i, r := range args[4:] {
		if i >= len(reasons) || !strings.Contains(reasons[i], r) {
			ts.Fatalf("%s events of %s: reasons %q, want %q", args[1], args[2], reasons, args[4:])
		}
	}
}
