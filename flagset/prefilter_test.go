package flagset

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestRequired(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string // "(?i)" marks a case-folded literal
		exact   bool
	}{
		{`connection refused`, []string{"connection refused"}, true},
		{`took [0-9]{4,}ms`, []string{"took "}, false},
		{`\b(ERROR|FATAL):`, []string{"ERROR", "FATAL"}, false},
		{`ERROR|ERRNO`, []string{"ERR"}, false},
		{`(?i)error`, []string{"(?i)error"}, false},
		{`(?i)out of memory`, []string{"(?i)out of memory"}, false},
		{`(?i:err)or: `, []string{"(?i)error: "}, false},
		{`(?i)disk`, nil, false},                         // k folds to the Kelvin sign
		{`(?i)mask [0-9]+ x`, []string{"(?i) x"}, false}, // s folds to long s
		{`(?i)é`, nil, false},
		{`a?b`, []string{"b"}, false},
		{`x*`, nil, false},
		{`(abc)+d`, []string{"abc"}, false},
		{`(abc){2}`, []string{"abc"}, false},
		{`(abc){0,2}z`, []string{"z"}, false},
		{`a|b|c|d|e|f`, nil, false},
		{`panic:|goroutine \d+ \[`, []string{"panic:", "goroutine "}, false},
		{`\x{FFFD}`, nil, false},
		{`ab\x{FFFD}x`, nil, false}, // one literal node, dropped whole
		{`^$`, nil, false},
	}
	for _, tt := range tests {
		p := newPrefilter(tt.pattern)
		if got := litStrings(p.lits); !slices.Equal(got, tt.want) || p.exact != tt.exact {
			t.Errorf("%q: lits %q exact %v, want %q %v", tt.pattern, got, p.exact, tt.want, tt.exact)
		}
	}
}

func litStrings(ls []literal) []string {
	var out []string
	for _, l := range ls {
		if l.fold {
			out = append(out, "(?i)"+l.s)
		} else {
			out = append(out, l.s)
		}
	}
	return out
}

// TestPrefilterAgreesWithRegexp is a property test: on random lines, a
// flag's prefiltered match agrees with the plain regexp.
func TestPrefilterAgreesWithRegexp(t *testing.T) {
	patterns := []string{
		`connection refused`, `took [0-9]{4,}ms`, `\b(ERROR|FATAL):`, `ERROR|ERRNO`, `(?i)error`,
		`(?i:err)or`, `(?i)ERROR|fatal`, `(?i)kelvin`, `(?i)s[a-z]`, `(?i)e.R`, `(?i)ab`,
		`a?b`, `(ab)+c`, `^ab`, `b$`, `\bab\b`, `a.b`, `a\x{FFFD}`, `\x{FFFD}`,
		`é+`, `(a|b)(c|d)`, `[ab]c`, `ab|`, `a{2,3}b`, `(?s)a.b`, `(?U)a+?b`, `x*`,
	}
	pieces := []string{"a", "b", "A", "B", "c", "d", "ab", "aB", "ERROR", "FATAL", "eRrOr", "fAtAl", ":", " ",
		"error", "Err", "took ", "1234", "ms", "connection ", "refused", "é", "É", "\xff", "\xc3", "\x00",
		"\n", "ERRNO", "KELVIN", "\u212Aelvin", "\u017F", "s", "S", "x"}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, pat := range patterns {
		c, err := compile(Flag{Name: "p", Pattern: pat, Target: NoTarget})
		if err != nil {
			t.Fatal(err)
		}
		plain := regexp.MustCompile(pat)
		for range 3000 {
			var b strings.Builder
			for range rng.IntN(8) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			line := b.String()
			if got, want := c.match(line), plain.MatchString(line); got != want {
				t.Fatalf("%q on %q: prefiltered %v, regexp %v (lits %q)", pat, line, got, want, litStrings(c.pre.lits))
			}
		}
	}
}

func TestLiteral(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := "abAB =:E\xff"
	for range 50000 {
		s := randString(rng, alphabet, 1+rng.IntN(4))
		line := randString(rng, alphabet, rng.IntN(12))
		fold := rng.IntN(2) == 0
		l := newLiteral(s, fold)
		want := strings.Contains(line, s)
		if fold {
			want = strings.Contains(lowerASCII(line), lowerASCII(s))
		}
		if got := l.in(line); got != want {
			t.Fatalf("literal %q (fold %v) in %q = %v, want %v", s, fold, line, got, want)
		}
	}
}

func randString(rng *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}
