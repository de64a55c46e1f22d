// Package export writes a loaded Ovrfile's plan as another engine's native
// definitions: systemd units or a Nomad job (docs/export.md). The output is
// a pure function of the plan and the options, so the same plan always gives
// byte-identical files; what has no native equivalent is returned as Notes,
// never silently dropped.
package export

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/ovrseer/ovrseer/starlib"
)

// Formats are the names Export accepts.
var Formats = []string{"systemd", "nomad"}

// Options are the command line's choices.
type Options struct {
	Format string // "systemd" or "nomad"
	Name   string // the stack name; "" means the Ovrfile's directory name
	Root   string // replaces the Ovrfile's directory in every path; "" keeps it
}

// File is one generated file; Name is relative to the output directory.
type File struct {
	Name string
	Data []byte
}

// Note is one thing that was not exported, printed as
// "not exported: NAME: what (why)".
type Note struct {
	Name string // a process, "hook:NAME" or "settings"
	What string
	Why  string
}

func (n Note) String() string { return fmt.Sprintf("not exported: %s: %s (%s)", n.Name, n.What, n.Why) }

// Result is what an export produced.
type Result struct {
	Files []File
	Notes []Note
}

// OptionError is an error in Options (the format, the name): the command
// line is wrong, not the Ovrfile.
type OptionError struct{ msg string }

func (e *OptionError) Error() string { return e.msg }

// Export converts ovr into files of opts.Format.
func Export(ovr *starlib.Ovrfile, opts Options) (Result, error) {
	name, err := stackName(ovr.Root, opts.Name)
	if err != nil {
		return Result{}, err
	}
	st, err := newStack(ovr, name, opts.Root)
	if err != nil {
		return Result{}, err
	}
	var res Result
	switch opts.Format {
	case "systemd":
		res, err = st.systemd()
	case "nomad":
		res, err = st.nomad()
	default:
		return Result{}, &OptionError{fmt.Sprintf("unknown format %q (formats: %s)", opts.Format, strings.Join(Formats, ", "))}
	}
	st.sortNotes(res.Notes)
	return res, err
}

// sortNotes orders notes by process (in plan order), then hooks, then
// settings, keeping the order within each.
func (st *stack) sortNotes(notes []Note) {
	rank := map[string]int{}
	for i, p := range st.procs {
		rank[p.Name] = i
	}
	key := func(n Note) int {
		if r, ok := rank[n.Name]; ok {
			return r
		}
		if strings.HasPrefix(n.Name, "hook:") {
			return len(st.procs)
		}
		return len(st.procs) + 1
	}
	slices.SortStableFunc(notes, func(a, b Note) int { return key(a) - key(b) })
}

var (
	validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	badChars  = regexp.MustCompile(`[^A-Za-z0-9._-]+`)
)

// stackName is name when given (it must be a valid process-style name),
// else the Ovrfile directory's base name reduced to [A-Za-z0-9._-].
func stackName(root, name string) (string, error) {
	if name != "" {
		if !validName.MatchString(name) || len(name) > 64 {
			return "", &OptionError{fmt.Sprintf("--name %q: want [A-Za-z0-9][A-Za-z0-9._-]*, at most 64 bytes", name)}
		}
		return name, nil
	}
	base := strings.Trim(badChars.ReplaceAllString(filepath.Base(root), "-"), "-._")
	if base == "" || base == "/" {
		return "", &OptionError{"no stack name from the Ovrfile's directory: give --name"}
	}
	return base, nil
}
