package watchdog

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

	"github.com/ovrseer/ovrseer/internal/reaper"
)

// envVar marks the process started as the watchdog (see Main). Children
// never see it: ovrseer itself never has it, and the reaper scrubs it.
const envVar = "OVRSEER_WATCHDOG"

// name is the watchdog's argv[0] and process name. It does not contain
// "ovrseer", so `pkill -9 ovrseer` or `killall -9 ovrseer` aimed at ovrseer
// does not take the watchdog down with it, exactly when it is needed.
const name = "ovr-watchdog"

// writeTimeout bounds one write to the watchdog. Lines are a few bytes and
// the watchdog reads at once, so a write waits only when the watchdog
// stopped reading and its 64 KiB pipe is full: it is then lost.
const writeTimeout = 250 * time.Millisecond

// Main runs the watchdog if this process was started as one, and returns
// its exit code and true once ovrseer is gone and everything recorded was
// killed. Otherwise it returns false at once. Call it first in main, and
// exit with the code when ok (moby's reexec.Init pattern): a binary never
// re-executed as its watchdog does something else instead. A test binary
// that runs ovrseer's main must call it too, before running any test.
func Main() (code int, ok bool) {
	if os.Getenv(envVar) != "1" {
		return 0, false
	}
	return watchdogMain(), true
}

// Enable lets this process start a watchdog on its first WatchGroup or
// HoldTerminal: this binary, re-executed, that SIGKILLs every process
// group recorded, and every process marked with this run (see
// reaper.Env), once this process is gone, however it went (SIGKILL and the
// OOM killer included). Call it early in main, before any child starts. A
// binary that never calls it never starts a watchdog: its children rely on
// Pdeathsig alone, which reaches only the direct ones.
func Enable() { dog.enabled.Store(true) }

// OnLost sets report, called (on a goroutine of the watchdog's own) with
// the error when the watchdog died, right after it was restarted or
// failed to restart. Call it once, before or after Enable.
func OnLost(report func(error)) {
	dog.mu.Lock()
	dog.report = report
	dog.mu.Unlock()
}

// watchdogMain is the watchdog: it returns its exit code once ovrseer is
// gone and every group and marked process still recorded was killed.
func watchdogMain() int {
	os.Unsetenv(envVar)
	// Only the end of its stdin ends the watchdog: signals aimed at ovrseer
	// (a terminal's Ctrl-C, a service manager's SIGTERM) must not.
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE)
	os.WriteFile("/proc/self/comm", []byte(name), 0) // best effort, see name
	os.Chdir("/")                                    // keep no directory busy
	// The groups first: they matter more than the terminal, and a write to
	// a terminal may wait (for ttyWriteTimeout at most).
	killed, reg := guard(os.Stdin, killGroup)
	marked := killMarked(reg.run)
	if reg.ctl != "" {
		removeControl(reg.ctl)
	}
	if reg.term.tty != "" {
		note := reg.term.crashNote()
		if err := reg.term.restore(goneMessage + note); err != nil {
			fmt.Fprintf(os.Stderr, "%s: ovrseer is gone: %v%s\n", name, err, note)
		}
	}
	if len(killed) > 0 {
		fmt.Fprintf(os.Stderr, "%s: ovrseer is gone: killed process groups %v\n", name, killed)
	}
	if len(marked) > 0 {
		fmt.Fprintf(os.Stderr, "%s: ovrseer is gone: killed escaped processes %v\n", name, marked)
	}
	return 0
}

// WatchGroup records process group pgid with the watchdog, which SIGKILLs
// the group if ovrseer ends before ForgetGroup(pgid). The first call starts
// the watchdog. It returns an error once, the first time it finds that no
// watchdog runs (it could not be started or was lost), so that the caller
// can report it; the group is then protected by nothing but what the caller
// did (Pdeathsig). It does nothing unless Enable was called. It is safe for
// concurrent use, and blocks only if the watchdog stopped reading (250 ms
// at most, after which it is given up).
func WatchGroup(pgid int) error {
	dog.send('+', pgid)
	return dog.takeErr()
}

// ForgetGroup tells the watchdog that process group pgid is gone: call it
// once the group has no member left (or was sent SIGKILL), never before, and
// always, since a recorded id may be reused by an unrelated group.
func ForgetGroup(pgid int) { dog.send('-', pgid) }

