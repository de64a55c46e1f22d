package reaper

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// GroupEscapes finds a descendant that left its leader's group (setsid)
// while its parent still runs (not adopted yet), and only that one; the
// kernel's children lists and the fallback on every process agree.
func TestGroupEscapes(t *testing.T) {
	cmd := sh("setsid sleep 1001 & sleep 1002 & echo $! >&3; wait")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	c, err := Start(cmd)
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		syscall.Kill(-c.Pid, syscall.SIGKILL)
		exited(t, c)
	}()
	buf := make([]byte, 32)
	n, _ := r.Read(buf)
	r.Close()
	inGroup, _ := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
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
