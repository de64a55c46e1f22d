package flagset

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ovrseer/ovrseer/internal/ansi"
)

// FuzzFeed checks that on any line each flag's count moves exactly when its
// plain regexp matches the line with escapes stripped, and that stripping
// leaves no ESC behind.
func FuzzFeed(f *testing.F) {
	f.Add("2026 ERROR: x took 12345ms status=503")
	f.Add("\x1b[31mERR\x1b[0mOR: connection \x1b]0;t\x07refused")
	f.Add("panic: \xff\x1b[")
	f.Add("Out Of MEMORY \u212Ailled")
	flags := append(benchFlags(),
		Flag{Name: "oom", Pattern: `(?i)out of memory|oom-killer`, Target: NoTarget},
		Flag{Name: "kill", Pattern: `(?i)killed`, Target: NoTarget})
	res := make([]*regexp.Regexp, len(flags))
	for i, fl := range flags {
		res[i] = regexp.MustCompile(fl.Pattern)
	}
	f.Fuzz(func(t *testing.T, line string) {
		s, err := Compile(flags)
		if err != nil {
			t.Fatal(err)
		}
		stripped := ansi.Strip(line)
		if strings.IndexByte(stripped, 0x1b) >= 0 {
			t.Fatalf("ansi.Strip(%q) = %q keeps an ESC", line, stripped)
		}
		s.Feed(nil, line, t0)
		counts := s.Counts()
		for i, fl := range flags {
			want := 0
			if res[i].MatchString(stripped) {
				want = 1
			}
			if counts[fl.Name] != want {
				t.Fatalf("%s on %q (stripped %q): count %d, want %d", fl.Name, line, stripped, counts[fl.Name], want)
			}
		}
	})
}
