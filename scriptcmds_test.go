package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/sys/unix"
)

// scriptWait bounds every wait of the custom script commands.
const scriptWait = 30 * time.Second

// scriptCmds are the commands the scripts use beyond testscript's own.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"exitcode":     cmdExitCode,
	"waitfile":     cmdWaitFile,
	"signal":       cmdSignal,
	"eventorder":   cmdEventOrder,
	"crashreports": cmdCrashReports,
	"seqlines":     cmdSeqLines,
	"listen":       cmdListen,
	"alive":        cmdAlive,
	"nozombies":    cmdNoZombies,
	"killwatchdog": cmdKillWatchdog,
	"burst":        cmdBurst,
	"eventcount":   cmdEventCount,
	"ctlpaths":     cmdCtlPaths,
	"stalesock":    cmdStaleSock,
}

// listen VAR: hold a TCP listener on 127.0.0.1 (a free port) until the
// script ends, and set VAR to its port: someone else's server.
func cmdListen(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: listen VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	ts.Defer(func() { ln.Close() })
	ts.Setenv(args[0], strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
}

// exitcode CODE CMD [ARGS...]: run CMD (like exec) and want exactly CODE.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode CODE CMD [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// waitfile FILE REGEXP: wait until FILE exists and its content matches.
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitfile FILE REGEXP")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	path := ts.MkAbs(args[0])
	poll(ts, "file "+args[0]+" to match "+args[1], func() bool {
		data, err := os.ReadFile(path)
		return err == nil && re.Match(data)
	})
}

// signal SIG PIDFILE: send SIG (INT, TERM, HUP, QUIT) to the pid in
// PIDFILE, waiting for the file to appear.
func cmdSignal(ts *testscript.TestScript, neg bool, args []string) {
	signals := map[string]syscall.Signal{"INT": syscall.SIGINT, "TERM": syscall.SIGTERM, "HUP": syscall.SIGHUP,
		"QUIT": syscall.SIGQUIT, "KILL": syscall.SIGKILL, "USR1": syscall.SIGUSR1}
	if neg || len(args) != 2 || signals[args[0]] == 0 {
		ts.Fatalf("usage: signal INT|TERM|HUP|QUIT|KILL|USR1 PIDFILE")
	}
	ts.Check(syscall.Kill(readPid(ts, args[1]), signals[args[0]]))
}

// readPid waits for PIDFILE and returns the pid in it.
func readPid(ts *testscript.TestScript, file string) int {
	path := ts.MkAbs(file)
	var pid int
	poll(ts, "pid file "+file, func() bool {
		data, err := os.ReadFile(path)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
		return err == nil && pid > 0
	})
	// Whatever happens to the script, that process does not outlive it (a
	// failed script would otherwise wait for it): SIGKILL at the end, through
	// a pidfd so that a reused pid is never hit.
	if fd, err := unix.PidfdOpen(pid, 0); err == nil {
		ts.Defer(func() {
			unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0)
			unix.Close(fd)
		})
	}
	return pid
}

// poll checks cond every 20 ms until it holds or scriptWait passed.
func poll(ts *testscript.TestScript, what string, cond func() bool) {
	deadline := time.Now().Add(scriptWait)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			ts.Fatalf("timed out after %v waiting for %s", scriptWait, what)
		}
		<-tick.C
	}
}

// eventorder FILE TYPE[@PROCESS]...: every line of FILE is a JSON event
// with a type and a time, the last is lifecycle:exit, and the given events
// occur in this order (other events may come between).
func cmdEventOrder(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: eventorder FILE TYPE[@PROCESS]...")
	}
	f, err := os.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	want := args[1:]
	last := ""
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var ev struct{ Type, Time, Process string }
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || ev.Type == "" {
			ts.Fatalf("%s:%d: not a JSON event (%v): %s", args[0], n, err, sc.Text())
		}
		if ev.Type != "events:dropped" && ev.Time == "" {
			ts.Fatalf("%s:%d: event without time: %s", args[0], n, sc.Text())
		}
		last = ev.Type
		if len(want) > 0 && (want[0] == ev.Type || want[0] == ev.Type+"@"+ev.Process) {
			want = want[1:]
		}
	}
	ts.Check(sc.Err())
	if len(want) > 0 {
		ts.Fatalf("%s: %s and what follows did not occur in order", args[0], want[0])
	}
	if last != "lifecycle:exit" {
		ts.Fatalf("%s: last event is %q, want lifecycle:exit", args[0], last)
	}
}

