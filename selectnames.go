package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ovrseer/ovrseer/engine"
)

// selectProcesses applies `ovrseer [--no-deps] NAME...` to plan: only the
// named main processes start, with the main processes they need (their
// deps, transitively) and, as always, the dependencies group; with noDeps
// their main deps are dropped instead. The other main processes stay
// declared but do not start (autostart = False): ctx.start, the TUI and
// the control API can still start them. The name of a replicated process
// selects every copy. Unknown names are an error.
func selectProcesses(plan *engine.Plan, names []string, noDeps bool) error {
	if len(names) == 0 {
		return nil
	}
	byName := make(map[string]*engine.Process, len(plan.Processes))
	copies := map[string][]string{}
	var mains []string
	for i := range plan.Processes {
		p := &plan.Processes[i]
		byName[p.Name] = p
		if p.ReplicaOf != "" {
			copies[p.ReplicaOf] = append(copies[p.ReplicaOf], p.Name)
		}
		if p.Group == engine.Main && (p.ReplicaOf == "" || len(copies[p.ReplicaOf]) == 1) {
			mains = append(mains, cmp.Or(p.ReplicaOf, p.Name))
		}
	}
	names = expandCopies(names, copies)
	plan.Processes = slices.Clone(plan.Processes) // the loaded plan (/v1/plan, reload) stays as written
	keep := map[string]bool{}
	var errs []string
	for _, n := range names {
		switch p := byName[n]; {
		case p == nil:
			errs = append(errs, fmt.Sprintf("unknown process %q (main processes: %s)", n, strings.Join(mains, ", ")))
		case p.Group != engine.Main:
			errs = append(errs, fmt.Sprintf("%q is a %s process: name main processes (dependencies always start, cleanup always runs)", n, groupWord(p.Group)))
		default:
			keep[n] = true
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	if !noDeps {
		needed(byName, names, keep)
	}
	for i := range plan.Processes {
		p := &plan.Processes[i]
		if p.Group != engine.Main {
			continue
		}
		if !keep[p.Name] {
			p.Autostart = false
			continue
		}
		if noDeps {
			p.Deps = slices.DeleteFunc(slices.Clone(p.Deps), func(d string) bool {
				return byName[d].Group == engine.Main && !keep[d]
			})
		}
	}
	return nil
}

// expandCopies replaces each replicated name by its copies.
func expandCopies(names []string, copies map[string][]string) []string {
	var out []string
	for _, n := range names {
		if c, ok := copies[n]; ok {
			out = append(out, c...)
		} else {
			out = append(out, n)
		}
	}
	return out
}

// needed adds to keep the main processes the named ones need, transitively.
func needed(byName map[string]*engine.Process, names []string, keep map[string]bool) {
	stack := slices.Clone(names)
	for len(stack) > 0 {
		p := byName[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		for _, d := range p.Deps {
			if dp := byName[d]; dp != nil && dp.Group == engine.Main && !keep[d] {
				keep[d] = true
				stack = append(stack, d)
			}
		}
	}
}

func groupWord(g engine.Group) string {
	if g == engine.Dependencies {
		return "dependency"
	}
	return string(g)
}

// isCommand reports whether arg names a command of this binary (the client
// commands are split off before, see splitClient).
func isCommand(arg string) bool {
	switch arg {
	case "run", "check", "version", "export":
		return true
	}
	return false
}

// runNames are the process names of `ovrseer [run] NAME...`.
func runNames(args []string) []string {
	if len(args) > 0 && args[0] == "run" {
		args = args[1:]
	}
	if len(args) == 0 {
		return nil
	}
	return args
}
