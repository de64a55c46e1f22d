package unit

import (
	"os/exec"
	"runtime"
	"sync"
)

// The spawner forks every child of this package (processes and ready.exec
// commands) from one goroutine locked to its OS thread for the life of the
// process. Pdeathsig (SIGKILL) fires when the thread that forked a child
// exits, not when the process does; this thread never exits before the
// process, so a child gets SIGKILL when ovrseer dies, never because the Go
// runtime retired a thread. One thread serves every spawn: a burst of 50
// spawns creates no thread, and a running child holds none (fork/exec is
// serialised by syscall.ForkLock in any case). Waiting for a child needs no
// particular thread: any goroutine may call cmd.Wait.

// spawnReq asks the spawner to start cmd; the result comes back on done.
type spawnReq struct {
	cmd  *exec.Cmd
	done chan error // cap 1
}

var (
	spawnerOnce sync.Once
	spawnReqs   chan spawnReq
)

// startCmd starts cmd from the spawner's thread and returns cmd.Start's
// result. It is safe for concurrent use; the spawner starts on first use.
func startCmd(cmd *exec.Cmd) error {
	spawnerOnce.Do(func() {
		spawnReqs = make(chan spawnReq)
		go spawner(spawnReqs)
	})
	done := make(chan error, 1)
	spawnReqs <- spawnReq{cmd: cmd, done: done}
	return <-done
}

// spawner runs forever on its locked thread: it never unlocks it, and it
// never returns (which would end the thread and SIGKILL every child).
func spawner(reqs <-chan spawnReq) {
	runtime.LockOSThread()
	for r := range reqs {
		r.done <- r.cmd.Start()
	}
}
