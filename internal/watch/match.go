package watch

import (
	"path/filepath"
	"strings"

	"github.com/ovrseer/ovrseer/internal/glob"
)

// root splits a glob into the directory before its first wildcard and
// whether the rest reaches below it (so the tree under it is watched).
func root(dir, pattern string) (string, bool) {
	parts := strings.Split(pattern, "/")
	i := 0
	for i < len(parts)-1 && !glob.HasMeta(parts[i]) {
		i++
	}
	rest := parts[i:]
	return filepath.Join(dir, filepath.Join(parts[:i]...)), len(rest) > 1 || rest[0] == "**"
}

// ignoredDirs and ignoredName are never a change: version control, dependencies and
// editors' temporaries (vim's swap and "4913" probe, emacs' lock and
// backup files).
var ignoredDirs = []string{".git", "node_modules"}

func ignoredName(base string) bool {
	switch {
	case base == "4913", strings.HasSuffix(base, "~"), strings.HasPrefix(base, ".#"),
		strings.HasSuffix(base, ".swp"), strings.HasSuffix(base, ".swx"):
		return true
	}
	return false
}

// ignoredPath reports whether an absolute path is ignored: a name above,
// or under one of the outputs (crash dir, log dir, events file).
func ignoredPath(p string, outputs []string) bool {
	for _, o := range outputs {
		if p == o || strings.HasPrefix(p, o+string(filepath.Separator)) {
			return true
		}
	}
	for _, part := range strings.Split(p, string(filepath.Separator)) {
		for _, d := range ignoredDirs {
			if part == d {
				return true
			}
		}
	}
	return ignoredName(filepath.Base(p))
}
