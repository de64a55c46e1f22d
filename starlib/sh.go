package starlib

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/ovrseer/ovrseer/internal/reaper"
	"github.com/ovrseer/ovrseer/internal/watchdog"
	"github.com/ovrseer/ovrseer/logger"
	"github.com/ovrseer/ovrseer/unit"
)

const (
	defaultShTimeout = 2 * time.Minute
	shCapture        = 4 << 20 // bytes of each stream kept for the result
	shTailLines      = 20      // stderr lines quoted when check fails
	shDrainGrace     = time.Second
	shKillWait       = 5 * time.Second // for a SIGKILLed command to be reaped
)

// sh is ctx.sh(cmd, timeout="2m", env={}, dir=None, check=True,
// quiet=False). It returns struct(code, stdout, stderr, ok, duration);
// duration is in seconds (a float). The command is started like a process
// (see runSh); when it ends, times out or the hook is cancelled, its whole
// process group is killed. Its output is shown live as hook:NAME, or with
// quiet only if it fails.
func (c *hookCtx) sh(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var (
		cmd     cmdArg
		timeout = duration{defaultShTimeout}
		env     envArg
		dir     string
		check   = true
		quiet   bool
	)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "cmd", &cmd, "timeout?", &timeout,
		"env?", &env, "dir??", &dir, "check?", &check, "quiet?", &quiet); err != nil {
		return nil, err
	}
	text := cmdText(cmd.argv)
	ctx, cancel := c.bound(timeout.d)
	defer cancel()
	out := &shOutput{c: c, quiet: quiet}
	res, err := c.runSh(ctx, cmd.argv, joinRoot(c.h.rt.root, cmp0(dir, ".")), env.env, out)
	if err != nil {
		return nil, fmt.Errorf("sh: %s: %w", text, err)
	}
	if ctx.Err() != nil || res.code != 0 {
		out.show() // quiet: its output is shown once it failed
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
	words := make([]string, len(argv))
	for i, w := range argv {
		words[i] = shellWord(w)
	}
	return strings.Join(words, " ")
}

