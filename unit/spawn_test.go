package unit

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestExecutableLookedUpOnce checks the PATH lookup of Argv[0]: a missing
// executable is a spawn error and is looked up again on the next spawn; once
// found, it is not looked up again (an earlier PATH entry gained later is
// not seen) until it fails to start.
func TestExecutableLookedUpOnce(t *testing.T) {
	early, late := t.TempDir(), t.TempDir()
	t.Setenv("PATH", early+string(os.PathListSeparator)+late+string(os.PathListSeparator)+os.Getenv("PATH"))
	name := fmt.Sprintf("unit-test-late-%d", time.Now().UnixNano())
	install := func(dir, says string) {
		t.Helper()
		script := "#!/bin/sh\necho " + says + "\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	rec := newRecorder()
	u := newUnit(t, Spec{Name: "late", Argv: []string{name}, Restart: RestartNever}, rec.options())
	run := func() {
		t.Helper()
		u.Start()
		rec.next(t, 5*time.Second, EventExit, EventCrash)
		rec.state(t, 5*time.Second, StateCompleted)
	}

	u.Start()
	if c := rec.next(t, 5*time.Second, EventCrash); !strings.Contains(c.Reason, "executable file not found") {
		t.Fatalf("crash = %s", fmtEvent(c))
	}
	install(late, "late")
	run()
	install(early, "early") // not looked up: "late" was found
	run()
	if err := os.Remove(filepath.Join(late, name)); err != nil {
		t.Fatal(err)
	}
	u.Start() // fails to start, so the next spawn looks it up again
	rec.next(t, 5*time.Second, EventCrash)
	run()
	if got := strings.Join(rec.lineTexts(), ","); got != "late,late,early" {
		t.Errorf("lines = %q, want late,late,early; events: %s", got, rec.summary())
	}
}

// TestRunningChildrenHoldNoThreads checks that neither spawning nor waiting
// for a child takes an OS thread of its own: one spawner thread forks them
// all, and the exits are waited for in the poller.
func TestRunningChildrenHoldNoThreads(t *testing.T) {
	const n = 20
	before := threads(t)
	rec := newRecorder()
	for i := range n {
		spec := childSpec("sleep")
		spec.Name = "sleep" + strconv.Itoa(i)
		newUnit(t, spec, rec.options()).Start()
	}
	for range n {
		rec.next(t, 10*time.Second, EventSpawn)
	}
	if after := threads(t); after-before >= n/2 {
		t.Errorf("%d running children: %d threads, %d before", n, after, before)
	}
}

// threads is this process's number of threads.
func threads(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "Threads:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no Threads in /proc/self/status")
	return 0
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
	d.w.Close() // EOF: the shell saves what it read
	var got []byte
	eventually(t, 5*time.Second, "the registry saved", func() bool {
		var err error
		got, err = os.ReadFile(out)
		return err == nil
	})
	lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	if len(lines) != 2*n {
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
