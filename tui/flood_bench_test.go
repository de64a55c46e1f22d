package tui

import (
	"testing"

	"github.com/ovrseer/ovrseer/engine"
)

// BenchmarkUIFlood runs a million 100-byte lines through the engine and
// the UI (on a simulation screen) until the last one is on the screen.
func BenchmarkUIFlood(b *testing.B) {
	for i := 0; i < b.N; i++ {
		h := startUI(b, shProc("flood", engine.Main, `awk 'BEGIN { s = sprintf("%092d", 0); for (i = 1; i <= 1000000; i++) print s, i }'; exec sleep 30`))
		h.scr.waitText(b, " 1000000")
		h.quit(b)
	}
}
