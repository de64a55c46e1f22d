package reaper

import (
	"syscall"
	"testing"
	"time"
)

// Settle lets an adopted member of another group that dies go unnamed,
// returns one that stays (after the deadline) and a setsid daemon (at once).
func TestSettle(t *testing.T) {
	c, pids := startPids(t, sh("(sleep 1000 & echo $!); (setsid sleep 1001 & echo $!); (sleep 1003 & echo $!); exec sleep 1002"), 3)
	dying, daemon, staying := pids[0], pids[1], pids[2]
	t.Cleanup(func() {
		syscall.Kill(-c.Pid, syscall.SIGKILL)
		syscall.Kill(daemon, syscall.SIGKILL)
		exited(t, c)
	})
	var found []*Escape
	for deadline := time.Now().Add(10 * time.Second); len(found) < 3; time.Sleep(5 * time.Millisecond) {
		Release(found)
		if time.Now().After(deadline) {
			t.Fatalf("found %d escapes, want 3 (the subshells have not exited?)", len(found))
		}
		found = Escapes(func(unit string) bool { return unit == "test" })
	}
	syscall.Kill(dying, syscall.SIGKILL)
	left := Settle(found, time.Now().Add(2*time.Second)) // the staying one takes it all
	defer Release(left)
	got := map[int]bool{}
	for _, e := range left {
		got[e.Pid] = true
	}
	if len(left) != 2 || !got[daemon] || !got[staying] || got[dying] {
		t.Errorf("left %v, want the daemon %d and the member that stays %d, not the one that died %d", got, daemon, staying, dying)
	}
}
