package unit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/ovrseer/ovrseer/internal/reaper"
	"github.com/ovrseer/ovrseer/internal/watchdog"
	"github.com/ovrseer/ovrseer/logger"
)

// drainGrace is how long the readers keep reading after the process exited
// before they let go of pipes a grandchild may hold open.
const drainGrace = 150 * time.Millisecond

// attempt is one spawn of the process. The actor owns it; the waiter and
// the check pollers only read fields set before they were started.
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
	watchErr   error         // WatchGroup's report, for after EventSpawn
	announced  chan struct{} // closed after EventSpawn: the readers start then
	stopHealth func()        // ends the health loop (health.go); nil when none runs
	esc        escapeStop    // a requested stop, for what escaped the group (escapestop.go)
}

// procMsg is what a waiter tells the actor.
type procMsg struct {
	a       *attempt
	exit    *exitInfo        // the leader exited (after the readers drained)
	gone    bool             // else: the group is gone (false: gave up waiting)
	escapes []*reaper.Escape // with gone: what escaped the group, stopped
}

// spawn starts a new attempt in state starting. A spawn error is reported
// and handled as a crash.
func (u *Unit) spawn(once bool) {
	u.unhealthyCrash = false // its restart, if any, was reported
	if why := u.restartWhy; why != "" {
		u.restartWhy = ""
		u.emit(Event{Kind: EventRestart, Attempt: u.spawns + 1, Reason: why})
	}
	u.spawns++
	ctx, cancel := context.WithCancel(context.Background())
	a := &attempt{
		n: u.spawns, once: once, ctx: ctx, cancel: cancel,
		results: make(chan checkResult, 2*len(u.spec.Ready)+2), // +2: the health check's verdict, a failed stop_cmd
		passed:  make([]bool, len(u.spec.Ready)),
		pending: len(u.spec.Ready), announced: make(chan struct{}), esc: newEscapeStop(),
	}
	u.setState(StateStarting)
	u.installLogChecks(a)
	if reason := u.portInUse(); reason != "" { // nothing is spawned
		a.end(u)
		u.crash(a, nil, reason)
		return
	}
	if err := u.startProcess(a); err != nil {
		err = spawnError(u.spec, err)
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

// startProcess starts the child through the reaper, records its group
// with the watchdog and starts its waiter; it returns once the child runs
// (or failed to start).
func (u *Unit) startProcess(a *attempt) error {
	cmd, err := u.newCmd()
	if err != nil {
		return err
	}
	p, err := newPipes(u.spec.Stdin)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = p.outW, p.errW
	if p.inR != nil {
		cmd.Stdin = p.inR
	}
	a.start = time.Now() // before Start: the child may run before Start returns
	child, err := reaper.Start(cmd)
	p.closeChild()
	if err != nil {
		closeFiles(p.outR, p.errR, p.inW)
		forgetPath(u.spec.Argv[0]) // look it up again: it may have moved
		return err
	}
	a.pid = child.Pid
	a.watchErr = watchdog.WatchGroup(a.pid) // before the waiter may ForgetGroup it
	if p.inW != nil {
		u.stdin.Store(p.inW)
	}
	u.bg.Add(1)
	go u.wait(a, child, p)
	return nil
}

// wait reads the output of a started child, waits for it and for its
// group, then stops what escaped the group (see stopEscapes).
func (u *Unit) wait(a *attempt, child *reaper.Child, p *pipes) {
	defer u.bg.Done()
	pgid := child.Pid
	<-a.announced // the pipes hold the output meanwhile
	var readers sync.WaitGroup
	readers.Add(2)
	outClock, errClock := &drainClock{f: p.outR}, &drainClock{f: p.errR}
	go u.read(p.outR, logger.Stdout, outClock, &readers)
	go u.read(p.errR, logger.Stderr, errClock, &readers)

	var early []*reaper.Escape // signalled with the group (escapestop.go)
	var st reaper.Status
	select {
	case st = <-child.Exited():
	case <-a.esc.requested:
		early = u.signalEscapes(a)
		st = <-child.Exited()
	}
	exit := exitOf(st)
	// A grandchild may hold the pipes open: drain briefly, then let go.
	outClock.exited(exit.at)
	errClock.exited(exit.at)
	readers.Wait()
	closeFiles(p.outR, p.errR)
	u.post(procMsg{a: a, exit: &exit})
	gone := waitGroupGone(pgid, u.spec.StopTimeout+groupGrace, u.done)
	if !gone && closed(u.done) {
		// The unit closed after an exit that SIGKILLed the group: wait for
		// it to go (bounded) and tell the watchdog, so that the watchdog
		// is not left to kill it after ovrseer, as if ovrseer had crashed.
		gone = waitGroupGone(pgid, groupGrace, nil)
	}
	if gone {
		watchdog.ForgetGroup(pgid)
	}
	escapes := u.stopEscapes(a, early)
	u.post(procMsg{a: a, gone: gone, escapes: escapes})
}

func (u *Unit) post(m procMsg) {
	select {
	case u.msgs <- m:
	case <-u.done:
	}
}

// errTimedOut marks a readiness check that ran out of time.
var errTimedOut = errors.New("timed out")
