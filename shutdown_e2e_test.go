package main

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// The shutdown end to end, with the real binary: what counts as a stop
// request, what forces, and that cleanup runs (docs/cli.md, "Signals").

// e2eWait bounds every wait of these tests: generous, for a busy machine.
const e2eWait = 30 * time.Second

// stack is one ovrseer run in a directory of its own.
type stack struct {
	dir    string
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd.Wait returned
	err    error         // cmd.Wait's, once exited is closed
}

// newStack writes the Ovrfile (with $DIR replaced by the directory) and
// prepares the command; out files are dir/out.txt and dir/err.txt unless
// the caller sets the command's streams.
func newStack(t *testing.T, ovrfile string, args ...string) *stack {
	t.Helper()
	if _, err := exec.LookPath("ovrseer"); err != nil {
		t.Skip("the ovrseer command is installed by TestMain")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "Ovrfile.star")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(ovrfile, "$DIR", dir)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ovrseer", append([]string{"-f", path}, args...)...)
	cmd.Env = append(cleanEnv(), "TERM=xterm-256color")
	cmd.Dir = dir
	return &stack{dir: dir, cmd: cmd, exited: make(chan struct{})}
}

// start starts the command with stdout and stderr into files.
func (s *stack) start(t *testing.T) {
	t.Helper()
	out, err := os.Create(filepath.Join(s.dir, "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	s.cmd.Stdout, s.cmd.Stderr = out, out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.watch(t)
}

// watch waits for the command in the background; the test kills it if it
// is still running at the end.
func (s *stack) watch(t *testing.T) {
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			s.cmd.Process.Kill()
			<-s.exited
		}
	})
}

// waitFile waits until the file exists and contains want.
func (s *stack) waitFile(t *testing.T, name, want string) {
	t.Helper()
	deadline := time.Now().Add(e2eWait)
	for {
		b, err := os.ReadFile(filepath.Join(s.dir, name))
		if err == nil && strings.Contains(string(b), want) {
			return
		}
		select {
		case <-s.exited:
			t.Fatalf("ovrseer exited (%v) before %s held %q:\n%s", s.err, name, want, s.output())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not hold %q within %s:\n%s", name, want, e2eWait, s.output())
		}
		time.Sleep(10 * time.Millisecond) // polling a file: nothing to wait on
	}
}

func (s *stack) output() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "out.txt"))
	return string(b)
}

// exitCode waits for the end and returns the exit code; being killed by a
// signal fails the test.
func (s *stack) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case <-s.exited:
	case <-time.After(e2eWait):
		t.Fatalf("ovrseer did not exit within %s:\n%s", e2eWait, s.output())
	}
	ws := s.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		t.Fatalf("ovrseer was killed by %v:\n%s", ws.Signal(), s.output())
	}
	return ws.ExitStatus()
}

// Closing the terminal (a pty whose master is closed: SIGHUP, then every
// write fails with EIO) is one stop request: cleanup runs, exit 129. In
// headless mode and in the terminal UI.
func TestTerminalClosedRunsCleanup(t *testing.T) {
	for _, mode := range []string{"--no-tui", "--tui"} {
		t.Run(mode, func(t *testing.T) {
			s := newStack(t, `
process("app", "echo app up; while :; do echo tick; sleep 0.2; done", ready = ready.log("app up"))
cleanup("tidy", "sleep 0.2; echo cleaned > $DIR/cleaned.txt")
`, mode)
			// app keeps writing: where SIGHUP is ignored (under nohup, which
			// ovrseer honours) the hang-up is still seen, at the next write.
			tty, err := pty.StartWithSize(s.cmd, &pty.Winsize{Rows: 24, Cols: 100})
			if err != nil {
				t.Skipf("no pseudo-terminal: %v", err)
			}
			s.watch(t)
			tty = pollable(t, tty)
			out := &syncBuffer{}
			copied := make(chan struct{})
			go func() {
				io.Copy(out, tty) // ends when the master is closed
				close(copied)
			}()
			waitFor(t, out, "app up")
			tty.Close()
			<-copied
			select {
			case <-s.exited:
			case <-time.After(e2eWait):
				t.Fatalf("ovrseer did not exit within %s of the hang-up; the terminal showed:\n%s", e2eWait, out.String())
			}
			if code := s.exitCode(t); code != 129 {
				t.Errorf("exit code %d, want 129\n%q", code, out.String())
			}
			if b, err := os.ReadFile(filepath.Join(s.dir, "cleaned.txt")); err != nil || string(b) != "cleaned\n" {
				t.Errorf("cleanup did not run (%q, %v):\n%q", b, err, out.String())
			}
		})
	}
}

