package ansi_test

import (
	"testing"

	"github.com/ovrseer/ovrseer/internal/ansi"
)

var benchLines = []struct{ name, line string }{
	{"ascii", `2026-12-04T05:12:44.120Z INFO  http: GET /api/v1/users/42 200 12.3ms bytes=1832 ua="curl/8.5.0"`},
	{"utf8", `2026-12-04T05:12:44.120Z INFO  café ✓ — température 21°C, durée 12 ms, utilisateur « Zoë »`},
	{"sgr", "\x1b[2m2026-12-04T05:12:44.120Z\x1b[0m \x1b[32mINFO\x1b[0m http: GET /api/v1/users/42 \x1b[1m200\x1b[0m 12.3ms"},
	{"hostile", "\x1b]52;c;aGVsbG8=\x07\x1b]0;pwned\x1b\\\x1b[2J\x1b[H\x07 progress 10%\r progress 100% done"},
}

// BenchmarkWrite is the headless output's cost per line: the check, and
// the rewrite when the check fails.
func BenchmarkWrite(b *testing.B) {
	for _, bl := range benchLines {
		b.Run(bl.name, func(b *testing.B) {
			buf := make([]byte, 0, 256)
			b.SetBytes(int64(len(bl.line)))
			b.ReportAllocs()
			for b.Loop() {
				if ansi.Safe(bl.line) {
					buf = append(buf[:0], bl.line...)
				} else {
					buf = ansi.AppendSafe(buf[:0], bl.line)
				}
			}
		})
	}
}

// BenchmarkStrip is what matching pays per line.
func BenchmarkStrip(b *testing.B) {
	for _, bl := range benchLines {
		b.Run(bl.name, func(b *testing.B) {
			buf := make([]byte, 0, 256)
			b.SetBytes(int64(len(bl.line)))
			b.ReportAllocs()
			for b.Loop() {
				if !ansi.Plain(bl.line) {
					buf = ansi.AppendStrip(buf[:0], bl.line)
				}
			}
		})
	}
}