// crashreports DIR NAME COUNT: DIR holds exactly COUNT (or, written N+, at
// least N) crash reports of process NAME, each valid JSON naming it, with
// its last logs, mode 0600.
func cmdCrashReports(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: crashreports DIR NAME COUNT")
	}
	count, atLeast := strings.CutSuffix(args[2], "+")
	want, err := strconv.Atoi(count)
	ts.Check(err)
	paths, err := filepath.Glob(filepath.Join(ts.MkAbs(args[0]), args[1]+"-*.json"))
	ts.Check(err)
	if len(paths) != want && !(atLeast && len(paths) > want) {
		ts.Fatalf("%d crash reports of %s in %s, want %d: %v", len(paths), args[1], args[0], want, paths)
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		ts.Check(err)
		if info.Mode().Perm() != 0o600 {
			ts.Fatalf("%s: mode %v, want 0600", p, info.Mode().Perm())
		}
		var r struct {
			ProcessName string   `json:"processName"`
			Reason      string   `json:"reason"`
			LastLogs    []string `json:"lastLogs"`
		}
		ts.Check(json.Unmarshal([]byte(ts.ReadFile(p)), &r))
		if r.ProcessName != args[1] || r.Reason == "" || len(r.LastLogs) == 0 {
			ts.Fatalf("%s: want processName %q, a reason and last logs; got %+v", p, args[1], r)
		}
	}
}

// seqlines FILE PROCESS N: the log lines of PROCESS in FILE are exactly N,
// each starting with its number 0, 1, ..., N-1 (in order, none missing).
// FILE is headless output ("PROCESS | text"), an events file when it ends
// in .jsonl, or a text log file ("TIME STREAM text") when it ends in .log.
func cmdSeqLines(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: seqlines FILE PROCESS N")
	}
	want, err := strconv.Atoi(args[2])
	ts.Check(err)
	f, err := os.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	text := logText(args[0], args[1])
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	next := 0
	for sc.Scan() {
		line, ok := text(sc.Bytes())
		if !ok {
			continue
		}
		digits := strings.TrimLeft(line, "0")
		if sp := strings.IndexByte(digits, ' '); sp >= 0 {
			digits = digits[:sp]
		}
		if n, _ := strconv.Atoi(digits); n != next {
			ts.Fatalf("%s: line %q where line %d of %s was due", args[0], line, next, args[1])
		}
		next++
	}
	ts.Check(sc.Err())
	if next != want {
		ts.Fatalf("%s: %d lines of %s, want %d", args[0], next, args[1], want)
	}
}

// logText returns a function that picks the text of one log line of
// process from a line of file (headless output or JSON events).
func logText(file, process string) func([]byte) (string, bool) {
	if strings.HasSuffix(file, ".jsonl") {
		return func(b []byte) (string, bool) {
			var ev struct{ Type, Process, Line string }
			if json.Unmarshal(b, &ev) != nil || ev.Type != "process:log" || ev.Process != process {
				return "", false
			}
			return ev.Line, true
		}
	}
	if strings.HasSuffix(file, ".log") {
		return func(b []byte) (string, bool) {
			_, rest, _ := bytes.Cut(b, []byte(" "))
			_, text, ok := bytes.Cut(rest, []byte(" "))
			return string(text), ok
		}
	}
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(process) + ` *\| (.*)$`)
	return func(b []byte) (string, bool) {
		m := re.FindSubmatch(b)
		if m == nil {
			return "", false
		}
		return string(m[1]), true
	}
}