// A terminal that is not ovrseer's controlling terminal sends no SIGHUP
// when it closes: the failing writes (EIO) alone are the hang-up, a first
// request: cleanup runs, exit 129.
func TestDeadTerminalWithoutSIGHUP(t *testing.T) {
	s := newStack(t, `
process("app", "echo app up; while :; do echo tick; sleep 0.05; done", ready = ready.log("app up"))
cleanup("tidy", "echo cleaned > $DIR/cleaned.txt")
`, "--no-tui")
	// Its own session, no controlling terminal (pty would make the pty one).
	tty, err := pty.StartWithAttrs(s.cmd, &pty.Winsize{Rows: 24, Cols: 100}, &syscall.SysProcAttr{Setsid: true})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	s.watch(t)
	tty = pollable(t, tty)
	out := &syncBuffer{}
	copied := make(chan struct{})
	go func() {
		io.Copy(out, tty)
		close(copied)
	}()
	waitFor(t, out, "app up")
	tty.Close()
	<-copied
	if code := s.exitCode(t); code != 129 {
		t.Errorf("exit code %d, want 129", code)
	}
	if _, err := os.Stat(filepath.Join(s.dir, "cleaned.txt")); err != nil {
		t.Errorf("cleanup did not run: %v", err)
	}
}

// pollable returns f (a pty master, which pty put in blocking mode) as a
// file in non-blocking mode, so that Close ends a Read in progress and
// really closes the master (a blocked read would keep it open), and closes
// f.
func pollable(t *testing.T, f *os.File) *os.File {
	t.Helper()
	// Close-on-exec, as every fd Go opens: a child forked meanwhile must not
	// keep the master open, or closing it would hang up nothing.
	fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := syscall.SetNonblock(fd, true); err != nil {
		t.Fatal(err)
	}
	return os.NewFile(uintptr(fd), "ptmx")
}

// One SIGINT during a shutdown begun by exit_with changes nothing: cleanup
// runs and the exit code is the process's.
func TestOneSignalDuringExitWithShutdown(t *testing.T) {
	s := newStack(t, `
settings(exit_with = "tests")
process("tests", "echo tests ran; exit 3")
cleanup("tidy", "touch $DIR/started; while [ ! -f $DIR/go ]; do sleep 0.02; done; echo cleaned > $DIR/cleaned.txt")
`, "--no-tui")
	s.start(t)
	s.waitFile(t, "started", "")
	if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	// Nothing shows that the signal was handled (that is the point): give
	// a wrong implementation time to act on it before cleanup may end.
	time.Sleep(300 * time.Millisecond)
	if err := os.WriteFile(filepath.Join(s.dir, "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if code := s.exitCode(t); code != 3 {
		t.Errorf("exit code %d, want 3:\n%s", code, s.output())
	}
	if _, err := os.Stat(filepath.Join(s.dir, "cleaned.txt")); err != nil {
		t.Errorf("cleanup did not finish: %v\n%s", err, s.output())
	}
}

// A first SIGINT while a dependencies-ready gate runs ctx.sh("sleep 30")
// cancels the gate at once (its command killed) and shuts down: the run
// ends within seconds, cleanup included, exit 130.
func TestFirstSignalCancelsGate(t *testing.T) {
	s := newStack(t, `
dependency("db", "echo db up; exec sleep 1000", ready = ready.log("db up"))
process("app", "exec sleep 1000")
cleanup("tidy", "echo cleaned > $DIR/cleaned.txt")

def migrate(ctx):
    ctx.sh("echo $$ > $DIR/sleep.pid; exec sleep 30")

on("dependencies-ready", migrate)
`, "--no-tui")
	s.start(t)
	s.waitFile(t, "sleep.pid", "\n")
	t0 := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := s.exitCode(t); code != 130 {
		t.Errorf("exit code %d, want 130:\n%s", code, s.output())
	}
	// Generous: the point is "not after the gate's 30 s".
	if d := time.Since(t0); d > 15*time.Second {
		t.Errorf("the shutdown took %s after SIGINT", d)
	}
	if _, err := os.Stat(filepath.Join(s.dir, "cleaned.txt")); err != nil {
		t.Errorf("cleanup did not run: %v\n%s", err, s.output())
	}
	if strings.Contains(s.output(), "app started") {
		t.Errorf("main started after the gate was cancelled:\n%s", s.output())
	}
	if out := s.output(); strings.Contains(out, "Traceback") || strings.Contains(out, "error (") {
		t.Errorf("the cancelled gate was reported as failing:\n%s", out)
	}
	b, _ := os.ReadFile(filepath.Join(s.dir, "sleep.pid"))
	if pid, _ := strconv.Atoi(strings.TrimSpace(string(b))); pid > 0 && alive(pid) {
		t.Errorf("the gate's sleep (pid %d) outlived ovrseer", pid)
	}
}

// alive reports whether pid runs (a zombie does not count).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// A burst of signals: ovrseer exits with its code (130: the second forced
// the shutdown), never killed by a signal that arrived late. Several runs.
func TestSignalBurstNeverKills(t *testing.T) {
	for i := range 5 {
		s := newStack(t, `
process("app", "echo app up; exec sleep 1000", ready = ready.log("app up"))
cleanup("tidy", "true")
`, "--no-tui")
		s.start(t)
		s.waitFile(t, "out.txt", "main processes ready")
		for burst := true; burst; {
			select {
			case <-s.exited:
				burst = false
			default:
				if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil && !errors.Is(err, os.ErrProcessDone) {
					t.Fatal(err)
				}
				time.Sleep(time.Millisecond) // a burst: signals keep coming while ovrseer exits
			}
		}
		if code := s.exitCode(t); code != 130 {
			t.Errorf("run %d: exit code %d, want 130:\n%s", i, code, s.output())
		}
	}
}
