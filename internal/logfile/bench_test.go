package logfile

import (
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkWriteEvent is the per-line cost of a log file: format, append,
// and the file writes (amortised), for each format.
func BenchmarkWriteEvent(b *testing.B) {
	for _, format := range []Format{Text, JSON} {
		b.Run(format.String(), func(b *testing.B) {
			dir := b.TempDir()
			w := New(Options{Files: map[string]string{"api": filepath.Join(dir, "api.log")}, Format: format, MaxSize: 1024})
			ev := logEv("api", "stdout", strings.Repeat("0", 99))
			b.ReportAllocs()
			b.SetBytes(100)
			for b.Loop() {
				w.WriteEvent(ev)
			}
			w.Close()
		})
	}
}

func TestWriteEventDoesNotAllocate(t *testing.T) {
	w := New(Options{Files: map[string]string{"api": filepath.Join(t.TempDir(), "api.log")}})
	ev := logEv("api", "stdout", strings.Repeat("0", 99))
	w.WriteEvent(ev) // opens the files
	if n := testing.AllocsPerRun(1000, func() { w.WriteEvent(ev) }); n > 0 {
		t.Errorf("%.1f allocations per line, want 0", n)
	}
	w.Close()
}
