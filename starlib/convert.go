package starlib

import (
	"slices"
	"strings"

	"github.com/ovrseer/ovrseer/engine"
)

// convert validates the recorded declarations as a whole and turns them into
// the Ovrfile's plan and hooks. Problems go to ld.errs.
func (ld *loader) convert() *Ovrfile {
	byName := ld.checkNames()
	names := make([]string, 0, len(byName))
	for _, d := range ld.decl.procs {
		names = append(names, d.proc.Name)
	}
	ld.checkDeps(byName, names)
	ld.checkCycles(byName)
	s := ld.decl.settings
	if w := s.settings.ExitWith; w != "" && byName[w] == nil {
		ld.errs.addf(s.pos, "settings", "exit_with: unknown process %q%s", w, didYouMean(w, names))
	}
	o := &Ovrfile{Root: ld.root, Files: slices.Clone(ld.files), rt: &runtime{root: ld.root, steps: ld.opts.hookMaxSteps(), budget: ld.opts.memoryBudget()}}
	o.Plan.Settings = s.settings
	o.Warnings = ld.missingExecutables()
	copies := map[string][]string{}
	for _, d := range ld.decl.procs {
		p := d.proc
		if !d.logLinesSet {
			p.Spec.LogLines = s.logLines
		}
		p.LogFile = ld.logFile(d)
		p.Spec.EnvFiles = ld.envFiles(d)
		for _, r := range ld.replicate(d, p) {
			if r.ReplicaOf != "" {
				copies[p.Name] = append(copies[p.Name], r.Name)
			}
			o.Plan.Processes = append(o.Plan.Processes, r)
		}
	}
	expandDeps(o.Plan.Processes, copies)
	if w := s.settings.ExitWith; copies[w] != nil {
		ld.errs.addf(s.pos, "settings", "exit_with: %q has replicas: name one of them (%s-1 ...)", w, w)
	}
	ld.checkLogFiles(o.Plan)
	for _, h := range ld.decl.hooks {
		ld.checkHook(h, byName, names, copies)
		o.addHook(h, copies[h.process])
	}
	return o
}

// checkNames reports duplicate names and indexes the first declarations.
func (ld *loader) checkNames() map[string]*procDecl {
	byName := map[string]*procDecl{}
	for _, d := range ld.decl.procs {
		if first, dup := byName[d.proc.Name]; dup {
			ld.errs.addf(d.pos, string(groupBuiltin(d.proc.Group)), "duplicate name %q (first declared at %s)",
				d.proc.Name, ld.posString(first.pos))
			continue
		}
		byName[d.proc.Name] = d
	}
	return byName
}

func groupBuiltin(g engine.Group) string {
	switch g {
	case engine.Dependencies:
		return "dependency"
	case engine.Cleanup:
		return "cleanup"
	}
	return "process"
}

// checkDeps reports deps that name no process, the process itself, or a
// process of another group (a main process may name dependencies).
func (ld *loader) checkDeps(byName map[string]*procDecl, names []string) {
	for _, d := range ld.decl.procs {
		b := groupBuiltin(d.proc.Group)
		for _, dep := range d.proc.Deps {
			target := byName[dep]
			switch {
			case target == nil:
				ld.errs.addf(d.pos, b, "deps: unknown process %q%s", dep, didYouMean(dep, names))
			case dep == d.proc.Name:
				ld.errs.addf(d.pos, b, "deps: %q depends on itself", dep)
			case target.proc.Group != d.proc.Group && !(d.proc.Group == engine.Main && target.proc.Group == engine.Dependencies):
				ld.errs.addf(d.pos, b, "deps: %q is in group %s, not %s (deps name processes of the same group; a main process may also name dependencies)",
					dep, target.proc.Group, d.proc.Group)
			}
		}
	}
}

// checkCycles reports each dependency cycle once, at its first declared
// member.
func (ld *loader) checkCycles(byName map[string]*procDecl) {
	var names []string
	for _, d := range ld.decl.procs {
		if byName[d.proc.Name] == d {
			names = append(names, d.proc.Name)
		}
	}
	for _, c := range engine.Cycles(names, func(n string) []string { return byName[n].proc.Deps }) {
		first := byName[c[0]]
		ld.errs.addf(first.pos, groupBuiltin(first.proc.Group), "dependency cycle: %s", strings.Join(c, " -> "))
	}
}

// checkHook reports an on(process=) or on(flag=) that names nothing declared
// (a copy NAME-i of a replicated process is declared as NAME).
func (ld *loader) checkHook(h *hookDecl, byName map[string]*procDecl, names []string, copies map[string][]string) {
	process := replicaBase(h.process, copies)
	if h.process != "" && byName[process] == nil {
		ld.errs.addf(h.pos, "on", "process: unknown process %q%s", h.process, didYouMean(h.process, names))
	}
	if h.flag == "" {
		return
	}
	var flags []string
	for _, d := range ld.decl.procs {
		if h.process != "" && d.proc.Name != process {
			continue
		}
		for _, f := range d.proc.Spec.Flags {
			flags = append(flags, f.Name)
		}
	}
	if !slices.Contains(flags, h.flag) {
		where := "any process"
		if h.process != "" {
			where = "process " + h.process
		}
		ld.errs.addf(h.pos, "on", "flag: no flag %q in %s%s", h.flag, where, didYouMean(h.flag, flags))
	}
}
