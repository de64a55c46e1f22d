package unit

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestEscapeStoppedWithItsGroup: a process that ignores the stop signal
// starts a daemon that leaves its group (setsid) and ignores it too,
// either still its child or already adopted (double fork). Stopping the
// unit signals the daemon together with the group, under one stop timeout:
// when the daemon gets SIGTERM its leader is still alive (it dies only of
// the SIGKILL at the deadline), and the daemon is then SIGKILLed too. (It
// used to get its SIGTERM only after the group was gone, one more timeout
// later.) Structural: no duration is asserted.
func TestEscapeStoppedWithItsGroup(t *testing.T) {
	// The daemon's trap says whether its leader (pid L) was alive when the
	// stop signal came; the leader traps TERM (an ignored signal would be
	// inherited, and a shell cannot trap a signal ignored on entry).
	daemon := `trap 'if kill -0 $L 2>/dev/null; then echo leader-alive; else echo leader-gone; fi >>"$OUT"' TERM; ` +
		`echo up >>"$OUT"; while :; do sleep 0.05; done`
	for _, tc := range []struct{ name, start string }{
		{"child", `L=$$ setsid sh "$DAEMON" &`},
		{"adopted", `(L=$$ setsid sh "$DAEMON" &)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out, script := filepath.Join(dir, "daemon.txt"), filepath.Join(dir, "daemon.sh")
			if err := os.WriteFile(script, []byte(daemon), 0o644); err != nil {
				t.Fatal(err)
			}
			marker := fmt.Sprintf("UNIT_TEST_MARKER=%d.%d", os.Getpid(), time.Now().UnixNano())
			t.Cleanup(func() { killMarked(marker) })
			rec := newRecorder()
			leader := `trap 'echo leader-term' TERM; ` + tc.start + "\n" + `echo started; while :; do sleep 0.05; done`
			spec := Spec{Name: "escaper", Argv: []string{"sh", "-c", leader}, Env: []string{marker, "OUT=" + out, "DAEMON=" + script},
				Restart: RestartNever, StopTimeout: 3 * time.Second}
			u := newUnit(t, spec, rec.options())
			u.Start()
			pgid := rec.next(t, 5*time.Second, EventSpawn).Pid
			eventually(t, 5*time.Second, "the daemon started", func() bool {
				b, _ := os.ReadFile(out)
				return strings.Contains(string(b), "up") && len(outside(marker, pgid)) > 0
			})
			closedWithin(t, u.Stop(), 20*time.Second)
			eventually(t, 10*time.Second, "the escape reported", func() bool {
				return slices.ContainsFunc(rec.all(EventError), func(e Event) bool {
					return strings.Contains(e.Err.Error(), "stopped escaped process") && strings.Contains(e.Err.Error(), "with SIGKILL")
				})
			})
			b, _ := os.ReadFile(out)
			if got := string(b); !strings.Contains(got, "leader-alive") || strings.Contains(got, "leader-gone") {
				t.Errorf("the daemon was not signalled while its group was stopping:\n%s\nevents: %s", got, rec.summary())
			}
			// The daemon's last `sleep 0.05` may outlive it by that much.
			eventually(t, 5*time.Second, "nothing left running", func() bool { return len(liveMarked(marker)) == 0 })
		})
	}
}

// TestOrphanInGroupIsNoEscape: a process orphaned inside its unit's group
// by a subshell that exited (`(worker &)`), and so adopted by ovrseer, has
// not escaped: a stop stops it with the group and no error calls it an
// escaped process. (It used to be reported as "stopped escaped process",
// as was any member that outlived its leader for a moment in a stop.)
func TestOrphanInGroupIsNoEscape(t *testing.T) {
	marker := fmt.Sprintf("UNIT_TEST_MARKER=%d.%d", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() { killMarked(marker) })
	rec := newRecorder()
	// The orphan outlives the stop signal by 0.3 s, so it is alive when the
	// stop looks for escapes.
	leader := `( (trap 'sleep 0.3; exit 0' TERM; while :; do sleep 0.05; done) & ); echo started; while :; do sleep 0.05; done`
	spec := Spec{Name: "orphaner", Argv: []string{"sh", "-c", leader}, Env: []string{marker},
		Restart: RestartNever, StopTimeout: 3 * time.Second}
	u := newUnit(t, spec, rec.options())
	u.Start()
	pgid := rec.next(t, 5*time.Second, EventSpawn).Pid
	eventually(t, 5*time.Second, "the orphan adopted", func() bool {
		for _, pid := range liveMarked(marker) {
			stat, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
			if i := bytes.LastIndex(stat, []byte(") ")); i >= 0 {
				f := strings.Fields(string(stat[i+2:])) // state ppid pgrp ...
				if len(f) > 2 && f[1] == strconv.Itoa(os.Getpid()) && pid != pgid && f[2] == strconv.Itoa(pgid) {
					return true
				}
			}
		}
		return false
	})
	closedWithin(t, u.Stop(), 20*time.Second)
	eventually(t, 5*time.Second, "nothing left running", func() bool { return len(liveMarked(marker)) == 0 })
	for _, e := range rec.all(EventError) {
		if strings.Contains(e.Err.Error(), "escaped") {
			t.Errorf("a member of the group reported as escaped: %v", e.Err)
		}
	}
}
