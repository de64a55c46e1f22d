package watchdog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/ovrseer/ovrseer/internal/reaper"
)

func TestReadRegistryTerminal(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     heldTerminal
	}{
		{"none", "+12\n", heldTerminal{}},
		{"held", "T/dev/pts/3 /tmp/a b.txt\n+12\n", heldTerminal{"/dev/pts/3", "/tmp/a b.txt"}},
		{"no crash file", "T/dev/pts/3\n", heldTerminal{"/dev/pts/3", ""}},
		{"released", "T/dev/pts/3 /tmp/c\n-12\nt\n", heldTerminal{}},
		{"held again", "T/dev/pts/3\nt\nT/dev/pts/4\n", heldTerminal{"/dev/pts/4", ""}},
		{"relative paths", "Tpts/3\nT/dev/pts/3 tmp/c\n", heldTerminal{}},
		{"torn", "T/dev/pts/3", heldTerminal{}},
		{"t with more", "T/dev/pts/3\ntx\n", heldTerminal{"/dev/pts/3", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := readRegistry(strings.NewReader(tc.in)).term; got != tc.want {
				t.Errorf("terminal of %q = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestHeldLine(t *testing.T) {
	if line, ok := heldLine("/dev/pts/3", "/tmp/a b"); !ok || string(line) != "T/dev/pts/3 /tmp/a b\n" {
		t.Errorf("heldLine = %q, %v", line, ok)
	}
	for _, paths := range [][2]string{{"/dev/a b", ""}, {"/dev/pts/3", "/tmp/a\nb"}, {"/dev/pts/3", "/" + strings.Repeat("x", maxLine)}} {
		if line, ok := heldLine(paths[0], paths[1]); ok {
			t.Errorf("heldLine(%q, %q) = %q, want refused", paths[0], paths[1], line)
		}
	}
}

// TestWatchdogRestoresHeldTerminal kills a fake ovrseer (this binary as
// "heldterm") whose UI holds a pty in raw mode on the alternate screen: the
// watchdog leaves the screen, sets canonical mode and echo back and says
// so, naming the crash trace if it died of a panic.
func TestWatchdogRestoresHeldTerminal(t *testing.T) {
	for _, death := range []string{"kill", "panic"} {
		t.Run(death, func(t *testing.T) {
			f := startHeldTerm(t, death)
			f.die(t, death)
			out := f.term.readUntil(t, goneMessage)
			if !strings.Contains(out, "\x1b[?1049l") {
				t.Errorf("the alternate screen was not left: %q", out)
			}
			after := f.term.readUntil(t, "\n")
			if death == "kill" {
				if after != "\r\n" {
					t.Errorf("the line goes on with %q, want its end", after)
				}
				if _, err := os.Stat(f.crash); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("the empty crash file %s is left: %v", f.crash, err)
				}
			} else {
				if note := "; the crash trace is in " + f.crash + "\r\n"; after != note {
					t.Errorf("the line goes on with %q, want %q", after, note)
				}
				if trace, err := os.ReadFile(f.crash); !bytes.Contains(trace, []byte("panic: fake ovrseer panics")) {
					t.Errorf("crash file: %q, %v", trace, err)
				}
			}
			tio, err := unix.IoctlGetTermios(int(f.term.tty.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if tio.Lflag&(unix.ICANON|unix.ECHO) != unix.ICANON|unix.ECHO || tio.Oflag&unix.OPOST == 0 {
				t.Errorf("termios lflag %#x oflag %#x: no canonical mode, echo or output processing", tio.Lflag, tio.Oflag)
			}
			f.waitWatchdog(t)
		})
	}
}

// TestWatchdogLeavesReleasedTerminal: once ReleaseTerminal was called, the
// watchdog writes nothing to the terminal when ovrseer dies.
func TestWatchdogLeavesReleasedTerminal(t *testing.T) {
	f := startHeldTerm(t, "release")
	f.term.readUntil(t, "released\r\n") // written by the fake after ReleaseTerminal
	if _, err := os.Stat(f.crash); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the crash file %s is left after the release: %v", f.crash, err)
	}
	f.die(t, "kill")
	f.waitWatchdog(t) // whatever it wrote is in the pty before our end mark
	if _, err := f.term.tty.WriteString("end mark\n"); err != nil {
		t.Fatal(err)
	}
	if out := f.term.readUntil(t, "end mark"); out != "end mark" {
		t.Errorf("the watchdog wrote %q to a released terminal", strings.TrimSuffix(out, "end mark"))
	}
	tio, err := unix.IoctlGetTermios(int(f.term.tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if tio.Lflag&unix.ICANON != 0 {
		t.Errorf("the released terminal's mode was changed: lflag %#x", tio.Lflag)
	}
}

// heldTermFake is a running fake ovrseer of mode "heldterm".
type heldTermFake struct {
	cmd      *exec.Cmd
	stdin    io.WriteCloser
	term     *ptyReader
	watchdog int    // the watchdog's pid
	pgid     int    // the group of its unit
	crash    string // the crash file HoldTerminal made
}

// startHeldTerm starts the fake on a new pty and waits until it holds the
// terminal and its watchdog runs.
func startHeldTerm(t *testing.T, mode string) *heldTermFake {
	term := openPty(t)
	cmd := exec.Command(os.Args[0], "heldterm", mode)
	cmd.Env = append(os.Environ(), childEnvVar+"=1", "GORACE=atexit_sleep_ms=0", "TMPDIR="+t.TempDir())
	cmd.ExtraFiles = []*os.File{term.tty}
	stderr, err := os.Create(t.TempDir() + "/stderr") // the fake's and its watchdog's
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = stderr
	t.Cleanup(func() {
		if b, _ := os.ReadFile(stderr.Name()); t.Failed() && len(b) > 0 {
			t.Logf("stderr of the fake and its watchdog:\n%s", b)
		}
		stderr.Close()
	})
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	f := &heldTermFake{cmd: cmd, stdin: stdin, term: term}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if f.pgid > 1 {
			syscall.Kill(-f.pgid, syscall.SIGKILL)
			reapGroup(f.pgid)
		}
	})
	if _, err := fmt.Fscan(out, &f.watchdog, &f.pgid, &f.crash); err != nil || f.watchdog <= 1 {
		t.Fatalf("the fake said watchdog %d, group %d, crash file %q: %v", f.watchdog, f.pgid, f.crash, err)
	}
	return f
}

// die ends the fake by SIGKILL ("kill") or by a panic on one of its
// goroutines ("panic").
func (f *heldTermFake) die(t *testing.T, how string) {
	t.Helper()
	if how == "panic" {
		f.stdin.Write([]byte("panic\n"))
	} else {
		f.cmd.Process.Kill()
	}
	f.cmd.Wait()
}

// waitWatchdog waits for the watchdog to exit (it comes to us, a subreaper)
// and the fake's unit to be killed.
func (f *heldTermFake) waitWatchdog(t *testing.T) {
	t.Helper()
	eventually(t, 5*time.Second, "the watchdog exited and the group killed", func() bool {
		pid, err := syscall.Wait4(f.watchdog, nil, syscall.WNOHANG, nil)
		if err != nil && !errors.Is(err, syscall.ECHILD) {
			t.Fatalf("wait for the watchdog %d: %v", f.watchdog, err)
		}
		reapGroup(f.pgid)
		return (pid == f.watchdog || errors.Is(err, syscall.ECHILD)) && errors.Is(syscall.Kill(-f.pgid, 0), syscall.ESRCH)
	})
}

// ptyReader is a pty pair whose master is read continuously.
type ptyReader struct {
	tty    *os.File
	chunks chan []byte
	buf    []byte // read, not yet returned by readUntil
}

func openPty(t *testing.T) *ptyReader {
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	p := &ptyReader{tty: tty, chunks: make(chan []byte, 64)}
	go func() {
		defer close(p.chunks)
		for {
			b := make([]byte, 4096)
			n, err := master.Read(b)
			if n > 0 {
				p.chunks <- b[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		tty.Close()
		master.Close()
		for range p.chunks { // until the reader is gone
		}
	})
	return p
}

// readUntil returns what the master read up to and including want, within
// 5 s.
func (p *ptyReader) readUntil(t *testing.T, want string) string {
	t.Helper()
	deadline := time.NewTimer(5 * time.Second)
	defer deadline.Stop()
	for {
		if i := bytes.Index(p.buf, []byte(want)); i >= 0 {
			out := string(p.buf[:i+len(want)])
			p.buf = p.buf[i+len(want):]
			return out
		}
		select {
		case b, ok := <-p.chunks:
			if !ok {
				t.Fatalf("the pty ended before %q; read %q", want, p.buf)
			}
			p.buf = append(p.buf, b...)
		case <-deadline.C:
			t.Fatalf("no %q on the pty within 5 s; read %q", want, p.buf)
		}
	}
}

// heldTerm is the fake ovrseer of the tests above: it puts the tty on fd 3
// in raw mode on the alternate screen, holds it, starts a unit (and so the
// watchdog), prints "WATCHDOG-PID PGID CRASH-FILE" and waits. With
// "release" it releases the terminal and writes "released" to it first;
// with "panic" it panics once a line comes on stdin.
func heldTerm(mode string) int {
	tty := os.NewFile(3, "tty")
	tio, err := unix.IoctlGetTermios(3, unix.TCGETS)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	tio.Lflag &^= unix.ICANON | unix.ECHO | unix.ISIG | unix.IEXTEN
	tio.Iflag &^= unix.ICRNL
	tio.Oflag &^= unix.OPOST
	if err := unix.IoctlSetTermios(3, unix.TCSETS, tio); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	tty.WriteString("\x1b[?1049h")
	HoldTerminal(3) // before any spawn: it starts the watchdog
	held.mu.Lock()
	crash := held.crash
	held.mu.Unlock()
	pgid := spawnSleeper()
	for i := 0; dog.pid() == 0; i++ { // it is started on a goroutine
		if i == 500 {
			fmt.Fprintln(os.Stderr, "no watchdog")
			return 1
		}
		time.Sleep(10 * time.Millisecond)
	}
	if mode == "release" {
		ReleaseTerminal()
		tty.WriteString("released\r\n")
	}
	fmt.Println(dog.pid(), pgid, crash)
	if mode == "panic" {
		bufio.NewReader(os.Stdin).ReadString('\n')
		go panic("fake ovrseer panics")
	}
	select {}
}

// spawnSleeper starts a recorded group of "sleep 1000" and returns it.
func spawnSleeper() int {
	child, err := reaper.Start(&exec.Cmd{Path: "/bin/sh", Args: []string{"sh", "-c", "exec sleep 1000"}})
	if err != nil {
		panic(err)
	}
	WatchGroup(child.Pid)
	return child.Pid
}
