package starlib

import (
	"fmt"

	"go.starlark.net/starlark"
)

// pathsArg is env_file: a path or a list of paths (dotenv files, relative
// to ovr.root, read at each spawn: unit/envfile.go).
type pathsArg struct {
	list []string
	set  bool
}

func (a *pathsArg) Unpack(v starlark.Value) error {
	a.set = true
	if s, ok := starlark.AsString(v); ok && v.Type() == "string" {
		if s == "" {
			return fmt.Errorf("empty path")
		}
		a.list = []string{s}
		return nil
	}
	l, err := stringList(v)
	if err != nil {
		return fmt.Errorf("got %s, want a path or a list of paths", v.Type())
	}
	a.list = l
	return nil
}

// envFiles resolves a process's env_file, else settings(env_file), against
// ovr.root.
func (ld *loader) envFiles(d *procDecl) []string {
	files := ld.decl.settings.envFiles
	if d.envFile.set {
		files = d.envFile.list
	}
	var out []string
	for _, f := range files {
		out = append(out, joinRoot(ld.root, f))
	}
	return out
}

// rels is rel of every path, never nil (an empty JSON list).
func (o *Ovrfile) rels(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = o.rel(p)
	}
	return out
}
