package tui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/internal/reaper"
)

// ptyChildEnv makes TestPTYChild run the UI instead of skipping.
const ptyChildEnv = "OVRSEER_TUI_PTY_CHILD"

// TestPTYChild is the child of TestUIOnARealTerminal: the real UI on the
// pseudo-terminal it was given, with a real engine. It exits with the
// engine's code.
func TestPTYChild(t *testing.T) {
	if os.Getenv(ptyChildEnv) == "" {
		t.Skip("run by TestUIOnARealTerminal")
	}
	e, err := engine.New(engine.Plan{Processes: []engine.Process{
		shProc("ptyproc-alpha", engine.Main, `echo hello from alpha; exec sleep 30`),
	}}, engine.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	// As main does: subscribe, run the engine, show the UI.
	sub := e.Subscribe(engine.SubscribeOptions{LogBuffer: logBuffer})
	code := make(chan int, 1)
	go func() { code <- e.Run(context.Background()) }()
	if err := Run(e, Options{Subscription: sub}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(4)
	}
	os.Exit(<-code)
}

// ptyOutput collects what the child writes to the terminal.
type ptyOutput struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	more chan struct{}
}

func (o *ptyOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	o.buf.Write(p)
	o.mu.Unlock()
	select {
	case o.more <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (o *ptyOutput) contains(s string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return bytes.Contains(o.buf.Bytes(), []byte(s))
}

func (o *ptyOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

func TestUIOnARealTerminal(t *testing.T) {
	if os.Getenv(ptyChildEnv) != "" {
		t.Skip("in the child")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestPTYChild$")
	cmd.Env = append(os.Environ(), ptyChildEnv+"=1", "TERM=xterm-256color")
	f, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer f.Close()
	if err := pty.Setsize(f, &pty.Winsize{Rows: 24, Cols: 100}); err != nil {
		t.Fatal(err)
	}
	// Through the reaper, as every child of ovrseer: it reaps whatever this
	// test process forks, so an exec.Cmd's Wait could find its child gone.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	child, err := reaper.Start(cmd)
	tty.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := &ptyOutput{more: make(chan struct{}, 1)}
	copied := make(chan struct{})
	go func() {
		io.Copy(out, f) // ends with an error once the child is gone
		close(copied)
	}()
	exited := make(chan error, 1)
	go func() {
		if st := <-child.Exited(); st.Code != 0 {
			exited <- fmt.Errorf("exit code %d, signal %v", st.Code, st.Signal)
		}
		close(exited)
	}()

	deadline := time.NewTimer(uiDeadline)
	defer deadline.Stop()
	for !out.contains("ptyproc-alpha") || !out.contains("hello") { // tcell may move the cursor over unchanged blanks between words
		select {
		case <-out.more:
		case err := <-exited:
			t.Fatalf("the child exited early (%v):\n%q", err, out.String())
		case <-deadline.C:
			child.Signal(syscall.SIGKILL)
			t.Fatalf("the UI did not show the process:\n%q", out.String())
		}
	}
	if _, err := f.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the child: %v\n%q", err, out.String())
		}
	case <-deadline.C:
		cmd.Process.Kill()
		t.Fatal("q did not end the UI")
	}
	select {
	case <-copied:
	case <-deadline.C:
		t.Fatal("the terminal output did not end")
	}
	// The alternate screen was left: the terminal is restored.
	if !out.contains("\x1b[?1049l") {
		t.Errorf("the terminal was not restored:\n%q", out.String())
	}
}
