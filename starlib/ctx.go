package starlib

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/logger"
	"github.com/ovrseer/ovrseer/unit"
)

// hookCtx is the ctx of one hook invocation (docs/ovrfile.md).
type hookCtx struct {
	h      *hook
	e      *engine.Engine
	ctx    context.Context // ends at the hook's timeout or cancellation
	parent context.Context // ends on cancellation only
	ev     engine.Event
}

// doneReason says why the hook's context ended.
func (c *hookCtx) doneReason() string {
	if c.parent.Err() == nil && errors.Is(c.ctx.Err(), context.DeadlineExceeded) {
		return fmt.Sprintf("hook timed out after %s", unit.FormatDuration(c.h.timeout))
	}
	return "hook cancelled"
}

type ctxFunc func(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

// value builds the ctx struct.
func (c *hookCtx) value() *starlarkstruct.Struct {
	d := starlark.StringDict{"event": eventValue(c.ev)}
	for name, fn := range map[string]ctxFunc{
		"sh": c.sh, "start": c.start, "stop": c.stop, "restart": c.restart, "run": c.run,
		"wait_ready": c.waitReady, "status": c.status, "logs": c.logs, "log": c.log,
		"fail": c.fail, "exit": c.exit, "glob": c.glob,
	} {
		d[name] = starlark.NewBuiltin("ctx."+name, func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return fn(b, args, kwargs)
		})
	}
	s := starlarkstruct.FromStringDict(starlark.String("ctx"), d)
	s.Freeze()
	return s
}

// action returns ctx.start/stop/restart.
func (c *hookCtx) action(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, act func(string) error) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name); err != nil {
		return nil, err
	}
	if err := act(name); err != nil {
		return nil, err
	}
	return starlark.None, nil
}

func (c *hookCtx) start(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return c.action(b, args, kwargs, c.e.Start)
}

func (c *hookCtx) stop(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return c.action(b, args, kwargs, c.e.Retire) // stopped by the Ovrfile: ended for good (engine/retire.go)
}

func (c *hookCtx) restart(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return c.action(b, args, kwargs, c.e.Restart)
}

// run is ctx.run(name, timeout=None): the first exit as struct(code, ok),
// ok when the code is one of the process's ok_codes (engine.RunOnceExit; a
// replicated name runs every copy).
func (c *hookCtx) run(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var (
		name    string
		timeout duration
	)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name, "timeout??", &timeout); err != nil {
		return nil, err
	}
	ctx, cancel := c.bound(timeout.d)
	defer cancel()
	r, err := c.e.RunOnceExit(ctx, name)
	if err != nil {
		return nil, c.waitErr(ctx, name, timeout.d, err)
	}
	return starlarkstruct.FromStringDict(starlark.String("result"), starlark.StringDict{
		"code": starlark.MakeInt(r.Code), "ok": starlark.Bool(r.OK),
	}), nil
}

// waitReady is ctx.wait_ready(name, timeout="60s").
func (c *hookCtx) waitReady(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	timeout := duration{defaultWaitReady}
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name, "timeout?", &timeout); err != nil {
		return nil, err
	}
	ctx, cancel := c.bound(timeout.d)
	defer cancel()
	if err := c.e.WaitReady(ctx, name); err != nil {
		return nil, c.waitErr(ctx, name, timeout.d, err)
	}
	return starlark.None, nil
}

// bound derives a context from the hook's, limited to d when d > 0.
func (c *hookCtx) bound(d time.Duration) (context.Context, context.CancelFunc) {
	if d > 0 {
		return context.WithTimeout(c.ctx, d)
	}
	return context.WithCancel(c.ctx)
}

// waitErr explains a wait that ended with err.
func (c *hookCtx) waitErr(ctx context.Context, name string, d time.Duration, err error) error {
	switch {
	case c.ctx.Err() != nil:
		return fmt.Errorf("%s: %s", name, c.doneReason())
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("%s: timed out after %s", name, unit.FormatDuration(d))
	}
	return err
}

// log is ctx.log(msg): a line shown as hook:NAME.
func (c *hookCtx) log(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var msg starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &msg); err != nil {
		return nil, err
	}
	text, ok := starlark.AsString(msg)
	if !ok {
		text = msg.String()
	}
	c.e.HookLine(c.h.Name, logger.Stdout, text)
	return starlark.None, nil
}

// fail is ctx.fail(msg): the hook fails with msg.
func (c *hookCtx) fail(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var msg string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &msg); err != nil {
		return nil, err
	}
	return nil, errors.New(msg)
}

// exit is ctx.exit(code=0): orderly shutdown, then exit with code. The hook
// ends here without failing.
func (c *hookCtx) exit(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	code := 0
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "code?", &code); err != nil {
		return nil, err
	}
	if code < 0 || code > 255 {
		return nil, fmt.Errorf("code: want 0..255, got %d", code)
	}
	c.e.Exit(code, fmt.Sprintf("ctx.exit(%d) in hook %s", code, c.h.Name))
	return nil, errExit
}
