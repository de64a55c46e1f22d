package reaper

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// GroupEscapes returns the live descendants of leader that left its process
// group (pgid leader): a daemon that called setsid while its parent still
// runs, so it is not adopted yet and a signal to the group misses it. They
// are held by pidfds (Unit is unit); the caller must Stop or Release them.
// With Escapes (the adopted ones) it lets a stop signal them together with
// the group, under one timeout.
func GroupEscapes(leader int, unit string) []*Escape {
	var out []*Escape
	for _, d := range descendants(leader) {
		if d.pgrp != leader {
			if e := openDescendant(d.pid, d.ppid, unit); e != nil {
				out = append(out, e)
			}
		}
	}
	return out
}

// proc is one live process: its pid, parent and process group.
type proc struct{ pid, ppid, pgrp int }

// descendants are the live descendants of leader, found by descent
// through /proc/PID/task/TID/children, so that only they are read, or,
// where the kernel has no such file, by reading every process.
func descendants(leader int) []proc {
	var out []proc
	queue, ok := childrenOf(leader)
	if !ok {
		return descendantsByScan(leader)
	}
	seen := map[int]bool{leader: true}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		if seen[pid] { // a pid reused during the descent
			continue
		}
		seen[pid] = true
		ppid, pgrp, ok := statGroup(pid)
		if !ok {
			continue
		}
		out = append(out, proc{pid, ppid, pgrp})
		more, _ := childrenOf(pid)
		queue = append(queue, more...)
	}
	return out
}

// childrenOf lists the children of every thread of pid; not ok when the
// kernel has no children files (a process that is gone has none either).
func childrenOf(pid int) (pids []int, ok bool) {
	dir := "/proc/" + strconv.Itoa(pid) + "/task/"
	f, err := os.Open(dir)
	if err != nil {
		return nil, true // gone
	}
	tids, _ := f.Readdirnames(-1)
	f.Close()
	for _, tid := range tids {
		b, err := os.ReadFile(dir + tid + "/children")
		if errors.Is(err, fs.ErrNotExist) {
			if _, err := os.Stat(dir + tid); err == nil {
				return nil, false // the thread is there, its children file is not
			}
		}
		for f := range strings.FieldsSeq(string(b)) {
			if c, err := strconv.Atoi(f); err == nil {
				pids = append(pids, c)
			}
		}
	}
	return pids, true
}

// descendantsByScan finds the descendants of leader among every process.
func descendantsByScan(leader int) []proc {
	procs := map[int]proc{}
	children := map[int][]int{}
	for _, pid := range allPids() {
		if ppid, pgrp, ok := statGroup(pid); ok {
			procs[pid] = proc{pid, ppid, pgrp}
			children[ppid] = append(children[ppid], pid)
		}
	}
	var out []proc
	queue := append([]int(nil), children[leader]...)
	for len(queue) > 0 {
		pid := queue[0]
		queue = append(queue[1:], children[pid]...)
		out = append(out, procs[pid])
	}
	return out
}

// openDescendant holds pid by a pidfd; nil unless it is still alive with
// parent ppid (read after the pidfd was opened, so a reused pid is never
// held).
func openDescendant(pid, ppid int, unit string) *Escape {
	fd, err := unix.PidfdOpen(pid, unix.PIDFD_NONBLOCK)
	if err != nil {
		return nil
	}
	f := os.NewFile(uintptr(fd), "pidfd")
	now, pgrp, comm, ok := stat(pid)
	if !ok || now != ppid {
		f.Close()
		return nil
	}
	return &Escape{Pid: pid, Comm: comm, Unit: unit, Pgid: pgrp, fd: f}
}

// statGroup reads the parent and process group of pid from
// /proc/PID/stat; not ok for a zombie or a process that is gone.
func statGroup(pid int) (ppid, pgrp int, ok bool) {
	if statHook != nil {
		statHook(pid)
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	end := bytes.LastIndexByte(b, ')')
	if end < 0 {
		return 0, 0, false
	}
	f := strings.Fields(string(b[end+1:])) // state ppid pgrp ...
	if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
		return 0, 0, false
	}
	ppid, err = strconv.Atoi(f[1])
	pgrp, err2 := strconv.Atoi(f[2])
	return ppid, pgrp, err == nil && err2 == nil
}

// Signal sends sig and SIGCONT to each escape now; StopBy then gives them
// only what is left until its deadline and does not signal them again.
func Signal(escapes []*Escape, sig syscall.Signal) {
	for _, e := range escapes {
		e.signal(sig)
		e.signal(syscall.SIGCONT)
		e.signalled = true
	}
}

// StopBy stops escapes like a group whose stop began earlier: sig and
// SIGCONT to each not yet signalled (Signal), SIGKILL at deadline to those
// still alive, and waits for them to die (killGrace more at most). It sets
// Killed and Alive and releases the escapes.
func StopBy(escapes []*Escape, sig syscall.Signal, deadline time.Time) {
	for _, e := range escapes {
		if !e.signalled {
			e.signal(sig)
			e.signal(syscall.SIGCONT)
		}
	}
	for _, e := range escapes {
		if !e.waitGone(deadline) {
			e.Killed = true
			e.signal(syscall.SIGKILL)
		}
	}
	deadline = time.Now().Add(killGrace)
	for _, e := range escapes {
		if e.Killed {
			e.Alive = !e.waitGone(deadline)
		}
		e.fd.Close()
	}
}

// Gone reports whether the escape has exited.
func (e *Escape) Gone() bool { return e.waitGone(time.Now()) }
