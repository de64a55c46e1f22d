package control

import (
	"syscall"
	"testing"

	"github.com/ovrseer/ovrseer/unit"
)

// A signal's name on the wire reads back as the signal, named or not.
func TestSignalNumberReadsSignalName(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM, 40, 63} {
		if got := signalNumber(unit.SignalName(sig)); got != sig {
			t.Errorf("signalNumber(%q) = %d, want %d", unit.SignalName(sig), got, sig)
		}
	}
}
