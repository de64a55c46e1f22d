package starlib

import (
	"fmt"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

const defaultWaitReady = 60 * time.Second

// status is ctx.status(name): struct(state, pid, restarts, exit_code, flags).
func (c *hookCtx) status(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name); err != nil {
		return nil, err
	}
	if err := oneCopy(c.e, name); err != nil {
		return nil, err
	}
	snap := c.e.Snapshot()
	var names []string
	for _, p := range snap {
		if p.Name == name {
			return statusValue(p), nil
		}
		names = append(names, p.Name)
	}
	return nil, fmt.Errorf("unknown process %q%s", name, didYouMean(name, names))
}

func statusValue(p engine.ProcessStatus) starlark.Value {
	st := p.Status
	var exitCode starlark.Value = starlark.None
	running := st.State == unit.StateStarting || st.State == unit.StateReady || st.State == unit.StateStopping
	if st.Exited && st.Signal == 0 && !running {
		exitCode = starlark.MakeInt(st.ExitCode)
	}
	var pid starlark.Value = starlark.None
	if st.Pid != 0 {
		pid = starlark.MakeInt(st.Pid)
	}
	flags := starlark.NewDict(len(st.Flags))
	for _, k := range sortedKeys(st.Flags) {
		_ = flags.SetKey(starlark.String(k), starlark.MakeInt(st.Flags[k]))
	}
	return starlarkstruct.FromStringDict(starlark.String("status"), starlark.StringDict{
		"state":     starlark.String(st.State.String()),
		"pid":       pid,
		"restarts":  starlark.MakeInt(st.Restarts),
		"exit_code": exitCode,
		"flags":     flags,
	})
}

// logs is ctx.logs(name, n=100): the last n lines as strings.
func (c *hookCtx) logs(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	n := 100
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name, "n?", &n); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("n: want >= 0, got %d", n)
	}
	if err := oneCopy(c.e, name); err != nil {
		return nil, err
	}
	lines, err := c.e.Logs(name, n)
	if err != nil {
		return nil, err
	}
	out := make([]starlark.Value, len(lines))
	for i, l := range lines {
		out[i] = starlark.String(l.Text)
	}
	return starlark.NewList(out), nil
}
