package flagset

import (
	"regexp/syntax"
	"slices"
	"unicode/utf8"
)

// maxAlts bounds the literals a prefilter tries per line.
const maxAlts = 4

// prefilter is a set of literals at least one of which every match of a
// pattern contains: a line with none of them cannot match, and a literal
// search is much cheaper than the regexp.
type prefilter struct {
	lits  []literal // none means no prefilter: every line goes to the regexp
	exact bool      // the pattern is just lits[0]: containing it is matching
}

func (p *prefilter) maybe(line string) bool {
	for i := range p.lits {
		if p.lits[i].in(line) {
			return true
		}
	}
	return len(p.lits) == 0
}

// lit is a literal found in a pattern.
type lit struct {
	s    string
	fold bool // ASCII case-insensitive
}

// newPrefilter finds the literals required by pattern.
func newPrefilter(pattern string) prefilter {
	re, err := syntax.Parse(pattern, syntax.Perl) // the flags regexp.Compile uses
	if err != nil {
		return prefilter{}
	}
	re = re.Simplify()
	var p prefilter
	for _, l := range required(re) {
		p.lits = append(p.lits, newLiteral(l.s, l.fold))
	}
	p.exact = re.Op == syntax.OpLiteral && len(p.lits) == 1 && !p.lits[0].fold
	return p
}

// literalOf returns re as a searchable literal, if it is one. Case-folded
// literals qualify when all their case variants are ASCII; literals holding
// U+FFFD never do (the regexp matches it against invalid UTF-8 bytes, which
// a byte search would not).
func literalOf(re *syntax.Regexp) (lit, bool) {
	if re.Op != syntax.OpLiteral || slices.Contains(re.Rune, utf8.RuneError) {
		return lit{}, false
	}
	fold := re.Flags&syntax.FoldCase != 0
	if fold && !foldsInASCII(re.Rune) {
		return lit{}, false
	}
	return lit{s: string(re.Rune), fold: fold}, true
}

// required returns literals one of which every match of re contains, or nil
// when it finds no useful set.
func required(re *syntax.Regexp) []lit {
	switch re.Op {
	case syntax.OpLiteral:
		if l, ok := literalOf(re); ok {
			return []lit{l}
		}
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		return requiredConcat(re.Sub)
	case syntax.OpAlternate:
		var all []lit
		for _, sub := range re.Sub {
			lits := required(sub)
			if lits == nil || len(all)+len(lits) > maxAlts {
				return nil
			}
			all = append(all, lits...)
		}
		return all
	}
	return nil // optional parts, classes, assertions
}

// requiredConcat joins adjacent literals of a concatenation and returns the
// best of those runs and of the parts' own sets.
func requiredConcat(subs []*syntax.Regexp) []lit {
	var best []lit
	var run lit
	for _, sub := range subs {
		if l, ok := literalOf(sub); ok {
			run.s += l.s
			run.fold = run.fold || l.fold
			continue
		}
		if run.s != "" {
			best = better(best, []lit{run})
		}
		run = lit{}
		best = better(best, required(sub))
	}
	if run.s != "" {
		best = better(best, []lit{run})
	}
	return best
}

// better picks the more selective set: the longer shortest literal, then
// fewer literals.
func better(a, b []lit) []lit {
	switch {
	case b == nil:
		return a
	case a == nil:
		return b
	}
	sa, sb := shortest(a), shortest(b)
	if sb > sa || sb == sa && len(b) < len(a) {
		return b
	}
	return a
}

func shortest(lits []lit) int {
	n := len(lits[0].s)
	for _, l := range lits[1:] {
		n = min(n, len(l.s))
	}
	return n
}
