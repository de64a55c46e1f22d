// Package watchdog kills what ovrseer started when ovrseer dies, however
// it dies (SIGKILL and the OOM killer included), and restores the terminal
// its UI held.
//
// Pdeathsig (SIGKILL when the reaper's thread dies) reaches only the
// direct children. For the rest, a binary that calls Enable gets a
// watchdog: on the first WatchGroup (or HoldTerminal) this binary is
// re-executed in its own session as "ovr-watchdog", ignoring SIGINT,
// SIGTERM, SIGHUP and SIGQUIT, with the read end of a pipe as stdin. The
// binary enters it explicitly: main calls Main first and exits with its
// code when it reports ok (moby's reexec.Init pattern); a test binary that
// runs ovrseer's main does the same in its TestMain, before anything else.
//
// ovrseer writes on the pipe "R" and this run's marker (the OVRSEER_RUN
// of every child, see internal/reaper), "+PGID" for each recorded group
// and "-PGID" once it is gone (a group id may be reused afterwards, so it
// must not stay recorded). When the pipe ends, because ovrseer is gone
// however it went (nothing else holds the write end, which is
// close-on-exec), the watchdog SIGKILLs every group still recorded, then
// every process whose environment carries the run's marker (those that
// left their group with setsid are in no recorded group; each is held by
// a pidfd before its environment is read, so a reused pid is never
// killed), and exits. No liveness polling, no pid file, no shared state:
// the kernel closes the pipe.
//
// ovrseer keeps what it told the watchdog. If the watchdog dies while
// ovrseer runs, the reaper hands its status to a goroutine of this
// package, which starts a new one at once, tells it everything again and
// reports the death to the function set by OnLost (ovrseer publishes it
// as a lifecycle:error). If it cannot be started or stops reading (a
// write waits 250 ms at most), WatchGroup reports it once and supervision
// goes on with Pdeathsig alone.
//
// The watchdog also restores the terminal of a UI that ovrseer left in UI
// mode. HoldTerminal (before the UI takes the terminal over) sends
// "T/dev/pts/N CRASHFILE" and starts the watchdog on a goroutine if none
// runs, so that it never waits; ReleaseTerminal (once the UI restored it)
// sends "t". If the pipe ends while the terminal is held, the watchdog,
// after the kills (they matter more, and a write to a terminal may wait,
// 2 s at most), opens the tty (O_NOCTTY), sets canonical mode, echo,
// signal keys and output processing back on, writes what tcell writes
// when it ends (mouse reporting, bracketed paste and keyboard protocols
// off, autowrap and the cursor on, the alternate screen left) and prints
// "ovrseer: exited unexpectedly; terminal restored and its processes
// killed". While the terminal is held a fatal panic's trace, which goes
// to the alternate screen, is copied to CRASHFILE (in os.TempDir,
// debug.SetCrashOutput); the line names it if it is not empty, and the
// watchdog removes it otherwise.
//
// Every function is safe for concurrent use; only the first WatchGroup
// waits for the watchdog's start (lines sent meanwhile are written after
// its own).
package watchdog
