package reaper

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) {
	// Orphans come to us, as they do to ovrseer.
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		fmt.Fprintln(os.Stderr, "prctl:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func sh(script string) *exec.Cmd {
	return &exec.Cmd{Path: "/bin/sh", Args: []string{"sh", "-c", script}, Env: Env("test", nil)}
}

// startPids starts cmd, whose stdout prints n pids (a child's $!), and
// returns it with them.
func startPids(t *testing.T, cmd *exec.Cmd, n int) (*Child, []int) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd.Stdout = w
	c, err := Start(cmd)
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	pids := make([]int, n)
	for i := range pids {
		if _, err := fmt.Fscan(r, &pids[i]); err != nil {
			syscall.Kill(-c.Pid, syscall.SIGKILL)
			t.Fatalf("reading pid %d of %d: %v", i+1, n, err)
		}
	}
	return c, pids
}

func exited(t *testing.T, c *Child) Status {
	t.Helper()
	select {
	case st := <-c.Exited():
		return st
	case <-time.After(10 * time.Second):
		t.Fatalf("child %d not reaped within 10 s", c.Pid)
		return Status{}
	}
}

// TestStatusNeverStolen starts children that exit with their own code
// while others leave orphans behind (adopted and reaped by the same loop):
// every child gets its own status, and the orphans are reaped.
func TestStatusNeverStolen(t *testing.T) {
	before := Orphans()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			c, err := Start(sh(fmt.Sprintf("(true &); (true &); exit %d", i)))
			if err != nil {
				t.Error(err)
				return
			}
			if st := exited(t, c); st.Code != i || st.Signal != 0 {
				t.Errorf("child %d: %+v, want code %d", c.Pid, st, i)
			}
		})
	}
	wg.Wait()
	c, err := Start(sh("kill -9 $$"))
	if err != nil {
		t.Fatal(err)
	}
	if st := exited(t, c); st.Signal != syscall.SIGKILL || st.Code != -1 {
		t.Errorf("killed child: %+v", st)
	}
	deadline := time.Now().Add(5 * time.Second)
	for Orphans()-before < 40 {
		if time.Now().After(deadline) {
			t.Fatalf("%d orphans reaped, want 40", Orphans()-before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStartRefusesWhatNeedsWait(t *testing.T) {
	cmd := sh("true")
	cmd.Stdout = &bytes.Buffer{}
	if _, err := Start(cmd); err != errStdio {
		t.Errorf("Start with a buffer = %v, want errStdio", err)
	}
	if _, err := Start(&exec.Cmd{Path: "/nonexistent/x", Args: []string{"x"}}); err == nil {
		t.Error("Start of a missing executable succeeded")
	}
}

func TestEnvScrubbedAndMarked(t *testing.T) {
	for _, k := range []string{"NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "OVRSEER_WATCHDOG", UnitVar, RunVar} {
		t.Setenv(k, "inherited")
	}
	env := Env("db", []string{"A=1", UnitVar + "=forged"})
	for _, kv := range env {
		if strings.HasSuffix(kv, "=inherited") {
			t.Errorf("child sees %s", kv)
		}
	}
	want := []string{"A=1", UnitVar + "=forged", UnitVar + "=db", RunVar + "=" + RunID()}
	if got := env[len(env)-4:]; !slices.Equal(got, want) {
		t.Errorf("env ends with %q, want %q (the markers last: they win)", got, want)
	}
}

// TestEscapesAttributedAndStopped: a daemon that left its group and whose
// parent died is ours; it is found by its unit and stopped, SIGKILLed when
// it ignores the stop signal.
func TestEscapesAttributedAndStopped(t *testing.T) {
	c, err := Start(sh("setsid sh -c 'trap \"\" TERM; echo $$ >&3; exec sleep 1000' 3>&1 &"))
	if err != nil {
		t.Fatal(err)
	}
	exited(t, c)
	var escapes []*Escape
	deadline := time.Now().Add(5 * time.Second)
	for len(escapes) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no escape of unit test found")
		}
		escapes = Escapes(func(unit string) bool { return unit == "test" })
		if len(escapes) == 1 && escapes[0].Comm != "sleep" {
			// Still the sh before its trap and exec: it would die of the
			// stop signal, not need the SIGKILL this test is about.
			Release(escapes)
			escapes = nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	if other := Escapes(func(unit string) bool { return unit == "other" }); len(other) != 0 {
		Release(other)
		t.Errorf("escapes of unit other: %v", other)
	}
	Stop(escapes, syscall.SIGTERM, 100*time.Millisecond)
	for _, e := range escapes {
		if !e.Killed || e.Alive {
			t.Errorf("escape %d (%s): killed %v, alive %v; want killed, dead", e.Pid, e.Comm, e.Killed, e.Alive)
		}
	}
}

// TestStartingChildIsNoEscape scans for escapes while children start: a
// child between its fork and its registration is not taken for one.
func TestStartingChildIsNoEscape(t *testing.T) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(done)
		for range 100 {
			c, err := Start(sh("exit 0"))
			if err != nil {
				t.Error(err)
				return
			}
			exited(t, c)
		}
	})
	for {
		select {
		case <-done:
			wg.Wait()
			return
		default:
		}
		if found := Escapes(func(string) bool { return true }); len(found) > 0 {
			Release(found)
			t.Fatalf("children being started taken for escapes: %d (%s)", found[0].Pid, found[0].Comm)
		}
	}
}

