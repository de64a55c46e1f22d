package engine

import (
	"fmt"
	"testing"
)

func TestCycles(t *testing.T) {
	for _, tt := range []struct {
		deps map[string][]string
		want string
	}{
		{map[string][]string{"a": {"b"}, "b": {"c"}, "c": nil}, "[]"},
		{map[string][]string{"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": nil}, "[]"}, // a diamond
		{map[string][]string{"a": {"a"}}, "[]"},                                        // self: the caller's
		{map[string][]string{"a": {"x"}}, "[]"},                                        // unknown: the caller's
		{map[string][]string{"a": {"b"}, "b": {"a"}}, "[[a b a]]"},
		{map[string][]string{"a": {"b"}, "b": {"c"}, "c": {"b"}}, "[[b c b]]"},
		{map[string][]string{"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}}, "[[a b a] [c d c]]"},
		{map[string][]string{"a": {"b", "c"}, "b": {"a"}, "c": {"a"}}, "[[a b a] [a c a]]"},
	} {
		names := []string{"a", "b", "c", "d"}[:len(tt.deps)]
		if _, ok := tt.deps["x"]; ok {
			t.Fatal("x is the unknown name")
		}
		got := fmt.Sprint(Cycles(names, func(n string) []string { return tt.deps[n] }))
		if got != tt.want {
			t.Errorf("Cycles(%v) = %s, want %s", tt.deps, got, tt.want)
		}
	}
}
