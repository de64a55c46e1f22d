package export

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/starlib"
	"github.com/ovrseer/ovrseer/unit"
)

// stack is the plan with every path resolved for the target machine.
type stack struct {
	name     string
	file     string // the Ovrfile's base name, for comments
	procs    []proc
	settings engine.Settings
	notes    []Note // stack-wide and format-independent, in plan order
}

// proc is one process with its command and paths resolved.
type proc struct {
	engine.Process
	argv  []string    // argv[0] absolute
	dir   string      // absolute, --root applied
	env   [][2]string // KEY, VALUE in plan order
	execs [][]string  // resolved argv of each ready.exec check, in check order
}

func newStack(ovr *starlib.Ovrfile, name, root string) (*stack, error) {
	if root != "" && !filepath.IsAbs(root) {
		return nil, &OptionError{fmt.Sprintf("--root %q: want an absolute path", root)}
	}
	r := resolver{from: ovr.Root, to: filepath.Clean(root)}
	if root == "" {
		r.to = ""
	}
	st := &stack{name: name, file: filepath.Base(firstOr(ovr.Files, "Ovrfile.star")), settings: ovr.Plan.Settings}
	var errs []error
	for _, p := range ovr.Plan.Processes {
		pr, err := r.proc(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p.Name, err))
			continue
		}
		st.procs = append(st.procs, pr)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	st.notes = commonNotes(ovr)
	return st, nil
}

func firstOr(s []string, def string) string {
	if len(s) == 0 {
		return def
	}
	return s[0]
}

// resolver makes paths absolute and moves them from the Ovrfile's directory
// to --root.
type resolver struct{ from, to string }

func (r resolver) proc(p engine.Process) (proc, error) {
	pr := proc{Process: p, dir: r.path(p.Spec.Dir)}
	var err error
	if pr.argv, err = r.argv(p.Spec.Argv, p.Spec.Dir); err != nil {
		return pr, err
	}
	for _, kv := range p.Spec.Env {
		k, v, _ := strings.Cut(kv, "=")
		pr.env = append(pr.env, [2]string{k, v})
	}
	for _, c := range p.Spec.Ready {
		if c.Kind != unit.CheckExec {
			continue
		}
		argv, err := r.argv(c.Argv, p.Spec.Dir)
		if err != nil {
			return pr, fmt.Errorf("%s: %w", c, err)
		}
		pr.execs = append(pr.execs, argv)
	}
	return pr, nil
}

// argv resolves argv[0]: a string command's sh is /bin/sh; a path is made
// absolute against dir; a bare name is looked up in PATH now, on the
// machine that exports.
func (r resolver) argv(argv []string, dir string) ([]string, error) {
	if len(argv) == 0 || argv[0] == "" {
		return nil, errors.New("empty command")
	}
	out := append([]string(nil), argv...)
	switch name := argv[0]; {
	case name == "sh":
		out[0] = "/bin/sh"
	case strings.Contains(name, "/"):
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		out[0] = r.path(name)
	default:
		path, err := exec.LookPath(name)
		if err != nil {
			return nil, fmt.Errorf("command %q not found in PATH at export time: %w", name, err)
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, fmt.Errorf("command %q: %w", name, err)
		}
		out[0] = abs
	}
	return out, nil
}

// path moves p below --root when it is at or below the Ovrfile's directory.
func (r resolver) path(p string) string {
	if r.to == "" || p == "" {
		return p
	}
	rel, err := filepath.Rel(r.from, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return p
	}
	return filepath.Join(r.to, rel)
}

// commonNotes lists what no target engine has: hooks, flags, log-line
// readiness, a pipe on stdin, and the run-wide settings.
func commonNotes(ovr *starlib.Ovrfile) []Note {
	var notes []Note
	for _, p := range ovr.Plan.Processes {
		for _, c := range p.Spec.Ready {
			if c.Kind == unit.CheckLog {
				notes = append(notes, Note{p.Name, c.String(), "no engine watches log lines; ready once started"})
			}
		}
		for _, f := range p.Spec.Flags {
			notes = append(notes, Note{p.Name, fmt.Sprintf("flag %q", f.Name), "flags count log lines inside ovrseer"})
		}
		if p.Spec.Stdin {
			notes = append(notes, Note{p.Name, "stdin = True", "no pipe to type into; stdin is /dev/null"})
		}
		if p.LogFile != "" {
			notes = append(notes, Note{p.Name, "log_file", "the engine keeps the logs (journal, nomad alloc logs)"})
		}
	}
	notes = append(notes, compatNotes(ovr)...)
	for _, h := range ovr.Hooks {
		notes = append(notes, Note{"hook:" + h.Name, fmt.Sprintf("on(%q)", h.Event), "callbacks run inside ovrseer"})
	}
	s := ovr.Plan.Settings
	if s.ExitWith != "" {
		notes = append(notes, Note{"settings", fmt.Sprintf("exit_with = %q", s.ExitWith), "a service manager has no run that ends with one process"})
	}
	if s.Timeout > 0 {
		notes = append(notes, Note{"settings", "timeout = " + unit.FormatDuration(s.Timeout), "a service manager has no whole-run deadline"})
	}
	if s.LogDir != "" {
		notes = append(notes, Note{"settings", "log_dir (ovrseer.log)", "ovrseer's own lines exist only when ovrseer runs the stack"})
	}
	if s.CrashDir != "" {
		notes = append(notes, Note{"settings", "crash reports", "ovrseer writes them; the engine keeps its own logs"})
	}
	return notes
}
