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
// by the package's spawner: one goroutine that locks its OS thread at the
// first spawn and keeps it until the process ends, because Pdeathsig
// (SIGKILL) fires when the forking thread exits. The actor hands it each
// spawn and waits for the result; a spawn therefore creates no thread. The
// waiter, an ordinary goroutine, waits for the exit in the runtime's poller
// (a pidfd; a running child holds no thread either), lets the readers drain
// for 150 ms at most (a grandchild holding the pipes open never delays the
// exit event), and waits for the process group to be empty.
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
// nothing outlives it. Group members orphaned by the leader are reaped by
// the unit if ovrseer is their parent, that is when the process is a child
// subreaper (prctl PR_SET_CHILD_SUBREAPER, set by main); otherwise init
// must reap them before the group counts as gone.
//
// # Watchdog
//
// Pdeathsig (SIGKILL when the spawner's thread dies) reaches only the
// direct children. For the rest, a binary that calls EnableWatchdog gets a
// watchdog: on the first spawn this binary is re-executed in its own
// session as "ovr-watchdog", ignoring SIGINT, SIGTERM, SIGHUP and SIGQUIT,
// with the read end of a pipe as stdin. Each spawned group (and each
// ready.exec command's) is recorded on it ("+PGID") and forgotten once gone
// ("-PGID"); when the pipe ends, because ovrseer is gone however it died,
// the watchdog SIGKILLs every group still recorded and exits. The package's
// init makes a process started as the watchdog run only that. WatchGroup
// and ForgetGroup let other packages record their own groups; they are
// safe for concurrent use, and only the first waits for the watchdog's
// start (lines sent meanwhile are written after its own). If the watchdog cannot be started or stops
// reading, the next spawn reports it once as an EventError and supervision
// goes on with Pdeathsig alone.
//
// The watchdog also restores the terminal of a UI that ovrseer left in UI
// mode. HoldTerminal (before the UI takes the terminal over) sends
// "T/dev/pts/N CRASHFILE" and starts the watchdog on a goroutine if none
// runs, so that it never waits; ReleaseTerminal (once the UI restored it)
// sends "t". If the pipe ends while the terminal is held, the watchdog,
// after the groups are killed (they matter more, and a write to a terminal
// may wait, 2 s at most), opens the tty (O_NOCTTY), sets canonical mode,
// echo, signal keys and output processing back on, writes what tcell
// writes when it ends (mouse reporting, bracketed paste and keyboard
// protocols off, autowrap and the cursor on, the alternate screen left)
// and prints "ovrseer: exited unexpectedly; terminal restored and its
// processes killed". While the terminal is held a fatal panic's trace,
// which goes to the alternate screen, is copied to CRASHFILE (in
// os.TempDir, debug.SetCrashOutput); the line names it if it is not empty,
// and the watchdog removes it otherwise. HoldTerminal and ReleaseTerminal
// are safe for concurrent use.
//
// Children start with stdin on /dev/null (or a pipe with Spec.Stdin), only
// fds 0–2 (descriptors ovrseer inherited are marked close-on-exec once) and
// without NOTIFY_SOCKET, LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES.
//
// All methods of Unit are safe for concurrent use.
package unit
