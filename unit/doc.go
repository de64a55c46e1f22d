// Package unit supervises one process from a plain Spec: spawn in its own
// session, readiness checks, both output streams read continuously into a
// ring and a flag set, crash reports, restarts with backoff, and stopping the
// whole process group.
//
// # Goroutines
//
// Each Unit has one goroutine, the actor, that owns its state: it runs a
// loop over commands (a never-blocking mailbox), the exits its waiters
// report, readiness results and its timers (restart backoff, stop timeout,
// flag windows). Beside it run, per spawn, one waiter and two pipe readers;
// one poller per tcp, http or exec check while the process starts; and, per
// crash, one writer of its report (Options.Sink), so a slow disk never
// delays the actor: EventCrash follows once the report is written or after
// 2 s, then the restart's backoff. A unit writes at most 50 reports
// (Status.Unreported counts the crashes after that).
//
// # States and events
//
// The state changes before the events that report it are emitted, and each
// event carries the state after it (Event.State); EventState follows them.
// An owner that acts on EventState therefore acts after the change was
// reported, and one that reads Status on an event sees that state.
//
// Every child (processes and ready.exec commands, of every unit) is forked
// and reaped by internal/reaper: one goroutine, locked to its OS thread,
// that forks each child (Pdeathsig fires when the forking thread exits, and
// this one never does) and reaps every child on SIGCHLD. The actor hands
// it each spawn and waits for the result; a spawn therefore creates no
// thread. The waiter, an ordinary goroutine, receives the exit status from
// the reaper (a running child holds no thread), lets the readers drain
// for 150 ms at most (a grandchild holding the pipes open never delays the
// exit event), waits for the process group to be empty, then stops what
// escaped it.
//
// The readers hold the unit's line lock for each chunk they read, so lines
// of both streams reach the ring, the flags, the ready.log checks and
// Options.OnLine one at a time, in arrival order, with no goroutine hop.
// When the owner is full (Options.OnChunk), a reader waits in Options.Wait
// after releasing the lock and before reading again: the process then
// blocks on its own writes, Status and the other reader go on, and Close
// releases the wait at once. Time spent waiting after the exit extends the
// 150 ms drain.
//
// # Callbacks
//
// Options.OnEvent is called only from the actor goroutine, never under the
// line lock; every method of the unit may be called from it except Close.
// Options.OnLine is called by the readers under the line lock: it must not
// call Status or Close (Logs and the control methods are fine).
// Options.OnChunk is called by the readers after each chunk, under the
// same lock, so an owner may batch what OnLine collected.
//
// # Process groups
//
// Every child is the leader of its own session and group. A stop signals
// the group (the stop signal, then SIGCONT; SIGKILL after the stop timeout)
// and is complete only once the group has no member left. When the leader
// exits on its own, whatever it left in its group is killed at once, so
// nothing outlives it. Members orphaned by the leader come to ovrseer when
// it is a child subreaper (prctl PR_SET_CHILD_SUBREAPER, set by main), and
// the reaper reaps them as they exit.
//
// A descendant that left the group (setsid) is found by its environment:
// every child carries OVRSEER_UNIT=NAME and this run's OVRSEER_RUN (see
// internal/reaper). Once the group is gone, the unit's processes that
// ovrseer adopted and that still run are stopped the same way (the stop
// signal and SIGCONT, SIGKILL after the stop timeout) and each is named in
// an EventError ("stopped escaped process 1234 (sleep)").
//
// # Watchdog
//
// Each spawned group (and each ready.exec command's) is recorded with
// internal/watchdog, which kills it, and every process of the run, if
// ovrseer dies; it is forgotten once gone. If the watchdog cannot be
// started or stops reading, the next spawn reports it once as an
// EventError and supervision goes on with Pdeathsig alone.
//
// Children start with stdin on /dev/null (or a pipe with Spec.Stdin), only
// fds 0–2 (descriptors ovrseer inherited are marked close-on-exec once) and
// without NOTIFY_SOCKET, LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES.
//
// All methods of Unit are safe for concurrent use.
package unit
