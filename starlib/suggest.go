package starlib

import (
	"fmt"
	"strings"
)

// suggest returns the candidate nearest to s when it is close enough to be a
// likely misspelling (edit distance at most 1 for short names, else a third
// of the length, and never all of s: "c" is no misspelling of "a"), or ""
// when none is.
func suggest(s string, candidates []string) string {
	best, bestDist := "", -1
	limit := max(1, len(s)/3)
	for _, c := range candidates {
		if c == s {
			continue
		}
		d := levenshtein(strings.ToLower(s), strings.ToLower(c))
		if d <= limit && d < len(s) && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean renders the " (did you mean "x"?)" suffix, or "".
func didYouMean(s string, candidates []string) string {
	if n := suggest(s, candidates); n != "" {
		return fmt.Sprintf(" (did you mean %q?)", n)
	}
	return ""
}

// levenshtein is the edit distance between a and b, counted in bytes.
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
