package starlib

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/ovrseer/ovrseer/logger"
	"github.com/ovrseer/ovrseer/unit"
)

const (
	defaultShTimeout = 2 * time.Minute
	shCapture        = 4 << 20 // bytes of each stream kept for the result
	shTailLines      = 20      // stderr lines quoted when check fails
	shDrainGrace     = time.Second
)

// sh is ctx.sh(cmd, timeout="2m", env={}, dir=None, check=True). It returns
// struct(code, stdout, stderr, ok, duration); duration is in seconds (a
// float). The command runs in its own session; when it ends, times out or
// the hook is cancelled, its whole process group is killed.
func (c *hookCtx) sh(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var (
		cmd     cmdArg
		timeout = duration{defaultShTimeout}
		env     envArg
		dir     string
		check   = true
	)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "cmd", &cmd, "timeout?", &timeout,
		"env?", &env, "dir??", &dir, "check?", &check); err != nil {
		return nil, err
	}
	text := cmdText(cmd.argv)
	ctx, cancel := c.bound(timeout.d)
	defer cancel()
	res, err := c.runSh(ctx, cmd.argv, joinRoot(c.h.rt.root, cmp0(dir, ".")), env.env)
	if err != nil {
		return nil, fmt.Errorf("sh: %s: %w", text, err)
	}
	if ctx.Err() != nil {
		if c.ctx.Err() != nil {
			return nil, fmt.Errorf("sh: %s: %s", text, c.doneReason())
		}
		return nil, fmt.Errorf("sh: %s: timed out after %s", text, unit.FormatDuration(timeout.d))
	}
	if check && res.code != 0 {
		msg := fmt.Sprintf("sh: %s exited with code %d", text, res.code)
		if tail := res.stderr.tail(); len(tail) > 0 {
			msg += "\n" + strings.Join(tail, "\n")
		}
		return nil, errors.New(msg)
	}
	return starlarkstruct.FromStringDict(starlark.String("sh"), starlark.StringDict{
		"code":     starlark.MakeInt(res.code),
		"stdout":   starlark.String(res.stdout.text()),
		"stderr":   starlark.String(res.stderr.text()),
		"ok":       starlark.Bool(res.code == 0),
		"duration": starlark.Float(res.elapsed.Seconds()),
	}), nil
}

// cmdText renders a command for messages: the shell text, or the argv.
func cmdText(argv []string) string {
	if len(argv) == 3 && argv[0] == "sh" && argv[1] == "-c" {
		return argv[2]
	}
	return strings.Join(argv, " ")
}

type shResult struct {
	code           int // 128+n when killed by signal n
	stdout, stderr *capture
	elapsed        time.Duration
}

// runSh runs argv until it exits or ctx ends, streaming its lines as
// hook:NAME output.
func (c *hookCtx) runSh(ctx context.Context, argv []string, dir string, env []string) (*shResult, error) {
	res := &shResult{stdout: newCapture(0), stderr: newCapture(shTailLines)}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	start := time.Now()
	err = cmd.Start()
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		return nil, err
	}
	_ = unit.WatchGroup(cmd.Process.Pid) // killed with ovrseer even if it dies by SIGKILL
	drained := make(chan struct{}, 2)
	go c.pump(outR, logger.Stdout, res.stdout, drained)
	go c.pump(errR, logger.Stderr, res.stderr, drained)
	_ = cmd.Wait()
	res.elapsed = time.Since(start)
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // nothing it started outlives it
	unit.ForgetGroup(cmd.Process.Pid)
	drain(drained, outR, errR)
	res.code = exitCode(cmd.ProcessState)
	return res, nil
}

// drain waits for both pumps to see EOF, then closes the read ends; after a
// grace period it closes them anyway (a process outside the group may hold
// the pipe).
func drain(drained chan struct{}, files ...*os.File) {
	timer := time.NewTimer(shDrainGrace)
	defer timer.Stop()
	for n := 0; n < len(files); {
		select {
		case <-drained:
			n++
		case <-timer.C:
			for _, f := range files {
				f.Close()
			}
			for ; n < len(files); n++ {
				<-drained
			}
			return
		}
	}
	for _, f := range files {
		f.Close()
	}
}

// pump reads one stream into lines: each shown live and captured.
func (c *hookCtx) pump(r io.Reader, stream logger.Stream, capt *capture, drained chan<- struct{}) {
	defer func() { drained <- struct{}{} }()
	sp := logger.NewSplitter(func(line []byte) {
		text := string(line)
		c.e.HookLine(c.h.Name, stream, text)
		capt.add(text)
	})
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		sp.Write(buf[:n])
		if err != nil {
			break
		}
	}
	sp.Flush()
}

func exitCode(ps *os.ProcessState) int {
	if ps == nil {
		return -1
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

// capture keeps a stream's text (up to shCapture bytes) and, if tailN > 0,
// its last tailN lines. One pump goroutine writes it; it is read after the
// pump finished.
type capture struct {
	b     strings.Builder
	tailN int
	last  []string
}

func newCapture(tailN int) *capture { return &capture{tailN: tailN} }

func (c *capture) add(line string) {
	if c.b.Len()+len(line)+1 <= shCapture {
		c.b.WriteString(line)
		c.b.WriteByte('\n')
	}
	if c.tailN > 0 {
		if len(c.last) == c.tailN {
			c.last = c.last[1:]
		}
		c.last = append(c.last, line)
	}
}

func (c *capture) text() string   { return c.b.String() }
func (c *capture) tail() []string { return c.last }
