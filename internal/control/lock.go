package control

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrRunning is returned by Acquire when another run holds the lock.
var ErrRunning = errors.New("already running")

// RunningError says which process holds the lock.
type RunningError struct{ Pid int }

func (e *RunningError) Error() string {
	return fmt.Sprintf("already running (pid %d): ovrseer attach, ovrseer ps, ovrseer down", e.Pid)
}

func (e *RunningError) Unwrap() error { return ErrRunning }

// Lock is the one-run-per-Ovrfile lock: flock on Paths.Lock, which holds
// the owner's pid.
type Lock struct {
	paths Paths
	f     *os.File
}

// Acquire creates the socket directory (or checks it) and takes the lock
// for paths without waiting. Another live holder is a *RunningError.
func Acquire(paths Paths) (*Lock, error) {
	if err := ensureDir(paths.Dir); err != nil {
		return nil, err
	}
	for range 10 { // a holder may unlink the file between our open and flock
		f, err := os.OpenFile(paths.Lock, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o600)
		if err != nil {
			return nil, fmt.Errorf("control: lock: %w", err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, &RunningError{Pid: readPid(paths.Lock)}
			}
			return nil, fmt.Errorf("control: lock %s: %w", paths.Lock, err)
		}
		if !sameFile(f, paths.Lock) {
			f.Close() // unlinked by its last holder: lock the new one
			continue
		}
		if err := writeOwner(f, paths.Ovrfile); err != nil {
			f.Close()
			return nil, err
		}
		return &Lock{paths: paths, f: f}, nil
	}
	return nil, fmt.Errorf("control: lock %s: it keeps being replaced", paths.Lock)
}

// Release removes the lock file and then lets the lock go.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	os.Remove(l.paths.Lock)
	l.f.Close()
	l.f = nil
}

// Held reports whether a live process holds the lock at path, and its pid.
func Held(path string) (pid int, held bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err == nil {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return 0, false
	}
	return readPid(path), true
}

func sameFile(f *os.File, path string) bool {
	a, err1 := f.Stat()
	b, err2 := os.Lstat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// writeOwner writes the lock file: this pid, then the Ovrfile, a line each.
func writeOwner(f *os.File, ovrfile string) error {
	if err := f.Truncate(0); err != nil {
		return fmt.Errorf("control: lock: %w", err)
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"+ovrfile+"\n"), 0); err != nil {
		return fmt.Errorf("control: lock: %w", err)
	}
	return nil
}

func readPid(path string) int {
	pid, _ := readOwner(path)
	return pid
}

// readOwner reads what writeOwner wrote.
func readOwner(path string) (pid int, ovrfile string) {
	data, _ := os.ReadFile(path)
	first, rest, _ := strings.Cut(string(data), "\n")
	pid, _ = strconv.Atoi(strings.TrimSpace(first))
	return pid, strings.TrimSpace(rest)
}

// Run is a run found by Runs.
type Run struct {
	Pid     int
	Ovrfile string
	Socket  string // "" when it has no control socket (--no-control)
}

// Runs lists the live runs of this user, in both socket directories.
func Runs(getenv func(string) string) []Run {
	var out []Run
	seen := map[string]bool{}
	for _, p := range Candidates("", getenv) {
		if seen[p.Dir] {
			continue
		}
		seen[p.Dir] = true
		locks, _ := filepath.Glob(filepath.Join(p.Dir, "*.lock"))
		for _, l := range locks {
			if _, held := Held(l); !held {
				continue
			}
			pid, ovrfile := readOwner(l)
			r := Run{Pid: pid, Ovrfile: ovrfile}
			if sock := strings.TrimSuffix(l, ".lock") + ".sock"; fileExists(sock) {
				r.Socket = sock
			}
			out = append(out, r)
		}
	}
	return out
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
