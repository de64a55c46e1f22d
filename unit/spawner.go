package unit

import (
	"os/exec"
	"runtime"
)

// The spawner forks every child of this package (processes and ready.exec
// commands) from one goroutine, locked to its OS thread from the first
// spawn to the end of the process. Pdeathsig (SIGKILL) fires when the
// thread that forked a child exits, not when the process does; this thread
// never exits before the process, so a child gets SIGKILL when ovrseer
// dies, never because the Go runtime retired a thread. One thread serves
// every spawn, so a burst of 50 spawns creates no thread (fork/exec is
// serialised by syscall.ForkLock in any case). Any goroutine may wait for a
// child: waitExit does, without holding a thread.

// spawnReq asks the spawner to start cmd; the result comes back on done.
type spawnReq struct {
	cmd  *exec.Cmd
	done chan error // cap 1
}

// spawnReqs are the spawner's requests. The spawner goroutine exists from
// the package's initialisation on, so that it is no goroutine "leaked" by
// whichever caller spawns first; it takes its thread at the first spawn.
var spawnReqs = startSpawner()

func startSpawner() chan spawnReq {
	reqs := make(chan spawnReq)
	go spawner(reqs)
	return reqs
}

// startCmd starts cmd from the spawner's thread and returns cmd.Start's
// result. It is safe for concurrent use.
func startCmd(cmd *exec.Cmd) error {
	done := make(chan error, 1)
	spawnReqs <- spawnReq{cmd: cmd, done: done}
	return <-done
}

// spawner serves reqs forever. At the first request it locks its OS thread
// and never unlocks it, and it never returns (a locked goroutine's return
// ends its thread, which would SIGKILL every child).
func spawner(reqs <-chan spawnReq) {
	r := <-reqs
	runtime.LockOSThread()
	for {
		r.done <- r.cmd.Start()
		r = <-reqs
	}
}