// shellWord is w quoted as a POSIX shell needs it: as it is when it holds
// only characters a shell takes literally, else in single quotes.
func shellWord(w string) string {
	if w != "" && strings.Trim(w, shellSafe) == "" {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

const shellSafe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,"

type shResult struct {
	code           int // 128+n when killed by signal n
	stdout, stderr *capture
	elapsed        time.Duration
}

// runSh runs argv until it exits or ctx ends, its lines going to out. It
// is forked like a process, through the reaper: its own session, SIGKILL
// if ovrseer dies (Pdeathsig, and the watchdog records its group), only
// fds 0-2 (stdin /dev/null), ovrseer's environment without the
// service-manager variables, plus env and the markers OVRSEER_UNIT=hook:NAME
// and OVRSEER_RUN. When it ends its group is killed, and so is what it
// started that escaped the group (setsid) and was adopted by ovrseer.
func (c *hookCtx) runSh(ctx context.Context, argv []string, dir string, env []string, out *shOutput) (*shResult, error) {
	path, err := shPath(argv[0])
	if err != nil {
		return nil, err
	}
	res := &shResult{stdout: newCapture(0), stderr: newCapture(shTailLines)}
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
	cmd := &exec.Cmd{Path: path, Args: argv, Dir: dir, Env: reaper.Env(c.unitName(), env), Stdout: outW, Stderr: errW}
	start := time.Now()
	child, err := reaper.Start(cmd)
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		return nil, err
	}
	if err := watchdog.WatchGroup(child.Pid); err != nil {
		c.e.ReportError(c.e.Phase(), c.unitName(), err)
	}
	drained := make(chan struct{}, 2)
	go out.pump(outR, logger.Stdout, res.stdout, drained)
	go out.pump(errR, logger.Stderr, res.stderr, drained)
	st := c.waitSh(ctx, child)
	res.elapsed = time.Since(start)
	syscall.Kill(-child.Pid, syscall.SIGKILL) // nothing it started outlives it
	watchdog.ForgetGroup(child.Pid)
	c.stopEscapes(child.Pid)
	drain(drained, outR, errR)
	res.code = st.Code
	if st.Signal != 0 {
		res.code = 128 + int(st.Signal)
	}
	return res, nil
}

// shPath is the executable of name: looked up on PATH, unless it holds a
// slash (then it is relative to the command's dir).
func shPath(name string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	return exec.LookPath(name)
}

// waitSh waits for the command to exit; when ctx ends first, its group is
// killed. Code -1 means it was not reaped within shKillWait of SIGKILL.
func (c *hookCtx) waitSh(ctx context.Context, child *reaper.Child) reaper.Status {
	select {
	case st := <-child.Exited():
		return st
	case <-ctx.Done():
	}
	syscall.Kill(-child.Pid, syscall.SIGKILL)
	select {
	case st := <-child.Exited():
		return st
	case <-time.After(shKillWait):
		return reaper.Status{Code: -1}
	}
}

// unitName is the OVRSEER_UNIT of the hook's commands.
func (c *hookCtx) unitName() string { return "hook:" + c.h.Name }

// stopEscapes SIGKILLs what the hook's commands started that left their
// group and was adopted by ovrseer, each named in a lifecycle:error. A
// background job still in the command's group pgid (`cmd &`, adopted and
// dying of the group's SIGKILL) has not escaped: it is left to that
// SIGKILL, unnamed.
func (c *hookCtx) stopEscapes(pgid int) {
	name := c.unitName()
	escapes := reaper.LeftGroup(pgid, reaper.Escapes(func(unit string) bool { return unit == name }))
	// Jobs of this hook's earlier commands may still be dying too.
	escapes = reaper.Settle(escapes, time.Now().Add(reaper.MemberGrace))
	if len(escapes) == 0 {
		return
	}
	reaper.Stop(escapes, syscall.SIGKILL, 0)
	for _, e := range escapes {
		msg := fmt.Sprintf("stopped escaped process %d (%s) of %s", e.Pid, e.Comm, name)
		if e.Alive {
			msg = fmt.Sprintf("escaped process %d (%s) of %s survived SIGKILL", e.Pid, e.Comm, name)
		}
		c.e.ReportError(c.e.Phase(), name, errors.New(msg))
	}
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

// shOutput is where a command's lines go: shown live as hook:NAME, or
// with quiet held (up to shCapture bytes, in arrival order) until show.
type shOutput struct {
	c     *hookCtx
	quiet bool

	mu      sync.Mutex // guards (quiet):
	held    []shLine
	size    int
	skipped int
}

type shLine struct {
	stream logger.Stream
	text   string
}

// pump reads one stream into lines: each shown (or held) and captured.
func (o *shOutput) pump(r io.Reader, stream logger.Stream, capt *capture, drained chan<- struct{}) {
	defer func() { drained <- struct{}{} }()
	sp := logger.NewSplitter(func(line []byte) {
		text := string(line)
		o.line(stream, text)
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

func (o *shOutput) line(stream logger.Stream, text string) {
	if !o.quiet {
		o.c.e.HookLine(o.c.h.Name, stream, text)
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.size+len(text) > shCapture {
		o.skipped++
		return
	}
	o.size += len(text)
	o.held = append(o.held, shLine{stream, text})
}

// show shows the held lines (quiet), once the pumps are done.
func (o *shOutput) show() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, l := range o.held {
		o.c.e.HookLine(o.c.h.Name, l.stream, l.text)
	}
	if o.skipped > 0 {
		o.c.e.HookLine(o.c.h.Name, logger.Stderr, fmt.Sprintf("… %d more lines not shown", o.skipped))
	}
	o.held, o.skipped = nil, 0
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
