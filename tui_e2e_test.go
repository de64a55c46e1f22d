package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestTerminalUIOnAPTY runs the real binary on a pseudo-terminal with no UI
// flag: it chooses the terminal UI, draws the process and its log, quits on
// q (the shutdown runs, cleanup included), restores the terminal and prints
// the summary.
func TestTerminalUIOnAPTY(t *testing.T) {
	if _, err := exec.LookPath("ovrseer"); err != nil {
		t.Skip("the ovrseer command is installed by TestMain")
	}
	dir := t.TempDir()
	ovrfile := filepath.Join(dir, "Ovrfile.star")
	src := `process("webserver", "echo hello from web; exec sleep 1000")
cleanup("goodbye", "echo cleanup ran > ` + filepath.Join(dir, "cleanup.txt") + `")
`
	if err := os.WriteFile(ovrfile, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ovrseer", "-f", ovrfile)
	cmd.Env = append(cleanEnv(), "TERM=xterm-256color")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	out := &syncBuffer{}
	go io.Copy(out, tty) // ends with EIO once the command is gone

	waitFor(t, out, "webserver", "hello from web", "q quit")
	if _, err := tty.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("ovrseer: %v\n%q", err, out.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("ovrseer did not end within 30s after q:\n%q", out.String())
	}
	waitFor(t, out, "summary:", "exit 0")
	if b, err := os.ReadFile(filepath.Join(dir, "cleanup.txt")); err != nil || string(b) != "cleanup ran\n" {
		t.Errorf("cleanup did not run: %q, %v", b, err)
	}
	if s := out.String(); !strings.Contains(s, "\x1b[?1049l") && !strings.Contains(s, "\x1b[?47l") {
		t.Errorf("the alternate screen was not left (terminal not restored):\n%q", s)
	}
}

// terminalCodes are the escape sequences a terminal UI writes between the
// words it draws (tcell moves the cursor over blanks that did not change).
var terminalCodes = regexp.MustCompile(`\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\x1b\][^\x07]*\x07|\s+`)

// screenText is out without escape sequences and blanks, for matching
// text as it shows on the screen.
func screenText(out string) string { return terminalCodes.ReplaceAllString(out, "") }

// waitFor waits until everything in wants has appeared in out (blanks and
// escape sequences aside: the screen may be drawn in pieces).
func waitFor(t *testing.T, out *syncBuffer, wants ...string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := screenText(out.String())
		missing := ""
		for _, w := range wants {
			if !strings.Contains(s, screenText(w)) {
				missing = w
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q did not appear within 20s:\n%q", missing, s)
		}
		time.Sleep(10 * time.Millisecond) // polling a terminal's output: there is no event to wait on
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startOnPTY runs ovrseer -f src on a pseudo-terminal and returns its output
// and the terminal; the command is killed when the test ends.
func startOnPTY(t *testing.T, src string) (*exec.Cmd, *os.File, *syncBuffer) {
	t.Helper()
	if _, err := exec.LookPath("ovrseer"); err != nil {
		t.Skip("the ovrseer command is installed by TestMain")
	}
	ovrfile := filepath.Join(t.TempDir(), "Ovrfile.star")
	if err := os.WriteFile(ovrfile, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ovrseer", "-f", ovrfile)
	cmd.Env = append(cleanEnv(), "TERM=xterm-256color")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); tty.Close() })
	out := &syncBuffer{}
	go io.Copy(out, tty)
	return cmd, tty, out
}

// waitExit waits for cmd and returns its exit code.
func waitExit(t *testing.T, cmd *exec.Cmd, out *syncBuffer) int {
	t.Helper()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case <-waited:
		return cmd.ProcessState.ExitCode()
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("ovrseer did not end within 30s:\n%q", out.String())
	}
	return -1
}

// A start that fails readiness keeps the UI on screen with the reason (the
// ovrseer entry's log) until a key is pressed; the exit code is the run's.
func TestTerminalUIShowsAFailedStart(t *testing.T) {
	cmd, tty, out := startOnPTY(t, `dependency("db", "echo booting; exec sleep 60", ready = ready.log("never printed", timeout = "300ms"))
process("web", "exec sleep 60")
`)
	waitFor(t, out, "ovrseer (follow)", `ready.log("never printed") timed out`, "startup aborted", "press any key")
	if _, err := tty.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, cmd, out); code == 0 {
		t.Errorf("exit code 0 after a failed start")
	}
}

// r restarts the selected process: it runs again with a new pid (it
// prints its pid: a whole new row, so the terminal output holds it whole).
func TestTerminalUIRestartChangesThePid(t *testing.T) {
	cmd, tty, out := startOnPTY(t, `process("web", "echo web-pid-$$-; exec sleep 60")
`)
	pidRe := regexp.MustCompile(`web-pid-(\d+)-`)
	pids := func() []string {
		var ps []string
		for _, m := range pidRe.FindAllStringSubmatch(screenText(out.String()), -1) {
			if !slices.Contains(ps, m[1]) {
				ps = append(ps, m[1])
			}
		}
		return ps
	}
	waitFor(t, out, "web-pid-", "ready since")
	if _, err := tty.Write([]byte("r")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(pids()) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("no second pid after r (%v):\n%q", pids(), out.String())
		}
		time.Sleep(10 * time.Millisecond) // polling a terminal's output: there is no event to wait on
	}
	if _, err := tty.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, cmd, out); code != 0 {
		t.Errorf("exit code %d after q, want 0", code)
	}
}
