package logger

import (
	"bytes"
	"runtime"
	"testing"
	"time"
)

// BenchmarkSplitRing measures the per-line log path: 100-byte lines read in
// ~32 KiB chunks (so some lines straddle Writes, as on a pipe), split, copied
// to a string and appended to a ring. One op is one chunk; ns/line and
// allocs/line are the figures that matter.
func BenchmarkSplitRing(b *testing.B) {
	line := append(bytes.Repeat([]byte("0123456789"), 10)[:99], '\n')
	chunk := bytes.Repeat(line, 32<<10/len(line))
	chunk = append(chunk, line[:37]...) // shift: the next chunk starts mid-line
	perChunk := bytes.Count(chunk, []byte("\n"))
	r := NewRing(1000)
	now := time.Now()
	s := NewSplitter(func(l []byte) {
		r.Append(Line{Time: now, Stream: Stdout, Text: string(l)})
	})
	var before, after runtime.MemStats
	b.ReportAllocs()
	b.SetBytes(int64(len(chunk)))
	runtime.ReadMemStats(&before)
	for b.Loop() {
		s.Write(chunk)
	}
	runtime.ReadMemStats(&after)
	lines := float64(b.N * perChunk)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/lines, "ns/line")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/lines, "allocs/line")
}
