package unit

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// exitInfo is how the leader ended.
type exitInfo struct {
	code int
	sig  syscall.Signal // 0 unless killed by a signal
	at   time.Time
}

func (e exitInfo) clean() bool { return e.sig == 0 && e.code == 0 }

// reason is "exit code 2" or "signal SIGSEGV".
func (e exitInfo) reason() string {
	if e.sig != 0 {
		return "signal " + SignalName(e.sig)
	}
	return fmt.Sprintf("exit code %d", e.code)
}

// waitExit waits for child p to exit, reaps it and releases p. It waits for
// a pidfd to become readable in the runtime's poller, so that a waiting
// goroutine holds no OS thread: p.Wait blocks one in waitid for the child's
// whole life, a thread per running child. Without pidfds (Linux before
// 5.10) it falls back to p.Wait. Code -1 means the status was lost.
func waitExit(p *os.Process) exitInfo {
	ws, err := pollWait(p.Pid)
	if err != nil {
		ps, _ := p.Wait() // a pidfd or its polling is not available
		if ps == nil {
			return exitInfo{code: -1, at: time.Now()}
		}
		ws = ps.Sys().(syscall.WaitStatus)
	} else {
		p.Release() // reaped: its pidfd is of no further use
	}
	e := exitInfo{code: -1, at: time.Now()}
	if ws.Signaled() {
		e.sig = ws.Signal()
	} else if ws.Exited() {
		e.code = ws.ExitStatus()
	}
	return e
}

// errNoPidfd means pollWait could not wait: the caller must, otherwise.
var errNoPidfd = errors.New("no pollable pidfd")

// pollWait reaps child pid once its pidfd is readable (it exited). A pidfd
// keeps the pid from being reused until the child is reaped, here.
func pollWait(pid int) (syscall.WaitStatus, error) {
	fd, err := unix.PidfdOpen(pid, unix.PIDFD_NONBLOCK)
	if err != nil {
		return 0, errNoPidfd
	}
	f := os.NewFile(uintptr(fd), "pidfd") // non-blocking: in the poller
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, errNoPidfd
	}
	var ws syscall.WaitStatus
	var werr error
	err = rc.Read(func(uintptr) bool {
		for {
			got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
			switch {
			case err == syscall.EINTR:
				continue
			case err != nil:
				werr = err
				return true
			}
			return got == pid // else still running: wait for readability
		}
	})
	if err == nil {
		err = werr
	}
	if err != nil {
		return 0, fmt.Errorf("wait for %d: %w", pid, err)
	}
	return ws, nil
}
