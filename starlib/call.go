package starlib

import (
	"fmt"
	"slices"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// call is one invocation of a declaration builtin: where it was made and
// where its problems go.
type call struct {
	ld      *loader
	builtin string
	pos     syntax.Position // the call site in the user's file
	failed  bool            // some argument was rejected
}

func (c *call) errorf(format string, args ...any) {
	c.failed = true
	c.ld.errs.addf(c.pos, c.builtin, format, args...)
}

// noneIsUnset are the options whose default is none (docs/ovrfile.md):
// passing None is the same as leaving them out, so an Ovrfile can write
// `env_file = ".env" if local else None`.
var noneIsUnset = map[string]bool{
	"ready": true, "user": true, "stop_cmd": true, "health": true, "env_file": true, "log_file": true,
}

// unpack is UnpackArgs with Ovrfile-grade messages: at most npos positional
// arguments, unknown keywords reported with a did-you-mean and skipped, and
// every Unpacker argument checked on its own so that one call can report
// several bad values. It reports whether the required arguments were there
// (bad values only set c.failed).
func (c *call) unpack(args starlark.Tuple, kwargs []starlark.Tuple, npos int, pairs ...any) bool {
	names := make([]string, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		names = append(names, strings.TrimRight(pairs[i].(string), "?"))
	}
	if len(args) > npos {
		c.errorf("got %d positional arguments, want at most %d (options are keyword-only)", len(args), npos)
		return false
	}
	kept := kwargs[:0:0]
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		if !slices.Contains(names, k) {
			c.errorf("unknown keyword %q%s", k, didYouMean(k, names))
			continue
		}
		if kv[1] == starlark.None && noneIsUnset[k] {
			continue // None: as if left out
		}
		kept = append(kept, kv)
	}
	wrapped := make([]any, len(pairs))
	for i := 0; i < len(pairs); i += 2 {
		wrapped[i], wrapped[i+1] = pairs[i], pairs[i+1]
		if u, ok := pairs[i+1].(starlark.Unpacker); ok {
			wrapped[i+1] = &lenient{inner: u, name: names[i/2], c: c}
		}
	}
	if err := starlark.UnpackArgs(c.builtin, args, kept, wrapped...); err != nil {
		c.errorf("%s", strings.TrimPrefix(err.Error(), c.builtin+": "))
		return false
	}
	return true
}

// lenient records an argument's unpacking error instead of returning it, so
// UnpackArgs goes on to the other arguments.
type lenient struct {
	inner starlark.Unpacker
	name  string
	c     *call
}

func (l *lenient) Unpack(v starlark.Value) error {
	if err := l.inner.Unpack(v); err != nil {
		l.c.errorf("%s: %v", l.name, err)
	}
	return nil
}

// builtin declares a Starlark builtin whose calls know their call site.
func builtin(name string, fn func(c *call, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)) *starlark.Builtin {
	return starlark.NewBuiltin(name, func(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		ld, _ := thread.Local(keyLoader).(*loader)
		if ld == nil {
			return nil, fmt.Errorf("only allowed while the Ovrfile loads, not in a hook")
		}
		c := &call{ld: ld, builtin: name, pos: ld.callStart(thread.CallFrame(1).Pos)}
		return fn(c, args, kwargs)
	})
}
