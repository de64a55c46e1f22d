// Package loadguard runs the load of an Ovrfile in a re-executed copy of
// the current executable whose address space may grow by at most a limit
// (RLIMIT_AS), so that an Ovrfile that allocates without end is a clear
// error instead of an out-of-memory kill of the supervisor.
//
// The machinery is process-wide, so it is entered explicitly: main calls
// Enter first (in the style of moby's reexec.Init, without init()), and a
// child runs only the load and exits. The parent calls Run, then loads
// in-process only if the child succeeded: the same file and environment
// give the same plan.
package loadguard

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ovrseer/ovrseer/internal/reaper"
)

// envChild marks a load child; its value is the limit in bytes.
const envChild = "OVRSEER_LOADGUARD_LIMIT"

// DefaultLimit is how much a load child's address space may grow.
const DefaultLimit = 1 << 30

// ExitLoadFailed is a child's exit code when the load failed normally
// (its errors are on the child's stderr); 0 means it loaded.
const ExitLoadFailed = 65

// role is what Enter made of this process.
var role atomic.Int32

const (
	roleNone   = iota // Enter was not called (a test): Run is not used
	roleParent        // may load in children
	roleChild         // a load child
)

// Enter is main's first step. It reports whether this process is a load
// child; if it is, the address-space limit is applied first, and main
// only loads and exits. Otherwise Enabled reports true from now on.
func Enter() (child bool) {
	v, ok := os.LookupEnv(envChild)
	if !ok {
		role.Store(roleParent)
		return false
	}
	role.Store(roleChild)
	limit, err := strconv.ParseUint(v, 10, 64)
	if err != nil || limit == 0 {
		limit = DefaultLimit
	}
	applyLimit(limit)
	return true
}

// Enabled reports whether loads should go through Run: Enter was called
// and this process is not a load child.
func Enabled() bool { return role.Load() == roleParent }

// applyLimit caps the address space at what the process has now plus
// limit (a Go process reserves about a gigabyte before it allocates
// anything, so an absolute cap would measure the runtime, not the load),
// and tells the garbage collector to work hard near it.
func applyLimit(limit uint64) {
	debug.SetMemoryLimit(int64(limit))
	if raceBuild {
		return
	}
	cur := vmSize()
	_ = unix.Setrlimit(unix.RLIMIT_AS, &unix.Rlimit{Cur: cur + limit, Max: cur + limit}) // best effort: the parent reports what happens
}

// vmSize is the current address-space size in bytes (0 if unknown).
func vmSize() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmSize:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// Options configure Run.
type Options struct {
	Args    []string      // the command line to re-execute with (os.Args)
	File    string        // the Ovrfile, for messages
	Limit   uint64        // address-space growth; 0 means DefaultLimit
	Timeout time.Duration // the child is killed after this long
}

// Run loads in a child: it returns nil when the child loaded the Ovrfile,
// a *LoadError carrying the child's report when the load failed
// normally, and another error naming the file and the limit when the
// child ran out of memory, out of time, or died.
func Run(ctx context.Context, o Options) error {
	limit := o.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("load %s in a child: %w", o.File, err)
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	st, stderr, err := runChild(ctx, exe, o.Args, limit)
	switch {
	case err != nil:
		return fmt.Errorf("load %s in a child: %w", o.File, err)
	case st.Code == 0 && st.Signal == 0:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("loading %s took longer than %s (stopped)", o.File, o.Timeout)
	case st.Code == ExitLoadFailed:
		return &LoadError{Report: stderr}
	case outOfMemory(string(stderr)):
		return fmt.Errorf("loading %s used more than the memory limit of %s", o.File, fmtBytes(limit))
	case st.Signal != 0:
		return fmt.Errorf("loading %s failed: %s%s", o.File, unix.SignalName(st.Signal), lastLine(string(stderr)))
	}
	return fmt.Errorf("loading %s failed: exit code %d%s", o.File, st.Code, lastLine(string(stderr)))
}

// stderrGrace is how long the child's stderr is read after it exited.
const stderrGrace = time.Second

// runChild runs the load child through the reaper (which reaps every
// child of ovrseer) until it exits, SIGKILLed when ctx ends first, and
// returns its status and the first MiB of its stderr.
func runChild(ctx context.Context, exe string, args []string, limit uint64) (reaper.Status, []byte, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return reaper.Status{}, nil, err
	}
	defer r.Close()
	cmd := &exec.Cmd{
		Path:        exe,
		Args:        args, // argv[0] kept: a multi-call binary dispatches on it
		Env:         append(os.Environ(), envChild+"="+strconv.FormatUint(limit, 10)),
		Stderr:      w,
		SysProcAttr: &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	}
	child, err := reaper.Start(cmd)
	w.Close()
	if err != nil {
		return reaper.Status{}, nil, err
	}
	var stderr bytes.Buffer
	copied := make(chan struct{})
	go func() {
		io.Copy(&limitedWriter{w: &stderr, n: 1 << 20}, r)
		close(copied)
	}()
	var st reaper.Status
	select {
	case st = <-child.Exited():
	case <-ctx.Done():
		child.Signal(syscall.SIGKILL)
		st = <-child.Exited()
	}
	r.SetReadDeadline(time.Now().Add(stderrGrace))
	<-copied
	return st, stderr.Bytes(), nil
}

// LoadError is a load that failed with errors in the Ovrfile; Report is
// what the child printed about them.
type LoadError struct{ Report []byte }

func (e *LoadError) Error() string { return strings.TrimSpace(string(e.Report)) }

func outOfMemory(stderr string) bool {
	return strings.Contains(stderr, "out of memory") || strings.Contains(stderr, "cannot allocate memory")
}

func lastLine(s string) string {
	for l := range strings.SplitSeq(strings.TrimSpace(s), "\n") {
		if strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "panic:") {
			return ": " + l
		}
	}
	return ""
}

// limitedWriter keeps the first n bytes written to it.
type limitedWriter struct {
	w *bytes.Buffer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if room := l.n - l.w.Len(); room > 0 {
		l.w.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// fmtBytes renders a limit: "1 GiB", "256 MiB".
func fmtBytes(n uint64) string {
	if n >= 1<<30 && n%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", n>>30)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}
