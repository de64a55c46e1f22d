package starlib

import (
	"strings"
	"testing"
)

func TestDedent(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"\n    a\n      b\n\n    c\n    ", "a|  b||c"},
		{"a\n  b", "a|  b"},
		{"\n\t\tx\n\ty\n", "\tx|y"},
		{"  one", "one"},
	} {
		if got := strings.Join(dedent(tc.in), "|"); got != tc.want {
			t.Errorf("dedent(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