// TestEscapesReadOnlyChildren: a scan for escapes reads the stat of
// ovrseer's own children only, not of every process on the machine (a
// scan runs each time a process's group is gone: reading hundreds of
// processes made each exit, and the shutdown of a large stack, cost
// milliseconds of CPU apiece). It still finds an escape among them.
func TestEscapesReadOnlyChildren(t *testing.T) {
	// The leader keeps a grandchild (not ours); its subshell leaves an
	// escape behind (adopted: ours).
	cmd := sh("sleep 1000 & echo $!; (setsid sleep 1001 & echo $!); exec sleep 1002")
	cmd.Env = Env("scan", nil)
	c, pids := startPids(t, cmd, 2)
	grandchild, escape := pids[0], pids[1]
	t.Cleanup(func() {
		syscall.Kill(-c.Pid, syscall.SIGKILL)
		exited(t, c)
	})
	var statted []int
	statHook = func(pid int) { statted = append(statted, pid) }
	defer func() { statHook = nil }()
	var found []*Escape
	deadline := time.Now().Add(5 * time.Second)
	for len(found) == 0 { // until the subshell is gone and the escape adopted
		if time.Now().After(deadline) {
			t.Fatalf("escape %d not found", escape)
		}
		found = Escapes(func(unit string) bool { return unit == "scan" })
		time.Sleep(5 * time.Millisecond)
	}
	Stop(found, syscall.SIGKILL, 0)
	if len(found) != 1 || found[0].Pid != escape {
		t.Errorf("escapes %v, want the one of pid %d", found, escape)
	}
	for _, pid := range statted {
		if pid == 1 || pid == grandchild {
			t.Fatalf("the scan read the stat of pid %d, not a child of ours (read %d in all)", pid, len(statted))
		}
	}
}

// TestGroupEscapesReadOnlyDescendants: the descendants of a leader that
// left its group are found by descent from the leader, reading the stat of
// its descendants only, not of every process on the machine (a stop of
// each process looks for them).
func TestGroupEscapesReadOnlyDescendants(t *testing.T) {
	c, pids := startPids(t, sh("sleep 1000 & echo $!; setsid sleep 1001 & echo $!; exec sleep 1002"), 2)
	member, escape := pids[0], pids[1]
	t.Cleanup(func() {
		syscall.Kill(-c.Pid, syscall.SIGKILL)
		syscall.Kill(escape, syscall.SIGKILL)
		exited(t, c)
	})
	var statted []int
	statHook = func(pid int) { statted = append(statted, pid) }
	defer func() { statHook = nil }()
	var found []*Escape
	deadline := time.Now().Add(5 * time.Second)
	for len(found) == 0 { // until setsid ran
		if time.Now().After(deadline) {
			t.Fatalf("escape %d not found", escape)
		}
		found = GroupEscapes(c.Pid, "test")
		time.Sleep(5 * time.Millisecond)
	}
	Release(found)
	if len(found) != 1 || found[0].Pid != escape || found[0].Unit != "test" {
		t.Errorf("escapes %+v, want pid %d of unit test", found, escape)
	}
	for _, pid := range statted {
		if pid != member && pid != escape {
			t.Fatalf("read the stat of pid %d, not a descendant of the leader (read %d in all)", pid, len(statted))
		}
	}
}
