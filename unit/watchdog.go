package unit

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The watchdog is a second copy of this binary, started on the first spawn,
// that outlives ovrseer by a moment and SIGKILLs every process group still
// recorded when ovrseer is gone, however it went (SIGKILL and the OOM killer
// included). Pdeathsig alone reaches only the direct children; the watchdog
// reaches what they forked.
//
// ovrseer keeps the write end of a pipe that is the watchdog's stdin and
// writes "+PGID\n" after each spawn and "-PGID\n" once the group is gone
// (a group id may be reused afterwards, so it must not stay recorded). The
// end of the stream (EOF) means ovrseer is gone: nothing else holds the
// write end, which is close-on-exec. The watchdog needs no liveness polling,
// no pid file and no shared state: the kernel closes the pipe. "T" and "t"
// lines tell it whether ovrseer's UI holds a terminal it must then restore
// (terminal.go, watchdog_terminal.go).

// watchdogEnv marks the process started as the watchdog (see init).
// Children never see it: ovrseer itself never has it, and it is scrubbed.
const watchdogEnv = "OVRSEER_WATCHDOG"

// watchdogName is the watchdog's argv[0] and process name. It does not
// contain "ovrseer", so `pkill -9 ovrseer` or `killall -9 ovrseer` aimed at
// ovrseer does not take the watchdog down with it, exactly when it is needed.
const watchdogName = "ovr-watchdog"

// watchdogWriteTimeout bounds one write to the watchdog. Lines are a few
// bytes and the watchdog reads at once, so a write waits only when the
// watchdog stopped reading and its 64 KiB pipe is full: it is then lost.
const watchdogWriteTimeout = 250 * time.Millisecond

// init turns the process started as the watchdog into the watchdog, before
// any main or TestMain runs: a binary can thus never be re-executed as its
// own watchdog and do something else instead (a test binary whose TestMain
// dispatches on argv[0], as testscript's does, would run its tests again).
// This is the one place the package exits the process, and only for a
// process that exists to be the watchdog.
func init() {
	if os.Getenv(watchdogEnv) == "1" {
		os.Exit(watchdogMain())
	}
}

// EnableWatchdog lets this process's units start a watchdog on their first
// spawn: this binary, re-executed, that SIGKILLs every process group a unit
// (or WatchGroup) recorded once this process is gone, however it went
// (SIGKILL and the OOM killer included). Call it early in main, before any
// unit starts. A binary that never calls it never starts a watchdog: its
// units rely on Pdeathsig alone, which reaches only their direct children.
func EnableWatchdog() { dog.enabled.Store(true) }

// watchdogMain is the watchdog: it returns its exit code once ovrseer is
// gone and every group still recorded was killed.
func watchdogMain() int {
	os.Unsetenv(watchdogEnv)
	// Only the end of its stdin ends the watchdog: signals aimed at ovrseer
	// (a terminal's Ctrl-C, a service manager's SIGTERM) must not.
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE)
	os.WriteFile("/proc/self/comm", []byte(watchdogName), 0) // best effort, see watchdogName
	os.Chdir("/")                                            // keep no directory busy
	// The groups first: they matter more than the terminal, and a write to
	// a terminal may wait (for ttyWriteTimeout at most).
	killed, term := guard(os.Stdin, killGroup)
	if term.tty != "" {
		note := term.crashNote()
		if err := term.restore(goneMessage + note); err != nil {
			fmt.Fprintf(os.Stderr, "%s: ovrseer is gone: %v%s\n", watchdogName, err, note)
		}
	}
	if len(killed) > 0 {
		fmt.Fprintf(os.Stderr, "%s: ovrseer is gone: killed process groups %v\n", watchdogName, killed)
	}
	return 0
}

// WatchGroup records process group pgid with the watchdog, which SIGKILLs
// the group if ovrseer ends before ForgetGroup(pgid). The first call starts
// the watchdog. It returns an error once, the first time it finds that no
// watchdog runs (it could not be started or was lost), so that the caller
// can report it; the group is then protected by nothing but what the caller
// did (Pdeathsig). It does nothing unless EnableWatchdog was called. It is
// safe for concurrent use, and blocks only if the watchdog stopped reading
// (250 ms at most, after which it is given up).
//
// Other packages that start process groups (hook commands) use it too.
func WatchGroup(pgid int) error {
	dog.send('+', pgid)
	return dog.takeErr()
}

