package unit

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/internal/mailbox"
	"github.com/ovrseer/ovrseer/logger"
)

// sendTimeout bounds one Send when the child does not read its stdin.
const sendTimeout = 5 * time.Second

// Unit supervises one process: spawn, readiness, logs, flags, crashes,
// restarts and stop. One goroutine (started by New, ended by Close) owns its
// state; every method is safe for concurrent use.
type Unit struct {
	spec Spec
	opts Options
	ring *logger.Ring // has its own lock

	cmds *mailbox.Mailbox[command]
	msgs chan procMsg   // from the waiters: exit, group gone
	wake chan struct{}  // cap 1: the line path has flag hits or an open window
	done chan struct{}  // closed when the actor ends
	bg   sync.WaitGroup // waiters (which wait for their readers) and check pollers

	closeOnce sync.Once
	released  chan struct{}           // closed when Close begins: readers stop waiting for the owner
	snap      atomic.Pointer[Status]  // published by the actor
	stdin     atomic.Pointer[os.File] // write end while a Stdin process runs

	mu          sync.Mutex   // the line lock: one reader chunk at a time; guards:
	flags       *flagset.Set // nil without flags
	hits        []flagset.Hit
	expiryArmed bool // the actor's flag timer covers the open windows
	needWake    bool
	logChecks   []*logCheck // ready.log checks of the starting attempt
	logPending  int
	toRing      []logger.Line // the chunk's lines, for the ring at its end

	actor // owned by the actor goroutine
}

// New validates spec, fills in its defaults and starts the unit's goroutine.
// The unit is pending until Start.
func New(spec Spec, opts Options) (*Unit, error) {
	spec, err := spec.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("unit %q: %w", spec.Name, err)
	}
	u := &Unit{
		spec: spec,
		opts: opts,
		ring: logger.NewRing(spec.LogLines),
		cmds: mailbox.New[command](),
		msgs: make(chan procMsg, 4),
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),

		released: make(chan struct{}),
	}
	if len(spec.Flags) > 0 {
		if u.flags, err = flagset.Compile(spec.Flags); err != nil {
			return nil, fmt.Errorf("unit %q: %w", spec.Name, err)
		}
	}
	u.since = time.Now()
	if in := opts.Inherit; in != nil {
		u.inherit = in
		u.total = in.From.Status().Restarts // shown until the takeover (inherit.go) says it all
	}
	u.publish()
	go u.run()
	return u, nil
}

// Spec returns the spec with defaults filled in.
func (u *Unit) Spec() Spec { return u.spec }

// Start spawns the process if it is not running (pending, stopped,
// completed, crashed or failed); the crash streak starts again from zero.
// While the process is stopping, it starts once the group is gone.
func (u *Unit) Start() { u.send(command{kind: cmdStart}) }

// StartOnce is Start for a single run to which no restart policy applies.
func (u *Unit) StartOnce() { u.send(command{kind: cmdStartOnce}) }

// Stop cancels a pending restart and stops the process: StopSignal and
// SIGCONT to its group, SIGKILL after StopTimeout. The returned channel is
// closed once the group is gone (at once if nothing runs). A crash while
// stopping is never restarted.
func (u *Unit) Stop() <-chan struct{} {
	done := make(chan struct{})
	if !u.send(command{kind: cmdStop, done: done}) {
		close(done)
	}
	return done
}

// Kill sends SIGKILL to the group now and cancels any restart.
func (u *Unit) Kill() { u.send(command{kind: cmdKill}) }

// Restart stops the process (if running) and starts it again. It counts in
// Status.Restarts (once the process has run) and resets the crash streak
// that MaxRestarts bounds.
func (u *Unit) Restart() { u.RestartFor("manual") }

// RestartFor is Restart reporting why: EventRestart carries reason (e.g.
// "watch: src/main.go changed") just before the new spawn.
func (u *Unit) RestartFor(reason string) { u.send(command{kind: cmdRestart, reason: reason}) }

// Send writes line and a newline to the process's stdin (Spec.Stdin). It
// gives up after 5 s if the process does not read.
func (u *Unit) Send(line string) error {
	if !u.spec.Stdin {
		return fmt.Errorf("unit %q: send: no stdin (it takes input only with stdin = True)", u.spec.Name)
	}
	f := u.stdin.Load()
	if f == nil {
		return fmt.Errorf("unit %q: send: not running", u.spec.Name)
	}
	b := make([]byte, 0, len(line)+1)
	b = append(append(b, line...), '\n')
	if err := f.SetWriteDeadline(time.Now().Add(sendTimeout)); err != nil {
		return fmt.Errorf("unit %q: send: %w", u.spec.Name, err)
	}
	if _, err := f.Write(b); err != nil {
		return fmt.Errorf("unit %q: send: %w", u.spec.Name, err)
	}
	return nil
}

// Status is a snapshot of a unit.
type Status struct {
	State    State
	Pid      int // 0 when not running
	Restarts int // restarts so far, for any reason (a crash, Restart)
	Exited   bool
	ExitCode int // of the last exit, when Exited and Signal == 0
	Signal   syscall.Signal
	Since    time.Time      // when State was entered
	Flags    map[string]int // every declared flag with its count

	// Unreported counts the crashes that got no report because the unit
	// had already written its maximum (50) this run.
	Unreported int
}

// Status returns a snapshot.
func (u *Unit) Status() Status {
	s := *u.snap.Load()
	u.mu.Lock()
	if u.flags != nil {
		s.Flags = u.flags.Counts()
	}
	u.mu.Unlock()
	if s.Flags == nil {
		s.Flags = map[string]int{}
	}
	return s
}

// Logs returns up to n of the most recent lines, oldest first.
func (u *Unit) Logs(n int) []logger.Line { return u.ring.Last(n) }

// Close stops the process (like Stop), waits for it, and ends the unit's
// goroutine; a reader waiting in Options.Wait is released at once. Further
// calls are no-ops.
func (u *Unit) Close() {
	u.closeOnce.Do(func() {
		close(u.released)
		u.send(command{kind: cmdClose})
		<-u.done
		u.bg.Wait()
	})
}

// send hands c to the actor; false once the actor has ended.
func (u *Unit) send(c command) bool { return u.cmds.Post(c) }
