package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestAttachOnAPTY runs a headless stack in the background and `ovrseer
// attach` on a pseudo-terminal: the UI shows the stack's processes and
// their logs, `r` restarts the selected process (its pid changes), `q`
// detaches and leaves the stack running; `ovrseer down` then ends it.
func TestAttachOnAPTY(t *testing.T) {
	if _, err := exec.LookPath("ovrseer"); err != nil {
		t.Skip("the ovrseer command is installed by TestMain")
	}
	dir := t.TempDir()
	ovrfile := filepath.Join(dir, "Ovrfile.star")
	pidfile := filepath.Join(dir, "alpha.pid")
	src := `process("attach-alpha", "echo $$ > ` + pidfile + `; echo hello from alpha; exec sleep 1000")
process("attach-beta", "echo beta here; exec sleep 1000")
`
	if err := os.WriteFile(ovrfile, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(cleanEnv(), "XDG_RUNTIME_DIR="+dir)
	runOut, err := os.Create(filepath.Join(dir, "run.out")) // a file: Wait waits for no copying
	if err != nil {
		t.Fatal(err)
	}
	defer runOut.Close()
	run := exec.Command("ovrseer", "--no-tui", "-f", ovrfile)
	run.Env, run.Stdout, run.Stderr = env, runOut, runOut
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	ran := make(chan error, 1)
	exited := make(chan struct{})
	go func() { ran <- run.Wait(); close(exited) }()
	defer func() { // whatever happened: the stack goes
		run.Process.Kill()
		<-exited
	}()
	waitForCond(t, "main processes ready", func() bool {
		b, _ := os.ReadFile(runOut.Name())
		return strings.Contains(string(b), "main processes ready")
	})
	firstPid := readFile(t, pidfile)

	attach := exec.Command("ovrseer", "-f", ovrfile, "attach")
	attach.Env = append(env, "TERM=xterm-256color")
	tty, err := pty.StartWithSize(attach, &pty.Winsize{Rows: 30, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	out := &syncBuffer{}
	go io.Copy(out, tty)
	waitFor(t, out, "attach-alpha", "attach-beta", "hello from alpha", "q detach")

	// attach-alpha, the first process, is selected.
	if _, err := tty.Write([]byte("r")); err != nil {
		t.Fatal(err)
	}
	waitForCond(t, "a new pid of attach-alpha", func() bool {
		b, _ := os.ReadFile(pidfile)
		return len(b) > 0 && strings.TrimSpace(string(b)) != firstPid
	})
	waitFor(t, out, "restart attach-alpha: done")

	if _, err := tty.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	detached := make(chan error, 1)
	go func() { detached <- attach.Wait() }()
	select {
	case err := <-detached:
		if err != nil {
			t.Fatalf("attach: %v\n%q", err, out.String())
		}
	case <-time.After(20 * time.Second):
		attach.Process.Kill()
		t.Fatalf("attach did not end within 20s after q:\n%q", out.String())
	}
	waitFor(t, out, "detached")
	select {
	case err := <-ran:
		b, _ := os.ReadFile(runOut.Name())
		t.Fatalf("the stack ended when attach detached: %v\n%s", err, b)
	default:
	}
	ps := exec.Command("ovrseer", "-f", ovrfile, "ps")
	ps.Env = env
	if b, err := ps.CombinedOutput(); err != nil || !strings.Contains(string(b), "attach-alpha") {
		t.Fatalf("ps after detach: %v\n%s", err, b)
	}
	down := exec.Command("ovrseer", "-f", ovrfile, "down")
	down.Env = env
	if b, err := down.CombinedOutput(); err != nil || !strings.Contains(string(b), "exit 0") {
		t.Fatalf("down: %v\n%s", err, b)
	}
	select {
	case <-ran:
	case <-time.After(20 * time.Second):
		t.Fatal("the stack did not end after down")
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	var s string
	waitForCond(t, path, func() bool {
		b, err := os.ReadFile(path)
		s = strings.TrimSpace(string(b))
		return err == nil && s != ""
	})
	return s
}

// waitForCond polls cond (there is no event to wait on) for at most 20 s.
func waitForCond(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
