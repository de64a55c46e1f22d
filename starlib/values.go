package starlib

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/unit"
)

// checkValue is what ready.* returns: one readiness check. A check whose
// arguments were rejected is !ok; it was reported already and is skipped.
type checkValue struct {
	check unit.Check
	ok    bool
}

var _ starlark.Value = (*checkValue)(nil)

func (v *checkValue) String() string        { return v.check.String() }
func (v *checkValue) Type() string          { return "ready_check" }
func (v *checkValue) Freeze()               {}
func (v *checkValue) Truth() starlark.Bool  { return true }
func (v *checkValue) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: ready_check") }

// flagValue is what flag() returns.
type flagValue struct {
	flag flagset.Flag
	ok   bool
}

var _ starlark.Value = (*flagValue)(nil)

func (v *flagValue) String() string        { return fmt.Sprintf("flag(%q, %q)", v.flag.Name, v.flag.Pattern) }
func (v *flagValue) Type() string          { return "flag" }
func (v *flagValue) Freeze()               {}
func (v *flagValue) Truth() starlark.Bool  { return true }
func (v *flagValue) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: flag") }

// readyArg is the ready= option: one check or a list of them.
type readyArg struct{ checks []*checkValue }

func (a *readyArg) Unpack(v starlark.Value) error {
	if c, ok := v.(*checkValue); ok {
		a.checks = []*checkValue{c}
		return nil
	}
	it, ok := v.(starlark.Indexable)
	if !ok || v.Type() == "string" {
		return fmt.Errorf("got %s, want a ready.* check or a list of them", v.Type())
	}
	for i := range it.Len() {
		c, ok := it.Index(i).(*checkValue)
		if !ok {
			return fmt.Errorf("element %d is %s, want a ready.* check", i, it.Index(i).Type())
		}
		a.checks = append(a.checks, c)
	}
	return nil
}

// flagsArg is the flags= option: a list of flag() values.
type flagsArg struct{ flags []*flagValue }

func (a *flagsArg) Unpack(v starlark.Value) error {
	it, ok := v.(starlark.Indexable)
	if !ok || v.Type() == "string" {
		return fmt.Errorf("got %s, want a list of flag(...)", v.Type())
	}
	for i := range it.Len() {
		f, ok := it.Index(i).(*flagValue)
		if !ok {
			return fmt.Errorf("element %d is %s, want flag(...)", i, it.Index(i).Type())
		}
		a.flags = append(a.flags, f)
	}
	return nil
}
