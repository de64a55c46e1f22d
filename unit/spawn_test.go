package unit

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
