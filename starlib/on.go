package starlib

import (
	"strings"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/ovrseer/ovrseer/engine"
)

// hookDecl is one recorded on() call.
type hookDecl struct {
	pos     syntax.Position
	event   engine.Type
	fn      *starlark.Function
	process string
	flag    string
	timeout time.Duration
	name    string
}

const defaultHookTimeout = 5 * time.Minute

// eventNames are the names on() accepts: every type of docs/events.md, and the
// lifecycle ones also without their prefix.
var eventNames = func() []string {
	var names []string
	for _, t := range engine.Types {
		names = append(names, string(t))
	}
	for _, t := range engine.Types {
		if short, ok := strings.CutPrefix(string(t), "lifecycle:"); ok {
			names = append(names, short)
		}
	}
	return names
}()

// parseEvent maps an event name (lifecycle: prefix optional) to its type.
func parseEvent(name string) (engine.Type, bool) {
	for _, t := range engine.Types {
		if name == string(t) || "lifecycle:"+name == string(t) {
			return t, true
		}
	}
	return "", false
}

// carriesProcess reports whether events of typ name a process.
func carriesProcess(typ engine.Type) bool {
	return typ == engine.LifecycleError || !strings.HasPrefix(string(typ), "lifecycle:")
}

// onBuiltin is on(event, fn, process, flag, timeout, name).
func onBuiltin() *starlark.Builtin {
	return builtin("on", func(c *call, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		c.on(args, kwargs)
		return starlark.None, nil
	})
}

func (c *call) on(args starlark.Tuple, kwargs []starlark.Tuple) {
	if !c.atDeclarationSite() {
		return
	}
	var (
		event, process, flag, name string
		fn                         starlark.Value
		timeout                    = duration{defaultHookTimeout}
	)
	if !c.unpack(args, kwargs, 2, "event", &event, "fn", &fn, "process??", &process,
		"flag??", &flag, "timeout?", &timeout, "name??", &name) {
		return
	}
	typ, ok := parseEvent(event)
	if !ok {
		c.errorf("unknown event %q%s", event, didYouMean(event, eventNames))
	}
	f, ok := fn.(*starlark.Function)
	switch {
	case !ok:
		c.errorf("fn: got %s, want a function taking ctx", fn.Type())
	case f.NumParams()-f.NumKwonlyParams() != 1 || f.NumKwonlyParams() != 0:
		c.errorf("fn: %s must take exactly one parameter (ctx), it takes %d", f.Name(), f.NumParams())
	}
	if flag != "" && typ != "" && !strings.HasPrefix(string(typ), "flag:") {
		c.errorf("flag=: only allowed on flag:* events, not %s", typ)
	}
	if process != "" && typ != "" && !carriesProcess(typ) {
		c.errorf("process=: %s events carry no process", typ)
	}
	if name == "" && f != nil {
		name = strings.TrimLeft(f.Name(), "_")
	}
	if err := checkName(name); err != nil && (f != nil || name != "") {
		c.errorf("name: %v", err)
	}
	if c.failed {
		return
	}
	c.ld.decl.hooks = append(c.ld.decl.hooks, &hookDecl{
		pos: c.pos, event: typ, fn: f, process: process, flag: flag, timeout: timeout.d, name: name,
	})
}
