package watchdog

import (
	"bytes"
	"os"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/ovrseer/ovrseer/internal/reaper"
)

// maxPasses bounds killMarked: a pass that finds a process may miss what
// it forked meanwhile, which the next pass finds.
const maxPasses = 5

// killMarked SIGKILLs every process whose environment carries
// OVRSEER_RUN=run (what ovrseer's children, and all they started, inherit):
// those that left their process group with setsid are in no recorded
// group. It returns their pids. Nothing is killed for an empty run.
func killMarked(run string) []int {
	if run == "" {
		return nil
	}
	marker := []byte(reaper.RunVar + "=" + run)
	var killed []int
	for range maxPasses {
		n := len(killed)
		killed = append(killed, killPass(marker)...)
		if len(killed) == n {
			break
		}
	}
	return killed
}

// killPass kills the marked processes alive now. Each is held by a pidfd
// before its environment is read, so a reused pid is never killed.
func killPass(marker []byte) []int {
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := os.Getpid()
	var killed []int
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || pid == self {
			continue
		}
		fd, err := unix.PidfdOpen(pid, 0)
		if err != nil {
			continue
		}
		env, err := os.ReadFile("/proc/" + d.Name() + "/environ")
		if err == nil && hasVar(env, marker) && !zombie(d.Name()) && unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0) == nil {
			killed = append(killed, pid)
		}
		unix.Close(fd)
	}
	return killed
}

// hasVar reports whether the NUL-separated environment env holds kv.
func hasVar(env, kv []byte) bool {
	for len(env) > 0 {
		var v []byte
		v, env, _ = bytes.Cut(env, []byte{0})
		if bytes.Equal(v, kv) {
			return true
		}
	}
	return false
}

// zombie reports whether process pid is dead (a zombie, or gone).
func zombie(pid string) bool {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	i := bytes.LastIndexByte(b, ')') // the name may hold anything
	if err != nil || i < 0 || i+2 >= len(b) {
		return true
	}
	return b[i+2] == 'Z' || b[i+2] == 'X'
}
