package unit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/logger"
	"golang.org/x/sys/unix"
)

// drainGrace is how long the readers keep reading after the process exited
// before they let go of pipes a grandchild may hold open.
const drainGrace = 150 * time.Millisecond

// attempt is one spawn of the process. The actor owns it; the waiter sets
// start before it reports the Start, and the waiter and the check pollers
// only read fields set before that.
type attempt struct {
	n     int
	once  bool // StartOnce: no restart policy
	pid   int  // also the process group id (Setsid)
	start time.Time

	ctx     context.Context // cancelled when the attempt's checks end
	cancel  context.CancelFunc
	results chan checkResult
	passed  []bool
	pending int
	timers  []*time.Timer // ready.log and ready.exit timeouts

	failReason string        // readiness failed: the crash reason
	killTimer  *time.Timer   // SIGKILL to the group when it fires
	watchErr   error         // set by the waiter before it reports the Start
	announced  chan struct{} // closed after EventSpawn: the readers start then
}

// procMsg is what a waiter tells the actor.
type procMsg struct {
	a    *attempt
	exit *exitInfo // the leader exited (after the readers drained)
	gone bool      // else: the group is gone (false: gave up waiting)
}

// spawn starts a new attempt in state starting. A spawn error is reported
// and handled as a crash.
func (u *Unit) spawn(once bool) {
	u.spawns++
	ctx, cancel := context.WithCancel(context.Background())
	a := &attempt{
		n: u.spawns, once: once, ctx: ctx, cancel: cancel,
		results: make(chan checkResult, 2*len(u.spec.Ready)),
		passed:  make([]bool, len(u.spec.Ready)),
		pending: len(u.spec.Ready), announced: make(chan struct{}),
	}
	u.setState(StateStarting)
	u.installLogChecks(a)
	if err := u.startProcess(a); err != nil {
		a.end(u)
		u.emit(Event{Kind: EventError, Err: fmt.Errorf("unit %q: spawn: %w", u.spec.Name, err)})
		u.crash(a, nil, "spawn: "+err.Error())
		return
	}
	u.cur = a
	u.publish()
	u.emit(Event{Kind: EventSpawn, Pid: a.pid, Attempt: a.n})
	close(a.announced) // no line of this attempt comes before its spawn event
	if a.watchErr != nil {
		u.emit(Event{Kind: EventError, Err: fmt.Errorf("unit %q: %w", u.spec.Name, a.watchErr)})
	}
	u.startChecks(a)
}

// pipes are the parent's and the child's ends of the three standard streams.
type pipes struct {
	outR, outW, errR, errW *os.File
	inR, inW               *os.File // nil without Spec.Stdin
}

func newPipes(stdin bool) (*pipes, error) {
	p := &pipes{}
	var err error
	if p.outR, p.outW, err = os.Pipe(); err != nil {
		return nil, err
	}
	if p.errR, p.errW, err = os.Pipe(); err != nil {
		p.closeAll()
		return nil, err
	}
	if stdin {
		if p.inR, p.inW, err = os.Pipe(); err != nil {
			p.closeAll()
			return nil, err
		}
	}
	return p, nil
}

// closeChild closes the child's ends in the parent (after Start).
func (p *pipes) closeChild() { closeFiles(p.outW, p.errW, p.inR) }

func (p *pipes) closeAll() { closeFiles(p.outR, p.outW, p.errR, p.errW, p.inR, p.inW) }

func closeFiles(fs ...*os.File) {
	for _, f := range fs {
		if f != nil {
			f.Close()
		}
	}
}

// startProcess starts the child from a goroutine locked to its OS thread
// and returns once it runs (or failed to start).
func (u *Unit) startProcess(a *attempt) error {
	cloexecOnce.Do(closeInheritedOnExec)
	p, err := newPipes(u.spec.Stdin)
	if err != nil {
		return err
	}
	cmd := exec.Command(u.spec.Argv[0], u.spec.Argv[1:]...)
	cmd.Dir = u.spec.Dir
	cmd.Env = childEnv(u.spec.Env)
	cmd.Stdout, cmd.Stderr = p.outW, p.errW
	if p.inR != nil {
		cmd.Stdin = p.inR // else /dev/null
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}
	started := make(chan error, 1)
	u.bg.Add(1)
	go u.wait(a, cmd, p, started)
	if err := <-started; err != nil {
		return err
	}
	a.pid = cmd.Process.Pid
	if p.inW != nil {
		u.stdin.Store(p.inW)
	}
	return nil
}

