// ovrseer patch: the bounds below keep every Go fatal error (stack
// overflow, out of memory) out of reach of a Starlark program: recursion
// over nested values stops at MaxNesting levels, and no single operator
// or builtin builds a string, list, dict or int larger than the limits.
// Repeated growth is bounded by the caller's step limit and memory guard.
// See PATCHES.md at the root of this copy.

package starlark

import (
	"fmt"
	"math/bits"
	"strings"
)

const (
	// MaxNesting is how deep printing, hashing and JSON go into nested
	// values: deeper levels print as "...", hash and JSON fail.
	MaxNesting = 1000
	// MaxStringLen is the size in bytes of one string or bytes value
	// built by an operator or builtin (and of one printed value, cut
	// with "..." beyond it).
	MaxStringLen = 1 << 24
	// MaxElems is the number of elements of one list, tuple, dict or set.
	MaxElems = 1 << 22
	// MaxIntBits is the size in bits of one int built by * or <<.
	MaxIntBits = 1 << 20
)

// checkElems reports a collection of n elements as too large.
func checkElems(n int) error {
	if n > MaxElems {
		return fmt.Errorf("too many elements (%d, at most %d)", n, MaxElems)
	}
	return nil
}

// checkStringLen reports a string of n bytes as too large.
func checkStringLen(n int) error {
	if n > MaxStringLen {
		return fmt.Errorf("string too long (%d bytes, at most %d)", n, MaxStringLen)
	}
	return nil
}

// errTooDeep is the error of hashing (or encoding) too deep a value.
var errTooDeep = fmt.Errorf("value nested deeper than %d levels", MaxNesting)

// ValueWriter is implemented by values that print other values (such as
// starlarkstruct.Struct), so that the nesting and size bounds of printing
// hold across them.
type ValueWriter interface {
	WriteValue(out *strings.Builder, depth int)
}

// WriteValue writes the repr of x, nested depth levels deep, to out.
func WriteValue(out *strings.Builder, x Value, depth int) {
	writeValueDepth(out, x, nil, depth)
}

// DepthHasher is implemented by hashable values holding other values
// (such as starlarkstruct.Struct), so the nesting bound of hashing holds
// across them.
type DepthHasher interface {
	HashDepth(depth int) (uint32, error)
}

// HashDepth hashes x, nested depth levels deep.
func HashDepth(x Value, depth int) (uint32, error) {
	if depth > MaxNesting {
		return 0, errTooDeep
	}
	if h, ok := x.(DepthHasher); ok {
		return h.HashDepth(depth)
	}
	return x.Hash()
}

// bitLen is the size of x in bits.
func (x Int) bitLen() int {
	if small, big := x.get(); big != nil {
		return big.BitLen()
	} else if small < 0 {
		return bits.Len64(uint64(-small))
	} else {
		return bits.Len64(uint64(small))
	}
}
