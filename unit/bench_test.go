package unit

import (
	"strconv"
	"testing"
	"time"
)

// benchLines is the lines per run of BenchmarkLines.
var benchLines = 200_000

// BenchmarkLines runs a child printing 200k lines of 100 B through the whole
// unit path (pipes, splitter, ring, readiness and flag checks off, OnLine)
// and reports the cost per line, child included.
func BenchmarkLines(b *testing.B) {
	n := benchLines
	for b.Loop() {
		rec := newRecorder()
		rec.keep = false
		u, err := New(childSpec("flood", strconv.Itoa(n)), rec.options())
		if err != nil {
			b.Fatal(err)
		}
		u.Start()
		select {
		case <-waitKind(rec, EventExit):
		case <-time.After(30 * time.Second):
			b.Fatal("no exit")
		}
		u.Close()
		if got := rec.lines.Load(); got != int64(n) {
			b.Fatalf("%d lines, want %d", got, n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/line")
}

// waitKind is closed when rec reports an event of kind k.
func waitKind(rec *recorder, k EventKind) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		for e := range rec.ch {
			if e.Kind == k {
				close(done)
				return
			}
		}
	}()
	return done
}
