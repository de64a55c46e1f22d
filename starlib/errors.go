package starlib

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Errors are the problems of one load, sorted by position.
type Errors []Error

// Error is one problem at a position.
type Error struct {
	File      string
	Line, Col int
	Builtin   string // e.g. "process", "ready.log"; "" for syntax and runtime errors
	Msg       string
	Backtrace string // for a runtime error, the Starlark backtrace
}

// Error renders "file:line:col: builtin: msg" (the builtin part only when
// there is one).
func (e Error) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line == 0: // the file as a whole
		fmt.Fprintf(&b, "%s: ", e.File)
	case e.File != "":
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Col)
	}
	if e.Builtin != "" {
		b.WriteString(e.Builtin)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Error renders one problem per line.
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, err := range e {
		lines[i] = err.Error()
	}
	return strings.Join(lines, "\n")
}

// errorList collects the problems of one load.
type errorList struct {
	errs Errors
	seen map[string]bool // de-duplicates identical messages at one position
}

func (l *errorList) add(e Error) {
	key := e.Error()
	if l.seen[key] {
		return
	}
	if l.seen == nil {
		l.seen = make(map[string]bool)
	}
	l.seen[key] = true
	l.errs = append(l.errs, e)
}

// addf records a problem of builtin at pos.
func (l *errorList) addf(pos syntax.Position, builtin, format string, args ...any) {
	l.add(Error{File: pos.Filename(), Line: int(pos.Line), Col: int(pos.Col), Builtin: builtin, Msg: fmt.Sprintf(format, args...)})
}

// sorted returns the errors sorted by file (in the given load order, unknown
// files last), line and column.
func (l *errorList) sorted(files []string) Errors {
	rank := func(f string) int {
		if i := slices.Index(files, f); i >= 0 {
			return i
		}
		return len(files)
	}
	out := slices.Clone(l.errs)
	slices.SortStableFunc(out, func(a, b Error) int {
		if c := rank(a.File) - rank(b.File); c != 0 {
			return c
		}
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return out
}

// errReported marks a failure whose problems were already recorded (a
// library that did not load), so the load statement does not repeat them.
var errReported = errors.New("errors reported above")

// addStarlark records an error returned by parsing, resolving or executing a
// file. names are the predeclared names, offered for undefined globals.
func (l *errorList) addStarlark(err error, names []string) {
	var (
		synErr  syntax.Error
		resErrs resolve.ErrorList
		evalErr *starlark.EvalError
	)
	switch {
	case errors.Is(err, errReported):
	case errors.As(err, &synErr):
		l.addf(synErr.Pos, "", "%s", synErr.Msg)
	case errors.As(err, &resErrs):
		for _, e := range resErrs {
			l.addf(e.Pos, "", "%s", undefinedHint(e.Msg, names))
		}
	case errors.As(err, &evalErr):
		l.addEval(evalErr)
	default:
		l.add(Error{Msg: err.Error()})
	}
}

// addEval records a runtime error at the innermost frame in a user file.
func (l *errorList) addEval(e *starlark.EvalError) {
	out := Error{Msg: e.Msg, Backtrace: e.Backtrace()}
	for i := len(e.CallStack) - 1; i >= 0; i-- {
		fr := e.CallStack[i]
		if fr.Pos.Filename() == "<builtin>" {
			if out.Builtin == "" && i == len(e.CallStack)-1 {
				out.Builtin = fr.Name
			}
			continue
		}
		out.File, out.Line, out.Col = fr.Pos.Filename(), int(fr.Pos.Line), int(fr.Pos.Col)
		break
	}
	if out.Builtin != "" {
		out.Msg = strings.TrimPrefix(out.Msg, out.Builtin+": ")
	}
	l.add(out)
}

// undefinedHint adds a did-you-mean over the predeclared names to a
// resolver's "undefined: x" message that has none.
func undefinedHint(msg string, names []string) string {
	name, ok := strings.CutPrefix(msg, "undefined: ")
	if !ok || strings.Contains(name, " ") {
		return msg
	}
	return msg + didYouMean(name, names)
}