// ForgetGroup tells the watchdog that process group pgid is gone: call it
// once the group has no member left (or was sent SIGKILL), never before, and
// always, since a recorded id may be reused by an unrelated group.
func ForgetGroup(pgid int) { dog.send('-', pgid) }

// watchdog is ovrseer's side of the watchdog: starting it and writing to it.
type watchdog struct {
	enabled atomic.Bool // EnableWatchdog was called: units may start one
	exe     string      // the binary to start as the watchdog

	mu       sync.Mutex // guards:
	started  bool       // a start was attempted (once)
	starting bool       // the first sender is starting it, without mu
	pending  []byte     // lines sent while starting, written once it runs
	proc     *os.Process
	w        *os.File // the write end of its stdin; nil when none runs
	err      error    // why none runs
	reported bool     // err was returned by takeErr
}

// dog is this process's watchdog. /proc/self/exe is this very binary, even
// if its file was replaced or deleted since.
var dog = &watchdog{exe: "/proc/self/exe"}

// send writes one registry line ("+123\n").
func (d *watchdog) send(op byte, pgid int) {
	var buf [24]byte
	d.sendLine(append(strconv.AppendInt(append(buf[:0], op), int64(pgid), 10), '\n'))
}

// sendLine writes line. The first sender starts the watchdog, without
// holding mu: lines sent meanwhile are kept and written after its own, so
// no sender waits for the fork but the first. Writes are made under mu, so
// lines never interleave or tear.
func (d *watchdog) sendLine(line []byte) {
	if d.enabled.Load() && d.queue(line) {
		d.launch()
	}
}

// sendSoon is sendLine for a sender that must not wait for the fork: if it
// is the first, the watchdog is started on a goroutine of its own.
func (d *watchdog) sendSoon(line []byte) {
	if d.enabled.Load() && d.queue(line) {
		go d.launch()
	}
}

// queue writes line, or keeps it while the watchdog starts. It returns
// true if the watchdog was never started: the caller must launch it.
func (d *watchdog) queue(line []byte) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case d.starting:
		d.pending = append(d.pending, line...)
	case !d.started:
		d.started, d.starting = true, true
		d.pending = append(d.pending, line...)
		return true
	default:
		d.write(line)
	}
	return false
}

// launch starts the watchdog (queue asked for it, mu not held) and writes
// the lines kept meanwhile, the first sender's first.
func (d *watchdog) launch() {
	proc, w, err := d.start()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.starting = false
	d.proc, d.w, d.err = proc, w, err
	d.write(d.pending)
	d.pending = nil
}

// write writes lines to a running watchdog; mu is held.
func (d *watchdog) write(lines []byte) {
	if d.w == nil || len(lines) == 0 {
		return
	}
	d.w.SetWriteDeadline(time.Now().Add(watchdogWriteTimeout))
	if _, err := d.w.Write(lines); err != nil {
		d.lose(fmt.Errorf("watchdog: write: %w", err))
	}
}

// start starts the watchdog in its own session (so a terminal's signals to
// ovrseer's group never reach it) with the read end of a pipe as stdin, and
// returns it with the pipe's write end.
func (d *watchdog) start() (*os.Process, *os.File, error) {
	r, w, err := os.Pipe() // close-on-exec: no child inherits the write end
	if err != nil {
		return nil, nil, fmt.Errorf("watchdog: %w", err)
	}
	defer r.Close()
	cmd := &exec.Cmd{
		Path:        d.exe,
		Args:        []string{watchdogName},
		Env:         append(os.Environ(), watchdogEnv+"=1"),
		Stdin:       r,         // an *os.File: no copying goroutine
		Stderr:      os.Stderr, // for its one line when it killed something
		SysProcAttr: &syscall.SysProcAttr{Setsid: true},
	}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("watchdog: %w", err)
	}
	go cmd.Wait() // reap it should it die before ovrseer
	return cmd.Process, w, nil
}

// lose gives up on a watchdog that no longer reads. It is killed before its
// pipe is closed: the EOF would make it kill every group still running.
func (d *watchdog) lose(err error) {
	if d.proc != nil {
		d.proc.Kill()
	}
	d.w.Close()
	d.w, d.err = nil, err
}

// takeErr returns why no watchdog runs, the first time only.
func (d *watchdog) takeErr() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err == nil || d.reported {
		return nil
	}
	d.reported = true
	return fmt.Errorf("%w (processes may outlive ovrseer if it is killed)", d.err)
}

// pid is the watchdog's pid, 0 when none runs (for tests).
func (d *watchdog) pid() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.w == nil {
		return 0
	}
	return d.proc.Pid
}
