package tui

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/ovrseer/ovrseer/engine"
)

// floodCmd prints a million 100-byte lines, then waits.
const floodCmd = `awk 'BEGIN { s = sprintf("%092d", 0); for (i = 1; i <= 1000000; i++) print s, i }'; exec sleep 30`

// headlessFlood runs the flood headless (to io.Discard) and returns how
// long until the last line was written.
func headlessFlood(b *testing.B) time.Duration {
	p := shProc("flood", engine.Main, strings.Replace(floodCmd, "; exec sleep 30", "", 1))
	e, err := engine.New(engine.Plan{Processes: []engine.Process{p}}, engine.Options{})
	if err != nil {
		b.Fatal(err)
	}
	sub := e.Subscribe(engine.SubscribeOptions{Record: true})
	h := NewHeadless(io.Discard, HeadlessOptions{Names: []string{"flood"}})
	start := time.Now()
	printed := make(chan struct{})
	go func() { h.Run(sub); close(printed) }()
	e.Run(context.Background()) // ends when the flood has exited
	<-printed
	return time.Since(start)
}

// uiFlood runs the flood with the UI on a simulation screen and returns
// how long until the last line was on the screen.
func uiFlood(b *testing.B) time.Duration {
	start := time.Now()
	h := startUI(b, shProc("flood", engine.Main, floodCmd))
	h.scr.waitText(b, " 1000000")
	d := time.Since(start)
	h.quit(b)
	return d
}

func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// BenchmarkW5Flood measures the flood with the UI against headless in the
// same run, three of each, and reports the medians and their ratio
// (docs/performance.md, W5).
func BenchmarkW5Flood(b *testing.B) {
	var hs, us []time.Duration
	for range 3 {
		hs = append(hs, headlessFlood(b))
		us = append(us, uiFlood(b))
	}
	hm, um := median(hs), median(us)
	b.ReportMetric(float64(hm.Milliseconds()), "headless-ms")
	b.ReportMetric(float64(um.Milliseconds()), "ui-ms")
	b.ReportMetric(float64(um)/float64(hm), "ratio")
}

// BenchmarkW5KeyLatency measures key → screen under a sustained flood: j
// and k switch between two processes; each sample is the time from the
// key to the first frame showing the other process's log.
func BenchmarkW5KeyLatency(b *testing.B) {
	flood := shProc("flood", engine.Main, `awk 'BEGIN { s = sprintf("%092d", 0); for (i = 1; ; i++) print s, i }'`)
	other := shProc("other", engine.Main, `echo other; exec sleep 60`)
	h := startUI(b, flood, other)
	h.scr.waitText(b, "flood (follow)")
	var samples []time.Duration
	want := []string{"other (follow)", "flood (follow)"}
	for i := range 60 {
		start := time.Now()
		key := 'j'
		if i%2 == 1 {
			key = 'k'
		}
		h.scr.InjectKey(tcell.KeyRune, key, tcell.ModNone)
		h.scr.waitText(b, want[i%2])
		samples = append(samples, time.Since(start))
	}
	slices.Sort(samples)
	b.ReportMetric(float64(samples[len(samples)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(samples[len(samples)*99/100].Microseconds())/1000, "p99-ms")
	h.quit(b)
}
