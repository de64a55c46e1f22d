// Package reaper forks and reaps every child process of ovrseer.
//
// One goroutine, locked to its OS thread from its start to the end of the
// process, owns the process table: it forks each child (Start) and reaps
// every child, supervised or adopted. Pdeathsig (SIGKILL) fires when the
// thread that forked a child exits, not when the process does; that thread
// never exits before the process, so a child gets SIGKILL when ovrseer
// dies, never because the Go runtime retired a thread. The goroutine starts
// with the first Start (nothing runs at package initialisation).
//
// Reaping follows containerd's reaper: on every SIGCHLD the goroutine calls
// wait4(-1, WNOHANG) until no child is left to reap. A status whose pid was
// started by Start is handed to that child's waiter (Child.Exited); any
// other is an orphan that ovrseer, as a child subreaper, adopted: it is
// reaped at once and counted. Because the same goroutine forks and reaps,
// a child is registered before its status can be collected, and nothing
// else in the process may wait for a child: every fork goes through Start.
//
// Children are marked in their environment (Env): OVRSEER_UNIT names what
// started them and OVRSEER_RUN this run. A descendant that left its process
// group (setsid) is adopted by ovrseer once its parent dies; Escapes finds
// those still alive by reading /proc/PID/environ, and Stop stops them. The
// watchdog uses the run marker to kill what is left if ovrseer dies.
//
// All functions are safe for concurrent use.
package reaper
