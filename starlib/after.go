package starlib

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/ovrseer/ovrseer/engine"
)

// afterValue is what after(name, condition) returns: a deps entry with a
// condition other than "ready" (docs/ovrfile.md, deps).
type afterValue struct {
	name string
	cond engine.DepCond
}

var _ starlark.Value = (*afterValue)(nil)

func (v *afterValue) String() string        { return fmt.Sprintf("after(%q, %q)", v.name, v.cond) }
func (v *afterValue) Type() string          { return "after" }
func (v *afterValue) Freeze()               {}
func (v *afterValue) Truth() starlark.Bool  { return true }
func (v *afterValue) Hash() (uint32, error) { return starlark.String(v.String()).Hash() }

// afterBuiltin is after(name, condition).
func afterBuiltin() *starlark.Builtin {
	return builtin("after", func(c *call, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var name, cond string
		v := &afterValue{}
		if c.unpack(args, kwargs, 2, "name", &name, "condition", &cond) {
			v.name = name
			dc, err := engine.ParseDepCond(cond)
			if err != nil {
				c.errorf("%v", err)
			}
			v.cond = dc
		}
		return v, nil
	})
}

// depsArg is deps: a list of names and after(...) entries.
type depsArg struct {
	list  []string
	after map[string]engine.DepCond
}

func (a *depsArg) Unpack(v starlark.Value) error {
	it, ok := v.(starlark.Indexable)
	if !ok || v.Type() == "string" {
		return fmt.Errorf("got %s, want a list of names and after(...)", v.Type())
	}
	for i := range it.Len() {
		switch e := it.Index(i).(type) {
		case starlark.String:
			a.list = append(a.list, string(e))
		case *afterValue:
			a.list = append(a.list, e.name)
			if e.cond != engine.DepReady {
				if a.after == nil {
					a.after = map[string]engine.DepCond{}
				}
				a.after[e.name] = e.cond
			}
		default:
			return fmt.Errorf("element %d is %s, want a name or after(...)", i, e.Type())
		}
	}
	return nil
}

// depsText renders deps as written: a name, or "name (condition)".
func depsText(p engine.Process) []string {
	out := make([]string, len(p.Deps))
	for i, d := range p.Deps {
		out[i] = d
		if c, ok := p.After[d]; ok {
			out[i] = fmt.Sprintf("%s (%s)", d, c)
		}
	}
	return out
}

// afterJSON is the after() conditions of check --json, {} when none.
func afterJSON(p engine.Process) map[string]string {
	out := make(map[string]string, len(p.After))
	for d, c := range p.After {
		out[d] = c.String()
	}
	return out
}