// watchdog is ovrseer's side of the watchdog: starting it, writing to it,
// restarting it when it dies. It keeps what it told the watchdog, so that
// a new one is told the same.
type watchdog struct {
	enabled atomic.Bool // Enable was called: the watchdog may start
	exe     string      // the binary to start as the watchdog

	mu       sync.Mutex // guards:
	started  bool       // a start was attempted (once)
	starting bool       // the first sender is starting it, without mu
	pending  []byte     // lines sent while starting, written once it runs
	child    *reaper.Child
	w        *os.File // the write end of its stdin; nil when none runs
	err      error    // why none runs
	reported bool     // err was returned by takeErr
	groups   map[int]struct{}
	term     []byte // the "T" line while the terminal is held
	ctl      []byte // the "C" line: the control socket and lock
	report   func(error)
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

// queue records line, and writes it or keeps it while the watchdog
// starts. It returns true if the watchdog was never started: the caller
// must launch it.
func (d *watchdog) queue(line []byte) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.remember(line)
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

// remember keeps the registry a restarted watchdog must be told; mu is held.
func (d *watchdog) remember(line []byte) {
	if d.groups == nil {
		d.groups = map[int]struct{}{}
	}
	switch line[0] {
	case 'T':
		d.term = line
	case 't':
		d.term = nil
	case 'C':
		d.ctl = line
	default:
		applyGroup(d.groups, line[:len(line)-1])
	}
}

// launch starts the watchdog (queue asked for it, mu not held) and writes
// the lines kept meanwhile, the first sender's first.
func (d *watchdog) launch() {
	child, w, err := d.start()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.starting = false
	d.child, d.w, d.err = child, w, err
	d.write(d.pending)
	d.pending = nil
}

// write writes lines to a running watchdog; mu is held.
func (d *watchdog) write(lines []byte) {
	if d.w == nil || len(lines) == 0 {
		return
	}
	d.w.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := d.w.Write(lines); err != nil {
		d.lose(fmt.Errorf("watchdog: write: %w", err))
	}
}

// start starts the watchdog in its own session (so a terminal's signals to
// ovrseer's group never reach it) with the read end of a pipe as stdin,
// tells it this run's marker, and returns it with the pipe's write end. A
// goroutine restarts it should it die before ovrseer.
func (d *watchdog) start() (*reaper.Child, *os.File, error) {
	r, w, err := os.Pipe() // close-on-exec: no child inherits the write end
	if err != nil {
		return nil, nil, fmt.Errorf("watchdog: %w", err)
	}
	defer r.Close()
	cmd := &exec.Cmd{
		Path:        d.exe,
		Args:        []string{name},
		Env:         append(os.Environ(), envVar+"=1"),
		Stdin:       r,                                  // an *os.File: no copying goroutine
		Stderr:      os.Stderr,                          // for its one line when it killed something
		SysProcAttr: &syscall.SysProcAttr{Setsid: true}, // no Pdeathsig: it outlives ovrseer
	}
	child, err := reaper.Start(cmd)
	if err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("watchdog: %w", err)
	}
	w.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := w.Write([]byte("R" + reaper.RunID() + "\n")); err != nil {
		child.Signal(syscall.SIGKILL)
		w.Close()
		return nil, nil, fmt.Errorf("watchdog: write: %w", err)
	}
	go d.monitor(child)
	return child, w, nil
}

// monitor waits for the watchdog child to exit. If it is still the one
// in use, it died: it is restarted, told the whole registry again, and the
// death is reported.
func (d *watchdog) monitor(child *reaper.Child) {
	st := <-child.Exited()
	d.mu.Lock()
	if d.child != child || d.w == nil {
		d.mu.Unlock()
		return // given up on (lose) or never in use
	}
	d.w.Close()
	d.w = nil
	d.mu.Unlock()
	lost := fmt.Errorf("watchdog (pid %d) died: %s", child.Pid, describe(st))
	next, w, err := d.start()
	d.mu.Lock()
	d.child, d.w, d.err = next, w, err
	if err == nil {
		d.write(d.registry())
		lost = fmt.Errorf("%w; restarted", lost)
	} else {
		d.reported = false
		lost = fmt.Errorf("%w; restart failed: %w", lost, err)
	}
	report := d.report
	d.mu.Unlock()
	if report != nil {
		report(lost)
	}
}

// registry is every line a new watchdog must be told; mu is held.
func (d *watchdog) registry() []byte {
	var b []byte
	for g := range d.groups {
		b = strconv.AppendInt(append(b, '+'), int64(g), 10)
		b = append(b, '\n')
	}
	return append(append(b, d.term...), d.ctl...)
}

// describe is "exit code 2" or "signal 9".
func describe(st reaper.Status) string {
	if st.Signal != 0 {
		return "killed by signal " + strconv.Itoa(int(st.Signal))
	}
	return "exit code " + strconv.Itoa(st.Code)
}

// lose gives up on a watchdog that no longer reads. It is killed before its
// pipe is closed: the EOF would make it kill every group still running.
func (d *watchdog) lose(err error) {
	if d.child != nil {
		d.child.Signal(syscall.SIGKILL)
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
	return d.child.Pid
}
