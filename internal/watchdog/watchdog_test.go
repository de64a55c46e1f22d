package watchdog

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/internal/reaper"
)

func TestReadRegistry(t *testing.T) {
	long := "+" + strings.Repeat("9", maxLine) + "\n"
	for _, tc := range []struct {
		name, in string
		want     []int
	}{
		{"empty", "", nil},
		{"add", "+12\n+34\n", []int{12, 34}},
		{"forget", "+12\n+34\n-12\n", []int{34}},
		{"readd after forget", "+12\n-12\n+12\n", []int{12}},
		{"forget unknown", "-7\n+8\n", []int{8}},
		{"twice then forget", "+5\n+5\n-5\n", nil},
		{"never 0 or 1", "+0\n+1\n+-1\n+-5\n", nil},
		{"garbage", "x\n+\n+12a\n 12\n+ 12\n*12\n\n", nil},
		{"too large", "+4194305\n+4194304\n", []int{4194304}},
		{"overlong line skipped", long + "+3\n" + long, []int{3}},
		{"torn last line ignored", "+3\n+4", []int{3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := slices.Sorted(maps.Keys(readRegistry(strings.NewReader(tc.in)).groups))
			if !slices.Equal(got, tc.want) {
				t.Errorf("registry of %q = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestGuardKillsWhatIsRecorded(t *testing.T) {
	var tried []int
	kill := func(pgid int) error {
		tried = append(tried, pgid)
		if pgid == 20 {
			return syscall.ESRCH // gone already
		}
		return nil
	}
	killed, _ := guard(strings.NewReader("+30\n+20\n+10\n+40\n-40\n"), kill)
	if !slices.Equal(tried, []int{10, 20, 30}) || !slices.Equal(killed, []int{10, 30}) {
		t.Errorf("tried %v, killed %v; want [10 20 30], [10 30]", tried, killed)
	}
}

// TestWatchdogKillsGroupWhenSupervisorKilled is the release scenario: a
// supervisor (this binary as "guarded") is SIGKILLed; within 2 s neither
// its child nor the grandchildren survive, not even the daemon that left
// the recorded group with setsid (found by its run marker), and the
// watchdog is gone too. Pdeathsig alone kills the shell but not its
// sleepers.
func TestWatchdogKillsGroupWhenSupervisorKilled(t *testing.T) {
	marker := fmt.Sprintf("UNIT_TEST_MARKER=%d.%d", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() {
		for _, pid := range liveMarked(marker) {
			syscall.Kill(pid, syscall.SIGKILL) // should they survive
		}
	})
	sup := exec.Command(os.Args[0], "guarded", marker)
	sup.Env = append(os.Environ(), childEnvVar+"=1", "GORACE=atexit_sleep_ms=0")
	sup.Stderr = os.Stderr
	out, err := sup.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sup.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sup.Process.Kill(); sup.Wait() })
	var pgid, watchdogPid int
	if _, err := fmt.Fscan(out, &pgid, &watchdogPid); err != nil || pgid <= 1 || watchdogPid <= 1 {
		t.Fatalf("supervisor said pgid %d, watchdog %d, %v", pgid, watchdogPid, err)
	}
	// The shell, its sleeper and the daemon run before the supervisor dies.
	eventually(t, 5*time.Second, "3 marked processes", func() bool { return len(liveMarked(marker)) == 3 })

	sup.Process.Kill() // SIGKILL: nothing runs in the supervisor any more
	sup.Wait()
	// The orphans come to us (a subreaper): reap them to tell the dead.
	t.Cleanup(func() {
		if t.Failed() {
			for _, pid := range liveMarked(marker) {
				stat, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
				t.Logf("left: %s", stat)
			}
		}
	})
	eventually(t, 5*time.Second, "the group gone", func() bool {
		reapGroup(pgid)
		return len(liveMarked(marker)) == 0 && errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH)
	})
	eventually(t, 2*time.Second, "the watchdog exited", func() bool {
		pid, err := syscall.Wait4(watchdogPid, nil, syscall.WNOHANG, nil)
		if errors.Is(err, syscall.ECHILD) {
			return true // our reaper reaped it
		}
		if err != nil {
			t.Fatalf("wait for the watchdog %d: %v", watchdogPid, err)
		}
		return pid == watchdogPid
	})
}

// guarded is the child mode of the test above: a supervisor with a
// recorded group of a shell and a sleeper, and a daemon the shell started
// in a session of its own, all marked.
func guarded(marker string) int {
	Enable()
	cmd := &exec.Cmd{Path: "/bin/sh", Args: []string{"sh", "-c", "setsid sleep 1000 & sleep 1000 & wait"},
		Env: reaper.Env("guarded", []string{marker})}
	child, err := reaper.Start(cmd)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := WatchGroup(child.Pid); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(child.Pid, dog.pid())
	select {}
}

func TestWatchdogStartFailureReportedOnce(t *testing.T) {
	broken := &watchdog{exe: "/nonexistent/ovrseer"}
	broken.enabled.Store(true)
	broken.send('+', 12345)
	if err := broken.takeErr(); err == nil || !strings.Contains(err.Error(), "watchdog") {
		t.Errorf("first report = %v, want one about the watchdog", err)
	}
	broken.send('+', 12346)
	if err := broken.takeErr(); err != nil {
		t.Errorf("reported again: %v", err)
	}
}

// startSleeper starts "sleep 1000" in a group of its own through the
// reaper, killed at the end of the test.
func startSleeper(t *testing.T) *reaper.Child {
	t.Helper()
	child, err := reaper.Start(&exec.Cmd{Path: "/bin/sh", Args: []string{"sh", "-c", "exec sleep 1000"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-child.Pid, syscall.SIGKILL) })
	return child
}

// TestLostWatchdogReportedKillsNothing stops a real watchdog so that its
// pipe fills: the write that times out gives it up, reports it once, and
// kills it without letting it kill the groups that still run.
func TestLostWatchdogReportedKillsNothing(t *testing.T) {
	sleeper := startSleeper(t)
	d := &watchdog{exe: "/proc/self/exe"}
	d.enabled.Store(true)
	d.send('+', sleeper.Pid)
	wd := d.pid()
	if err := d.takeErr(); err != nil || wd == 0 {
		t.Fatalf("watchdog %d: %v", wd, err)
	}
	t.Cleanup(func() { syscall.Kill(wd, syscall.SIGKILL); syscall.Kill(wd, syscall.SIGCONT) })
	syscall.Kill(wd, syscall.SIGSTOP) // it reads no more
	for i := 0; d.pid() != 0; i++ {
		if i == 100_000 {
			t.Fatal("writes to a stopped watchdog never timed out")
		}
		d.send('-', 99999)
	}
	if err := d.takeErr(); err == nil || !strings.Contains(err.Error(), "watchdog: write") {
		t.Errorf("first report = %v", err)
	}
	if err := d.takeErr(); err != nil {
		t.Errorf("reported again: %v", err)
	}
	eventually(t, 2*time.Second, "the watchdog gone", func() bool { return errors.Is(syscall.Kill(wd, 0), syscall.ESRCH) })
	select {
	case st := <-sleeper.Exited():
		t.Errorf("the lost watchdog killed group %d: %+v", sleeper.Pid, st)
	default:
	}
}

// TestDeadWatchdogReportedAndRestarted kills the watchdog: its death is
// reported at once, a new one runs, and it was told every group still
// recorded, which it kills when ovrseer is gone (here: its pipe closed).
func TestDeadWatchdogReportedAndRestarted(t *testing.T) {
	sleeper := startSleeper(t)
	d := &watchdog{exe: "/proc/self/exe"}
	d.enabled.Store(true)
	lost := make(chan error, 1)
	d.report = func(err error) { lost <- err }
	d.send('+', sleeper.Pid)
	d.send('+', 424242) // recorded, then forgotten: not told again
	d.send('-', 424242)
	first := d.pid()
	if err := d.takeErr(); err != nil || first == 0 {
		t.Fatalf("watchdog %d: %v", first, err)
	}
	syscall.Kill(first, syscall.SIGKILL)
	select {
	case err := <-lost:
		if want := fmt.Sprintf("watchdog (pid %d) died: killed by signal 9; restarted", first); err.Error() != want {
			t.Errorf("report = %q, want %q", err, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the watchdog's death was not reported within 5 s")
	}
	second := d.pid()
	if second == 0 || second == first {
		t.Fatalf("watchdog after the restart: %d (was %d)", second, first)
	}
	d.mu.Lock()
	d.w.Close() // as if ovrseer were gone
	d.w = nil   // not lost: not restarted again
	d.mu.Unlock()
	select {
	case st := <-sleeper.Exited():
		if st.Signal != syscall.SIGKILL {
			t.Errorf("sleeper ended with %+v, want SIGKILL", st)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the restarted watchdog did not kill the recorded group")
	}
}

// eventually polls cond until it holds, failing the test after timeout.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline.C:
			t.Fatalf("not %s within %v", what, timeout)
		case <-tick.C:
		}
	}
}

// liveMarked lists the processes that have marker in their environment and
// are not zombies.
func liveMarked(marker string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
		if err != nil || !slices.ContainsFunc(bytes.Split(env, []byte{0}), func(kv []byte) bool { return string(kv) == marker }) {
			continue
		}
		if !zombie(strconv.Itoa(pid)) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// TestWatchdogLinesDuringStart sends from many goroutines while the first
// sender starts the watchdog (a shell recording its stdin here): the lines
// sent meanwhile are written once it runs, whole, and each group's "+"
// before its "-".
func TestWatchdogLinesDuringStart(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "registry")
	exe := filepath.Join(dir, "dog")
	script := fmt.Sprintf("#!/bin/sh\ncat >%[1]s.tmp && mv %[1]s.tmp %[1]s\n", out)
	if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	d := &watchdog{exe: exe}
	d.enabled.Store(true)
	const n = 50
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			d.send('+', 1000+i)
			d.send('-', 1000+i)
		})
	}
	wg.Wait()
	if err := d.takeErr(); err != nil || d.pid() == 0 {
		t.Fatalf("watchdog %d: %v", d.pid(), err)
	}
	d.mu.Lock()
	d.w.Close() // EOF: the shell saves what it read
	d.w = nil   // not lost: not restarted
	d.mu.Unlock()
	var got []byte
	eventually(t, 5*time.Second, "the registry saved", func() bool {
		var err error
		got, err = os.ReadFile(out)
		return err == nil
	})
	lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	if len(lines) != 2*n+1 || lines[0] != "R"+reaper.RunID() {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), 2*n, got)
	}
	for i := range n {
		plus := bytes.Index(got, []byte("+"+strconv.Itoa(1000+i)+"\n"))
		minus := bytes.Index(got, []byte("-"+strconv.Itoa(1000+i)+"\n"))
		if plus < 0 || minus < plus {
			t.Errorf("group %d: + at %d, - at %d", 1000+i, plus, minus)
		}
	}
}
