package watch

import (
	"path"
	"path/filepath"
	"strings"
)

// match reports whether the slash-separated relative path rel matches the
// glob pattern: path.Match within a name, "**" any number of directories.
func match(pattern, rel string) bool {
	return matchParts(strings.Split(pattern, "/"), strings.Split(rel, "/"))
}

func matchParts(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchParts(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// root splits a glob into the directory before its first wildcard and
// whether the rest reaches below it (so the tree under it is watched).
func root(dir, pattern string) (string, bool) {
	parts := strings.Split(pattern, "/")
	i := 0
	for i < len(parts)-1 && !strings.ContainsAny(parts[i], "*?[\\") {
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
