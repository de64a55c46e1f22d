package engine

import (
	"errors"
	"slices"
)

// A process declared with replicas = N runs as N copies NAME-1 … NAME-N
// (docs/ovrfile.md, replicas). Start, Stop, Restart and Retire of NAME act
// on every copy, in order; of NAME-i, on that one.

// copiesOf indexes the copies of each replicated name.
func copiesOf(procs []Process) map[string][]string {
	var m map[string][]string
	for _, p := range procs {
		if p.ReplicaOf != "" {
			if m == nil {
				m = map[string][]string{}
			}
			m[p.ReplicaOf] = append(m[p.ReplicaOf], p.Name)
		}
	}
	return m
}

// onCopies runs act on every copy of name and reports true, or reports
// false when name is not a replicated name.
func (e *Engine) onCopies(name string, act func(string) error) (bool, error) {
	names := e.tab().copies[name]
	if len(names) == 0 {
		return false, nil
	}
	var errs []error
	for _, n := range names {
		errs = append(errs, act(n))
	}
	return true, errors.Join(errs...)
}

// named returns the copies of a replicated name, in order, or the one
// process of that name.
func (e *Engine) named(name string) ([]*proc, error) {
	names := e.tab().copies[name]
	if len(names) == 0 {
		p, err := e.lookup(name)
		if err != nil {
			return nil, err
		}
		return []*proc{p}, nil
	}
	ps := make([]*proc, 0, len(names))
	for _, n := range names {
		p, err := e.lookup(n)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// Copies returns the names of the copies of a replicated name, in order,
// or nil when name is not one.
func (e *Engine) Copies(name string) []string { return slices.Clone(e.tab().copies[name]) }
