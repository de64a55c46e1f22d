package engine

import "errors"

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
	names := e.copies[name]
	if len(names) == 0 {
		return false, nil
	}
	var errs []error
	for _, n := range names {
		errs = append(errs, act(n))
	}
	return true, errors.Join(errs...)
}
