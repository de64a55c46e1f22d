package engine

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/unit"
)

// Validate checks the plan as a whole and returns every problem joined
// (errors.Join): duplicate names, unknown deps, cycles, bad values.
func (p *Plan) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	byName := make(map[string]*Process, len(p.Processes))
	for i := range p.Processes {
		pr := &p.Processes[i]
		switch {
		case pr.Name == "":
			add("process %d: empty name", i+1)
		case byName[pr.Name] != nil:
			add("process %q: duplicate name (also in group %q)", pr.Name, byName[pr.Name].Group)
		default:
			byName[pr.Name] = pr
		}
		errs = append(errs, validateProcess(pr)...)
	}
	for i := range p.Processes {
		errs = append(errs, validateDeps(&p.Processes[i], byName)...)
	}
	errs = append(errs, findCycles(p.Processes, byName)...)
	errs = append(errs, p.Settings.validate(byName)...)
	return errors.Join(errs...)
}

func validateProcess(pr *Process) []error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("process %q: "+format, append([]any{pr.Name}, args...)...))
	}
	switch pr.Group {
	case Dependencies, Main, Cleanup:
	default:
		add("unknown group %q", pr.Group)
	}
	s := &pr.Spec
	if s.Name != "" && s.Name != pr.Name {
		add("spec name %q differs", s.Name)
	}
	if s.Group != "" && s.Group != string(pr.Group) {
		add("spec group %q differs from %q", s.Group, pr.Group)
	}
	if len(s.Argv) == 0 || s.Argv[0] == "" {
		add("empty command")
	}
	if s.Restart > unit.RestartAlways {
		add("bad restart policy %d", s.Restart)
	}
	if s.MaxRestarts < 0 || s.Backoff < 0 || s.MaxBackoff < 0 || s.StopTimeout < 0 || s.LogLines < 0 {
		add("negative max_restarts, backoff, max_backoff, stop_timeout or log_lines")
	}
	if s.StopSignal < 0 || s.StopSignal > 64 {
		add("bad stop signal %d", int(s.StopSignal))
	}
	for _, c := range s.Ready {
		if err := validateCheck(c); err != nil {
			add("%s: %v", c, err)
		}
	}
	if len(s.Flags) > 0 {
		if _, err := flagset.Compile(s.Flags); err != nil {
			add("flags: %w", err)
		}
	}
	return errs
}

func validateCheck(c unit.Check) error {
	switch {
	case c.Timeout < 0:
		return errors.New("negative timeout")
	case c.Kind == unit.CheckLog:
		if c.Count < 0 {
			return errors.New("negative count")
		}
		if _, err := regexp.Compile(c.Pattern); err != nil {
			return err
		}
	case c.Kind == unit.CheckTCP && c.Address == "":
		return errors.New("empty address")
	case c.Kind == unit.CheckHTTP && c.URL == "":
		return errors.New("empty url")
	case c.Kind == unit.CheckExec && len(c.Argv) == 0:
		return errors.New("empty command")
	case c.Kind > unit.CheckExec:
		return errors.New("unknown kind")
	}
	return nil
}

func validateDeps(pr *Process, byName map[string]*Process) []error {
	var errs []error
	for _, d := range pr.Deps {
		dep := byName[d]
		switch {
		case d == pr.Name:
			errs = append(errs, fmt.Errorf("process %q: depends on itself", pr.Name))
		case dep == nil:
			errs = append(errs, fmt.Errorf("process %q: unknown dep %q", pr.Name, d))
		case dep.Group != pr.Group && !(pr.Group == Main && dep.Group == Dependencies):
			errs = append(errs, fmt.Errorf("process %q: dep %q is in group %q, not %q", pr.Name, d, dep.Group, pr.Group))
		}
	}
	return errs
}

// findCycles reports each dependency cycle once, as "a -> b -> a".
func findCycles(procs []Process, byName map[string]*Process) []error {
	names := make([]string, 0, len(procs))
	for _, pr := range procs {
		if byName[pr.Name] != nil {
			names = append(names, pr.Name)
		}
	}
	var errs []error
	for _, c := range Cycles(names, func(n string) []string { return byName[n].Deps }) {
		errs = append(errs, fmt.Errorf("dependency cycle: %s", strings.Join(c, " -> ")))
	}
	return errs
}

func (s *Settings) validate(byName map[string]*Process) []error {
	var errs []error
	if s.Timeout < 0 {
		errs = append(errs, fmt.Errorf("settings: negative timeout %s", unit.FormatDuration(s.Timeout)))
	}
	if s.CleanupTimeout < 0 {
		errs = append(errs, fmt.Errorf("settings: negative cleanup_timeout %s", unit.FormatDuration(s.CleanupTimeout)))
	}
	if s.ExitWith != "" && byName[s.ExitWith] == nil {
		errs = append(errs, fmt.Errorf("settings: exit_with: unknown process %q", s.ExitWith))
	}
	return errs
}
