// Package glob matches the globs of the Ovrfile (docs/ovrfile.md):
// path.Match within a name, "**" any number of directories (none
// included). ctx.glob and watch share it, so a pattern means the same in
// both.
package glob

import (
	"path"
	"strings"
)

// Match reports whether the slash-separated relative path rel matches
// pattern.
func Match(pattern, rel string) bool {
	return MatchSegments(strings.Split(pattern, "/"), strings.Split(rel, "/"))
}

// MatchSegments matches path segments against pattern segments.
func MatchSegments(pat, parts []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(parts); i++ {
				if MatchSegments(pat[1:], parts[i:]) {
					return true
				}
			}
			return false
		}
		if len(parts) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], parts[0]); !ok {
			return false
		}
		pat, parts = pat[1:], parts[1:]
	}
	return len(parts) == 0
}

// HasMeta reports whether a pattern segment has a wildcard.
func HasMeta(seg string) bool { return strings.ContainsAny(seg, `*?[\`) }
