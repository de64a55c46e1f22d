package starlib

import (
	"fmt"

	"go.starlark.net/starlark"
)

// intList is a list of ints (ok_codes).
type intList struct {
	list []int
	set  bool
}

func (a *intList) Unpack(v starlark.Value) error {
	it, ok := v.(starlark.Indexable)
	if !ok || v.Type() == "string" {
		return fmt.Errorf("got %s, want a list of ints", v.Type())
	}
	a.set = true
	a.list = make([]int, it.Len())
	for i := range a.list {
		n, err := starlark.AsInt32(it.Index(i))
		if err != nil {
			return fmt.Errorf("element %d: %v", i, err)
		}
		a.list[i] = n
	}
	return nil
}

// okCodes validates ok_codes: exit codes 0..255, at least one.
func (c *call) okCodes(a intList) []int {
	if a.set && len(a.list) == 0 {
		c.errorf("ok_codes: want at least one code")
	}
	for _, code := range a.list {
		if code < 0 || code > 255 {
			c.errorf("ok_codes: %d is out of range 0..255", code)
		}
	}
	return a.list
}

// okCodesOr0 is ok_codes as they apply: [0] when none were given.
func okCodesOr0(codes []int) []int {
	if len(codes) == 0 {
		return []int{0}
	}
	return codes
}
