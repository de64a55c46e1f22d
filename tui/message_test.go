package tui

import (
	"strings"
	"testing"

	"github.com/ovrseer/ovrseer/engine"
)

// The status line says how many presses of q force the shutdown: one more
// after a stop request began it, two when it began otherwise.
func TestShutdownMessageSaysHowToForce(t *testing.T) {
	for reason, want := range map[string]string{
		"quit":                     "q again forces it",
		"signal SIGINT":            "q again forces it",
		"signal SIGHUP":            "q again forces it",
		"tests exited with code 3": "q twice forces it",
		"timeout":                  "q twice forces it",
		"ctx.exit(0) in hook done": "q twice forces it",
	} {
		msg := eventMessage(&engine.Event{Type: engine.Shutdown, Reason: reason})
		if !strings.Contains(msg, reason) || !strings.HasSuffix(msg, want) {
			t.Errorf("reason %q: %q, want it to end with %q", reason, msg, want)
		}
	}
}
