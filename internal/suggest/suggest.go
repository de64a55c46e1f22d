// Package suggest finds the likely intended name behind a misspelt one, for
// the "did you mean" of Ovrfile errors and client commands.
package suggest

import (
	"fmt"
	"strings"
)

// Nearest returns the candidate nearest to s when it is close enough to be
// a likely misspelling (edit distance at most 1 for short names, else a
// third of the length, and never all of s: "c" is no misspelling of "a"),
// or "" when none is. An exact match is not a misspelling.
func Nearest(s string, candidates []string) string {
	best, bestDist := "", -1
	limit := max(1, len(s)/3)
	for _, c := range candidates {
		if c == s {
			continue
		}
		d := Distance(strings.ToLower(s), strings.ToLower(c))
		if d <= limit && d < len(s) && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// DidYouMean renders the ` (did you mean "x"?)` suffix for Nearest, or "".
func DidYouMean(s string, candidates []string) string {
	if n := Nearest(s, candidates); n != "" {
		return fmt.Sprintf(" (did you mean %q?)", n)
	}
	return ""
}

// Distance is the edit distance between a and b, counted in bytes, a swap
// of two neighbours counting as one edit ("wbe" is 1 from "web").
func Distance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