// wait starts cmd, reads its output, waits for it and for its group. The
// goroutine keeps its OS thread locked until it ends, after the child:
// Pdeathsig fires when the thread that forked the child exits, so the child
// gets SIGKILL if ovrseer dies, never because the Go runtime retired a thread.
func (u *Unit) wait(a *attempt, cmd *exec.Cmd, p *pipes, started chan<- error) {
	defer u.bg.Done()
	runtime.LockOSThread()
	a.start = time.Now() // before Start: the child may run before Start returns
	err := cmd.Start()
	p.closeChild()
	if err != nil {
		closeFiles(p.outR, p.errR, p.inW)
		started <- err
		return
	}
	pgid := cmd.Process.Pid
	a.watchErr = WatchGroup(pgid) // here, so that it comes before ForgetGroup
	started <- nil
	<-a.announced // the pipes hold the output meanwhile
	var readers sync.WaitGroup
	readers.Add(2)
	go u.read(p.outR, logger.Stdout, &readers)
	go u.read(p.errR, logger.Stderr, &readers)

	err = cmd.Wait()
	exit := newExitInfo(cmd.ProcessState, err)
	// A grandchild may hold the pipes open: drain briefly, then let go.
	deadline := exit.at.Add(drainGrace)
	p.outR.SetReadDeadline(deadline)
	p.errR.SetReadDeadline(deadline)
	readers.Wait()
	closeFiles(p.outR, p.errR)
	u.post(procMsg{a: a, exit: &exit})
	gone := waitGroupGone(pgid, u.spec.StopTimeout+groupGrace, u.done)
	if gone {
		ForgetGroup(pgid)
	}
	u.post(procMsg{a: a, gone: gone})
}

func (u *Unit) post(m procMsg) {
	select {
	case u.msgs <- m:
	case <-u.done:
	}
}

// exitInfo is how the leader ended.
type exitInfo struct {
	code int
	sig  syscall.Signal // 0 unless killed by a signal
	at   time.Time
}

func newExitInfo(ps *os.ProcessState, err error) exitInfo {
	e := exitInfo{code: -1, at: time.Now()}
	if ps == nil {
		return e
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		e.sig = ws.Signal()
		return e
	}
	e.code = ps.ExitCode()
	return e
}

func (e exitInfo) clean() bool { return e.sig == 0 && e.code == 0 }

// reason is "exit code 2" or "signal SIGSEGV".
func (e exitInfo) reason() string {
	if e.sig != 0 {
		return "signal " + signalName(e.sig)
	}
	return fmt.Sprintf("exit code %d", e.code)
}

var cloexecOnce sync.Once

// closeInheritedOnExec marks every descriptor above 2 close-on-exec. Go
// opens its own that way, but descriptors ovrseer inherited without the
// flag would otherwise leak into every child (only fds 0–2 may).
func closeInheritedOnExec() {
	if unix.CloseRange(3, math.MaxUint32, unix.CLOSE_RANGE_CLOEXEC) == nil {
		return
	}
	entries, err := os.ReadDir("/proc/self/fd") // kernels before 5.11
	if err != nil {
		return
	}
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
			unix.CloseOnExec(fd)
		}
	}
}

// scrubbedEnv are the variables a child must not inherit: they describe
// ovrseer's own service-manager sockets, or would make it a watchdog.
var scrubbedEnv = []string{"NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", watchdogEnv}

// childEnv is ovrseer's environment without scrubbedEnv, plus extra
// (which wins over an inherited variable of the same name).
func childEnv(extra []string) []string {
	env := os.Environ()
	out := make([]string, 0, len(env)+len(extra))
	for _, kv := range env {
		if !scrubbed(kv) {
			out = append(out, kv)
		}
	}
	return append(out, extra...)
}

func scrubbed(kv string) bool {
	k, _, _ := strings.Cut(kv, "=")
	for _, s := range scrubbedEnv {
		if k == s {
			return true
		}
	}
	return false
}

// errTimedOut marks a readiness check that ran out of time.
var errTimedOut = errors.New("timed out")
