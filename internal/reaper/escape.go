package reaper

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// killGrace is how long Stop waits for an escape to die of SIGKILL.
const killGrace = 2 * time.Second

// Escape is a live adopted orphan: a child of ovrseer that Start did not
// start, typically a daemon that left its group with setsid and whose
// parent died. It is held by a pidfd, so a signal reaches this very
// process even if its pid is reused.
type Escape struct {
	Pid  int
	Comm string // its command name, as in /proc/PID/comm
	Unit string // its OVRSEER_UNIT when its OVRSEER_RUN is this run's, else ""
	Pgid int    // its process group when it was found

	Killed bool // Stop needed SIGKILL
	Alive  bool // Stop gave up: it survived SIGKILL for killGrace

	fd        *os.File
	signalled bool // Signal sent the stop signal
}

// Escapes returns ovrseer's live adopted orphans for which match(Unit) is
// true (Unit "" for one that cannot be attributed). The caller must Stop or
// Release them.
func Escapes(match func(unit string) bool) []*Escape {
	t := get()
	t.forks.RLock() // no child is between its fork and its registration, none is reaped
	defer t.forks.RUnlock()
	self := os.Getpid()
	var out []*Escape
	for _, pid := range t.unsupervised(candidates()) {
		if pid == self {
			continue
		}
		if ppid, _, _, ok := stat(pid); !ok || ppid != self {
			continue
		}
		if e := openEscape(pid, self); e != nil {
			if match(e.Unit) {
				out = append(out, e)
			} else {
				e.fd.Close()
			}
		}
	}
	return out
}

// openEscape holds child pid by a pidfd and reads its marker; nil if it is
// no longer a live child of self.
func openEscape(pid, self int) *Escape {
	fd, err := unix.PidfdOpen(pid, unix.PIDFD_NONBLOCK)
	if err != nil {
		return nil
	}
	f := os.NewFile(uintptr(fd), "pidfd") // non-blocking: in the poller
	// Read after the pidfd was opened: if pid was reused meanwhile, the
	// pidfd's process is dead and the signals go nowhere.
	ppid, pgrp, comm, ok := stat(pid)
	if !ok || ppid != self {
		f.Close()
		return nil
	}
	return &Escape{Pid: pid, Comm: comm, Unit: unitOf(pid), Pgid: pgrp, fd: f}
}

// stat reads the parent, process group and command name of pid from
// /proc/PID/stat; not ok for a zombie or a process that is gone.
func stat(pid int) (ppid, pgrp int, comm string, ok bool) {
	if statHook != nil {
		statHook(pid)
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, "", false
	}
	open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || end < open {
		return 0, 0, "", false
	}
	f := strings.Fields(string(b[end+1:])) // state ppid pgrp ...
	if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
		return 0, 0, "", false
	}
	ppid, err = strconv.Atoi(f[1])
	pgrp, err2 := strconv.Atoi(f[2])
	return ppid, pgrp, string(b[open+1 : end]), err == nil && err2 == nil
}

// unitOf is the OVRSEER_UNIT of pid if its OVRSEER_RUN is this run's.
func unitOf(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return ""
	}
	var unit string
	var ours bool
	for _, kv := range bytes.Split(b, []byte{0}) {
		k, v, _ := strings.Cut(string(kv), "=")
		switch k {
		case UnitVar:
			unit = v
		case RunVar:
			ours = v == RunID()
		}
	}
	if !ours {
		return ""
	}
	return unit
}

// Stop stops escapes like a group: sig and SIGCONT to each, SIGKILL to
// those still alive after timeout, and waits for them to die (killGrace
// more at most). It sets Killed and Alive and releases the escapes.
func Stop(escapes []*Escape, sig syscall.Signal, timeout time.Duration) {
	StopBy(escapes, sig, time.Now().Add(timeout))
}

// Release lets go of escapes without stopping them.
func Release(escapes []*Escape) {
	for _, e := range escapes {
		e.fd.Close()
	}
}

func (e *Escape) signal(sig syscall.Signal) {
	rc, err := e.fd.SyscallConn()
	if err != nil {
		return
	}
	rc.Control(func(fd uintptr) { unix.PidfdSendSignal(int(fd), sig, nil, 0) })
}

// waitGone waits until the process exited (its pidfd is readable) or
// deadline; it reports whether it exited.
func (e *Escape) waitGone(deadline time.Time) bool {
	rc, err := e.fd.SyscallConn()
	if err != nil {
		return false
	}
	e.fd.SetReadDeadline(deadline)
	exited := false
	err = rc.Read(func(fd uintptr) bool {
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, _ := unix.Poll(pfd, 0)
		exited = n > 0
		return exited
	})
	return exited || (err != nil && !errors.Is(err, os.ErrDeadlineExceeded))
}
