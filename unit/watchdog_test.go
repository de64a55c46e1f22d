package unit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
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
// its child nor the grandchildren survive, and the watchdog is gone too.
// Pdeathsig alone kills the shell but not its sleepers.
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
	// The shell and both sleepers run before the supervisor dies.
	eventually(t, 5*time.Second, "3 marked processes", func() bool { return len(liveMarked(marker)) == 3 })

	sup.Process.Kill() // SIGKILL: nothing runs in the supervisor any more
	sup.Wait()
	// The orphans come to us (a subreaper): reap them to tell the dead.
	eventually(t, 2*time.Second, "the group gone", func() bool {
		reapGroup(pgid)
		return len(liveMarked(marker)) == 0 && errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH)
	})
	eventually(t, 2*time.Second, "the watchdog exited", func() bool {
		pid, err := syscall.Wait4(watchdogPid, nil, syscall.WNOHANG, nil)
		if err != nil {
			t.Fatalf("wait for the watchdog %d: %v", watchdogPid, err)
		}
		return pid == watchdogPid
	})
}

// guarded is the child mode of the test above: a supervisor with a unit of
// a shell and two sleepers, all marked.
func guarded(marker string) int {
	spawned := make(chan int, 1)
	spec := Spec{Name: "guarded", Argv: []string{"sh", "-c", "sleep 1000 & sleep 1000 & wait"}, Env: []string{marker}}
	u, err := New(spec, Options{OnEvent: func(e Event) {
		if e.Kind == EventSpawn {
			select {
			case spawned <- e.Pid:
			default:
			}
		}
		if e.Kind == EventError {
			fmt.Fprintln(os.Stderr, e.Err)
		}
	}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	u.Start()
	fmt.Println(<-spawned, dog.pid())
	select {}
}

// TestWatchdogForgetsEndedGroups checks that every group the watchdog is
// told about is forgotten once gone, stopped or exited on its own: a
// recorded id could be reused by an unrelated group the watchdog would kill.
func TestWatchdogForgetsEndedGroups(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	tap := &watchdog{started: true, w: w} // a registry we read instead of a watchdog
	tap.enabled.Store(true)
	old := dog
	dog = tap
	t.Cleanup(func() { dog = old; w.Close(); r.Close() })
	lines := bufio.NewReader(r)

	for _, tc := range []struct {
		name string
		spec Spec
		stop bool
	}{
		{"stopped", childSpec("sleep"), true},
		{"exited", childSpec("exit", "3"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder()
			tc.spec.Restart = RestartNever
			u := newUnit(t, tc.spec, rec.options())
			u.Start()
			pid := rec.next(t, 5*time.Second, EventSpawn).Pid
			if tc.stop {
				closedWithin(t, u.Stop(), 5*time.Second)
			}
			r.SetReadDeadline(time.Now().Add(5 * time.Second))
			for _, want := range []string{"+" + strconv.Itoa(pid), "-" + strconv.Itoa(pid)} {
				got, err := lines.ReadString('\n')
				if got != want+"\n" || err != nil {
					t.Fatalf("watchdog got %q, %v; want %q", got, err, want)
				}
			}
		})
	}
}

func TestWatchdogStartFailureReportedOnce(t *testing.T) {
	broken := &watchdog{exe: "/nonexistent/ovrseer"}
	broken.enabled.Store(true)
	old := dog
	dog = broken
	t.Cleanup(func() { dog = old })

	var errs []Event
	for i := range 2 {
		rec := newRecorder()
		u := newUnit(t, childSpec("sleep"), rec.options())
		u.Start()
		rec.next(t, 5*time.Second, EventSpawn) // the spawn itself succeeds
		closedWithin(t, u.Stop(), 5*time.Second)
		errs = append(errs, rec.all(EventError)...)
		if i == 0 && len(errs) != 1 {
			t.Fatalf("first spawn reported %d errors, want 1", len(errs))
		}
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Err.Error(), "watchdog") {
		t.Errorf("errors = %v, want one about the watchdog", errs)
	}
}

// TestLostWatchdogReportedKillsNothing stops a real watchdog so that its
// pipe fills: the write that times out gives it up, reports it once, and
// kills it without letting it kill the groups that still run.
func TestLostWatchdogReportedKillsNothing(t *testing.T) {
	sleeper := exec.Command("sleep", "1000")
	sleeper.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := sleeper.Process.Pid
	t.Cleanup(func() { syscall.Kill(-pgid, syscall.SIGKILL); sleeper.Wait() })
	d := &watchdog{exe: "/proc/self/exe"}
	d.enabled.Store(true)
	d.send('+', pgid)
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
	if zombie(pgid) {
		t.Errorf("the lost watchdog killed group %d", pgid)
	}
}

func TestChildEnvWithoutWatchdogVar(t *testing.T) {
	t.Setenv(watchdogEnv, "1")
	for _, kv := range childEnv(nil) {
		if strings.HasPrefix(kv, watchdogEnv+"=") {
			t.Fatalf("children see %s", kv)
		}
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
		if !zombie(pid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// zombie reports whether pid is a zombie (or already gone).
func zombie(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	i := bytes.LastIndex(stat, []byte(") ")) // the name may hold anything; the state follows the last ')'
	return i < 0 || i+2 >= len(stat) || stat[i+2] == 'Z'
}
