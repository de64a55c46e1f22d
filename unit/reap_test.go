package unit

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAdoptedOrphansReaped runs a process whose subshells leave an orphan
// every 10 ms (adopted by us, a subreaper): each is reaped as it exits,
// not once the process ends, so no zombie child of ours piles up.
func TestAdoptedOrphansReaped(t *testing.T) {
	rec := newRecorder()
	spec := Spec{Name: "orphans", Argv: []string{"sh", "-c", "while :; do (true &); echo x; sleep .01; done"}}
	u := newUnit(t, spec, rec.options())
	u.Start()
	rec.next(t, 5*time.Second, EventSpawn)
	eventually(t, 10*time.Second, "50 orphans made", func() bool { return rec.lines.Load() >= 50 })
	eventually(t, 2*time.Second, "no zombie child", func() bool { return len(zombieChildren()) == 0 })
	closedWithin(t, u.Stop(), 5*time.Second)
	eventually(t, 2*time.Second, "no zombie child after the stop", func() bool { return len(zombieChildren()) == 0 })
}

// TestEscapeStoppedWithUnit: a process starts a daemon that leaves its
// group (setsid). Stopping the unit, or the leader exiting on its own, stops
// the daemon too, with a line naming it.
func TestEscapeStoppedWithUnit(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		stop         bool
	}{
		{"stopped", "setsid sleep 1001 & echo started; exec sleep 1000", true},
		{"exited", "setsid sleep 1001 & echo started; sleep 0.2", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			marker := fmt.Sprintf("UNIT_TEST_MARKER=%d.%d", os.Getpid(), time.Now().UnixNano())
			t.Cleanup(func() { killMarked(marker) })
			rec := newRecorder()
			spec := Spec{Name: "escaper", Argv: []string{"sh", "-c", tc.script}, Env: []string{marker},
				Restart: RestartNever, StopTimeout: 5 * time.Second}
			u := newUnit(t, spec, rec.options())
			u.Start()
			pgid := rec.next(t, 5*time.Second, EventSpawn).Pid
			eventually(t, 5*time.Second, "the daemon started", func() bool { // setsid has run sleep
				out := outside(marker, pgid)
				return len(out) > 0 && slices.IndexFunc(out, func(pid int) bool { return comm(pid) != "sleep" }) < 0
			})
			if tc.stop {
				closedWithin(t, u.Stop(), 10*time.Second)
			} else {
				rec.state(t, 10*time.Second, StateCompleted)
			}
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("events: %s; marked: %v", rec.summary(), liveMarked(marker))
				}
			})
			eventually(t, 5*time.Second, "the escape reported", func() bool {
				return slices.ContainsFunc(rec.all(EventError), func(e Event) bool {
					return strings.Contains(e.Err.Error(), "stopped escaped process") && strings.Contains(e.Err.Error(), "(sleep)")
				})
			})
			if live := liveMarked(marker); len(live) > 0 {
				t.Errorf("still running after the unit ended: %v", live)
			}
		})
	}
}

// zombieChildren lists this process's children that are zombies.
func zombieChildren() []int {
	self := strconv.Itoa(os.Getpid())
	dirs, _ := os.ReadDir("/proc")
	var pids []int
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		i := bytes.LastIndex(stat, []byte(") "))
		if err != nil || i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+2:])) // state ppid ...
		if len(f) > 1 && f[0] == "Z" && f[1] == self {
			pids = append(pids, pid)
		}
	}
	return pids
}

// liveMarked lists the processes that have marker in their environment and
// are not zombies.
func liveMarked(marker string) []int {
	dirs, _ := os.ReadDir("/proc")
	var pids []int
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		env, err := os.ReadFile("/proc/" + d.Name() + "/environ")
		if err == nil && slices.Contains(strings.Split(string(env), "\x00"), marker) && !dead(pid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func killMarked(marker string) {
	for _, pid := range liveMarked(marker) {
		killPid(pid)
	}
}

// outside lists the live processes with marker in their environment that
// left session sid.
func comm(pid int) string {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	return strings.TrimSpace(string(b))
}

func outside(marker string, sid int) []int {
	var pids []int
	for _, pid := range liveMarked(marker) {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		i := bytes.LastIndex(stat, []byte(") "))
		if err != nil || i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+2:])) // state ppid pgrp session ...
		if len(f) > 3 && f[3] != strconv.Itoa(sid) {
			pids = append(pids, pid)
		}
	}
	return pids
}
