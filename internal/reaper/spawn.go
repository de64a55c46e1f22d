package reaper

import (
	"errors"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Status is how a child ended, and when it was reaped.
type Status struct {
	Code   int            // exit code; -1 when killed by a signal
	Signal syscall.Signal // 0 unless killed by a signal
	At     time.Time
}

// Child is a process started by Start.
type Child struct {
	Pid    int // also its process group and session id unless SysProcAttr said otherwise
	exited chan Status
}

// Signal sends sig to the child itself (not its group) unless it was
// reaped: a reused pid is never signalled.
func (c *Child) Signal(sig syscall.Signal) {
	t := get()
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.children[c.Pid]; e != nil && e.child == c {
		e.proc.Signal(sig)
	}
}

// Exited delivers the child's status once, when it was reaped.
func (c *Child) Exited() <-chan Status { return c.exited }

// errStdio refuses what would need exec.Cmd.Wait, which nothing may call.
var errStdio = errors.New("reaper: stdin, stdout and stderr must be *os.File or nil, and no context")

// Start starts cmd from the reaper's thread and registers it, so that its
// status goes to the returned Child and to nothing else. Without
// cmd.SysProcAttr the child gets its own session and SIGKILL when ovrseer
// dies (Setsid, Pdeathsig). cmd.Wait must never be called: its standard
// streams must be files (or nil) and it must not come from
// exec.CommandContext. Descriptors ovrseer inherited are marked
// close-on-exec once, so a child gets only fds 0-2 and cmd.ExtraFiles.
func Start(cmd *exec.Cmd) (*Child, error) {
	if !fileOrNil(cmd.Stdin) || !fileOrNil(cmd.Stdout) || !fileOrNil(cmd.Stderr) || cmd.Cancel != nil {
		return nil, errStdio
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}
	}
	done := make(chan startResult, 1)
	get().reqs <- startReq{cmd: cmd, done: done}
	r := <-done
	return r.child, r.err
}

func fileOrNil(v any) bool {
	if v == nil {
		return true
	}
	f, ok := v.(*os.File)
	return ok && f != nil
}

type startReq struct {
	cmd  *exec.Cmd
	done chan startResult // cap 1
}

type startResult struct {
	child *Child
	err   error
}

// table is the reaper: the goroutine's requests and signals, and the
// children it started that were not reaped yet.
type table struct {
	reqs chan startReq
	sigs chan os.Signal

	// forks is held (written) by each start from the fork to the
	// registration and by each reaping, and read by Escapes for its scan:
	// a child being started is never taken for an adopted one, and no
	// child leaves the kernel's lists of children while they are read.
	forks sync.RWMutex

	mu       sync.Mutex // guards:
	children map[int]*entry
	orphans  int // adopted orphans reaped
}

type entry struct {
	child *Child
	proc  *os.Process // released once reaped
}

var (
	once sync.Once
	tab  *table
)

// Init starts the reaper (its goroutine, locked to its thread, and the
// SIGCHLD subscription) if it does not run yet; the first Start does it
// otherwise. The reaper runs until the process ends: a test that counts
// goroutines calls Init before it counts.
func Init() { get() }

// get returns the reaper, starting its goroutine on first use.
func get() *table {
	once.Do(func() {
		closeInheritedOnExec()
		tab = &table{reqs: make(chan startReq), sigs: make(chan os.Signal, 1), children: map[int]*entry{}}
		signal.Notify(tab.sigs, syscall.SIGCHLD)
		go tab.loop()
	})
	return tab
}

// loop forks and reaps forever. It locks its OS thread and never returns:
// a locked goroutine's return ends its thread, which would SIGKILL every
// child.
func (t *table) loop() {
	runtime.LockOSThread()
	for {
		select {
		case r := <-t.reqs:
			r.done <- t.start(r.cmd)
		case <-t.sigs:
		}
		t.forks.Lock()
		t.reap()
		t.forks.Unlock()
	}
}

func (t *table) start(cmd *exec.Cmd) startResult {
	t.forks.Lock()
	defer t.forks.Unlock()
	if err := cmd.Start(); err != nil {
		return startResult{err: err}
	}
	c := &Child{Pid: cmd.Process.Pid, exited: make(chan Status, 1)}
	t.mu.Lock()
	t.children[c.Pid] = &entry{child: c, proc: cmd.Process}
	t.mu.Unlock()
	return startResult{child: c}
}

// reap collects every status there is: a started child's goes to its
// Child, an adopted orphan's is dropped.
func (t *table) reap() {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || pid <= 0 {
			return
		}
		st := Status{Code: -1, At: time.Now()}
		if ws.Signaled() {
			st.Signal = ws.Signal()
		} else if ws.Exited() {
			st.Code = ws.ExitStatus()
		}
		t.mu.Lock()
		e := t.children[pid]
		delete(t.children, pid)
		if e == nil {
			t.orphans++
		} else {
			e.proc.Release() // its pidfd, if any, is of no further use
		}
		t.mu.Unlock()
		if e != nil {
			e.child.exited <- st
		}
	}
}

// unsupervised filters pids, in place, to those that are not children
// started by Start and not reaped yet.
func (t *table) unsupervised(pids []int) []int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.DeleteFunc(pids, func(pid int) bool { return t.children[pid] != nil })
}

// Orphans is how many adopted orphans were reaped so far.
func Orphans() int {
	t := get()
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.orphans
}

// closeInheritedOnExec marks every descriptor above 2 close-on-exec. Go
// opens its own that way, but descriptors ovrseer inherited without the
// flag would otherwise leak into every child (only fds 0–2 may).
func closeInheritedOnExec() {
	if unix.CloseRange(3, math.MaxUint32, unix.CLOSE_RANGE_CLOEXEC) == nil {
		return
	}
	entries, err := os.ReadDir("/proc/self/fd") // kernels before 5.11
	if err != nil {
		return
	}
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
			unix.CloseOnExec(fd)
		}
	}
}
