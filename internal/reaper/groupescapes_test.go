package reaper

import (
	"slices"
	"syscall"
	"testing"
	"time"
)

// GroupEscapes finds a descendant that left its leader's group (setsid)
// while its parent still runs (not adopted yet), and only that one; the
// kernel's children lists and the fallback on every process agree.
func TestGroupEscapes(t *testing.T) {
	cmd := sh("setsid sleep 1001 & sleep 1002 & echo $!; exec >&-; wait")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	c, started := startPids(t, cmd, 1)
	defer func() {
		syscall.Kill(-c.Pid, syscall.SIGKILL)
		exited(t, c)
	}()
	inGroup := started[0]
	var escapes []*Escape
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) { // setsid has run sleep
		escapes = GroupEscapes(c.Pid, "u")
		if slices.ContainsFunc(escapes, func(e *Escape) bool { return e.Comm == "sleep" }) {
			break
		}
		Release(escapes)
		if time.Since(start) > 10*time.Second {
			t.Fatal("no escape found")
		}
	}
	defer Stop(escapes, syscall.SIGKILL, 0)
	if len(escapes) != 1 || escapes[0].Comm != "sleep" || escapes[0].Pid == inGroup || escapes[0].Unit != "u" {
		t.Fatalf("escapes %+v, want the setsid sleep alone (the one in the group is %d)", escapes, inGroup)
	}
	pids := func(ps []proc) []int {
		var out []int
		for _, p := range ps {
			out = append(out, p.pid)
		}
		slices.Sort(out)
		return out
	}
	byChildren, byParent := pids(descendants(c.Pid)), pids(descendantsByScan(c.Pid))
	if !slices.Equal(byChildren, byParent) || !slices.Contains(byParent, escapes[0].Pid) || !slices.Contains(byParent, inGroup) {
		t.Errorf("descendants %v by the children lists, %v by the parents", byChildren, byParent)
	}
}
