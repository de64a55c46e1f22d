package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestColorAutoOnATerminal runs the real binary on a pseudo-terminal:
// --color=auto colours there, unless NO_COLOR is set.
func TestColorAutoOnATerminal(t *testing.T) {
	if _, err := exec.LookPath("ovrseer"); err != nil {
		t.Skip("the ovrseer command is installed by TestMain")
	}
	ovrfile := filepath.Join(t.TempDir(), "Ovrfile.star")
	if err := os.WriteFile(ovrfile, []byte(`process("hello", "echo hi")`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		env     []string
		colored bool
	}{
		{"auto", nil, true},
		{"NO_COLOR", []string{"NO_COLOR=1"}, false},
		{"empty NO_COLOR", []string{"NO_COLOR="}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := runOnPTY(t, append(cleanEnv(), tc.env...), "ovrseer", "-f", ovrfile, "--no-tui")
			if !strings.Contains(out, "hello") || !strings.Contains(out, "exit 0") {
				t.Fatalf("unexpected output:\n%q", out)
			}
			if got := strings.Contains(out, "\x1b["); got != tc.colored {
				t.Errorf("coloured = %v, want %v:\n%q", got, tc.colored, out)
			}
		})
	}
}

// cleanEnv is the environment without the variables that change colour or
// mode, and without the race detector's 1 s sleep at exit.
func cleanEnv() []string {
	env := []string{"GORACE=" + goraceQuickExit}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NO_COLOR=") && !strings.HasPrefix(kv, "CI=") && !strings.HasPrefix(kv, "GORACE=") {
			env = append(env, kv)
		}
	}
	return env
}

// runOnPTY runs a command with stdin, stdout and stderr on a new
// pseudo-terminal and returns what it printed.
func runOnPTY(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	tty, err := pty.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	var out bytes.Buffer
	read := make(chan struct{})
	go func() {
		defer close(read)
		io.Copy(&out, tty) // ends with EIO once the command is gone
	}()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("%s did not end within 30s", name)
	}
	select {
	case <-read:
	case <-time.After(5 * time.Second):
		t.Fatal("the terminal's output did not end")
	}
	return out.String()
}
