package main

import (
	"bytes"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// goneWait bounds `! alive`: the watchdog kills what is left of a killed
// ovrseer within it.
const goneWait = 3 * time.Second

// alive VAR=VALUE [CMDLINE]: wait until a live process (whose arguments,
// joined by spaces, are CMDLINE) has VAR=VALUE in its environment.
// `! alive VAR=VALUE [CMDLINE]`: wait (3 s at most) until none has, and
// name those left.
func cmdAlive(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 || len(args) > 2 || !strings.Contains(args[0], "=") {
		ts.Fatalf("usage: [!] alive VAR=VALUE [CMDLINE]")
	}
	comm := ""
	if len(args) == 2 {
		comm = args[1]
	}
	if !neg {
		poll(ts, "a process with "+args[0], func() bool { return len(marked(args[0], comm)) > 0 })
		return
	}
	deadline := time.Now().Add(goneWait)
	for left := marked(args[0], comm); len(left) > 0; left = marked(args[0], comm) {
		if time.Now().After(deadline) {
			for _, p := range left {
				syscall.Kill(p.pid, syscall.SIGKILL) // leave nothing behind
			}
			ts.Fatalf("still alive after %v: %v", goneWait, left)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// nozombies PIDFILE: within 2 s, the process in PIDFILE has no zombie
// child (it reaps what it adopts).
func cmdNoZombies(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: nozombies PIDFILE")
	}
	pid := readPid(ts, args[0])
	deadline := time.Now().Add(2 * time.Second)
	for {
		var zombies []proc
		for _, p := range procs() {
			if p.ppid == pid && p.state == "Z" {
				zombies = append(zombies, p)
			}
		}
		if len(zombies) == 0 {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%d zombie children of %d, such as %v", len(zombies), pid, zombies[:min(len(zombies), 5)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// killwatchdog PIDFILE: SIGKILL the watchdog (ovr-watchdog) of the
// process in PIDFILE, then wait until a new one runs.
func cmdKillWatchdog(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: killwatchdog PIDFILE")
	}
	pid := readPid(ts, args[0])
	watchdog := func() int {
		for _, p := range procs() {
			if p.ppid == pid && p.comm == "ovr-watchdog" && p.state != "Z" {
				return p.pid
			}
		}
		return 0
	}
	var first int
	poll(ts, "the watchdog", func() bool { first = watchdog(); return first > 0 })
	ts.Check(syscall.Kill(first, syscall.SIGKILL))
	ts.Logf("killed watchdog %d", first)
	poll(ts, "a new watchdog", func() bool { w := watchdog(); return w > 0 && w != first })
}

// proc is a line of /proc/PID/stat.
type proc struct {
	pid, ppid   int
	comm, state string
}

// procs lists every process.
func procs() []proc {
	dirs, _ := os.ReadDir("/proc")
	var out []proc
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
		if err != nil || open < 0 || end < open {
			continue
		}
		f := strings.Fields(string(b[end+1:]))
		if len(f) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		out = append(out, proc{pid: pid, ppid: ppid, comm: string(b[open+1 : end]), state: f[0]})
	}
	return out
}

// marked lists the live processes (running cmdline, if not "") with kv in
// their environment.
func marked(kv, cmdline string) []proc {
	var out []proc
	for _, p := range procs() {
		if p.state == "Z" {
			continue
		}
		if cmdline != "" {
			b, _ := os.ReadFile("/proc/" + strconv.Itoa(p.pid) + "/cmdline")
			if strings.Join(strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00"), " ") != cmdline {
				continue
			}
		}
		env, err := os.ReadFile("/proc/" + strconv.Itoa(p.pid) + "/environ")
		if err == nil && slices.Contains(strings.Split(string(env), "\x00"), kv) {
			out = append(out, p)
		}
	}
	return out
}
