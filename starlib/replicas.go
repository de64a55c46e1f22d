package starlib

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ovrseer/ovrseer/engine"
)

// maxReplicas bounds replicas.
const maxReplicas = 100

// replicate turns a process declared with replicas = N > 1 into N copies
// NAME-1 … NAME-N, each with OVR_REPLICA (1…N) and OVR_PROCESS (its full
// name) in its environment and its own default log file (docs/ovrfile.md,
// replicas). A deps entry naming NAME then names every copy (expandDeps).
func (ld *loader) replicate(d *procDecl, p engine.Process) []engine.Process {
	if d.replicas <= 1 {
		return []engine.Process{p}
	}
	out := make([]engine.Process, 0, d.replicas)
	for i := 1; i <= d.replicas; i++ {
		r := p
		r.Name = fmt.Sprintf("%s-%d", p.Name, i)
		r.Spec.Name = r.Name
		r.ReplicaOf = p.Name
		r.Spec.Env = append(slices.Clone(p.Spec.Env), fmt.Sprintf("OVR_REPLICA=%d", i), "OVR_PROCESS="+r.Name)
		if p.LogFile != "" && d.logFile == "" {
			rd := *d
			rd.proc.Name = r.Name
			r.LogFile = ld.logFile(&rd)
		}
		out = append(out, r)
	}
	return out
}

// expandDeps makes a deps entry (and its after() condition) that names a
// replicated process name every copy.
func expandDeps(procs []engine.Process, copies map[string][]string) {
	if len(copies) == 0 {
		return
	}
	for i := range procs {
		p := &procs[i]
		var deps []string
		after := map[string]engine.DepCond{}
		for _, d := range p.Deps {
			names, ok := copies[d]
			if !ok {
				names = []string{d}
			}
			for _, n := range names {
				deps = append(deps, n)
				if c, ok := p.After[d]; ok {
					after[n] = c
				}
			}
		}
		p.Deps = deps
		if len(after) > 0 {
			p.After = after
		}
	}
}

// replicaBase returns the declared name of a copy NAME-i, else name.
func replicaBase(name string, copies map[string][]string) string {
	if i := strings.LastIndexByte(name, '-'); i > 0 && slices.Contains(copies[name[:i]], name) {
		return name[:i]
	}
	return name
}

// oneCopy fails a ctx call that needs one process (ctx.status, ctx.logs)
// when name is that of a replicated process, naming its copies.
func oneCopy(e *engine.Engine, name string) error {
	copies := e.Copies(name)
	if len(copies) == 0 {
		return nil
	}
	return fmt.Errorf("%q has %d replicas: name one of them (%s … %s)", name, len(copies), copies[0], copies[len(copies)-1])
}
