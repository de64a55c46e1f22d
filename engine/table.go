package engine

import (
	"fmt"
	"slices"

	"github.com/ovrseer/ovrseer/unit"
)

// table is the process set of one plan. It is published whole
// (Engine.table) and never changed: a reload builds a new one, which the
// lifecycle goroutine alone swaps in (reload.go). A reader loads it once
// per call. Indices (core.idx) only grow: a note in flight for a process a
// reload removed still finds its core in all, and the lifecycle ignores it.
type table struct {
	plan   Plan
	all    []*proc             // every core by idx, those a reload retired included (closed ones as tombstones: unit nil)
	procs  []*proc             // the plan's processes, in plan order
	byName map[string]*proc    // ... by name
	copies map[string][]string // replicas.go
}

// tab returns the current table.
func (e *Engine) tab() *table { return e.table.Load() }

// live reports whether the core with index idx belongs to t (a reload did
// not retire it).
func (t *table) live(idx int) bool {
	p := t.all[idx]
	q := t.byName[p.name]
	return q != nil && q.core == p.core
}

// newTable links cores (cores[i] runs plan.Processes[i]) into a table
// that follows prev (nil for the first): each proc's deps and dependents
// are resolved to indices, both ways.
func newTable(plan Plan, prev *table, cores []*core) *table {
	t := &table{plan: plan, byName: make(map[string]*proc, len(cores)), copies: copiesOf(plan.Processes)}
	if prev != nil {
		t.all = slices.Clone(prev.all)
	}
	for _, c := range cores {
		p := &proc{core: c}
		t.procs = append(t.procs, p)
		t.byName[c.name] = p
		if c.idx < len(t.all) {
			t.all[c.idx] = p
		} else {
			t.all = append(t.all, p) // new cores come in index order
		}
	}
	for i, pr := range plan.Processes {
		p := t.procs[i]
		for _, d := range pr.Deps {
			dep := t.byName[d]
			p.deps = append(p.deps, dep.idx)
			p.conds = append(p.conds, pr.After[d])
			dep.dependents = append(dep.dependents, p.idx)
		}
	}
	return t
}

// newCore makes the core of pr with index idx: its unit is pending.
// inherit, when set, is the unit it continues (a changed declaration).
func (e *Engine) newCore(pr Process, idx int, settings Settings, inherit *unit.Inherit) (*core, error) {
	c := &core{idx: idx, name: pr.Name, group: pr.Group, decl: pr, autostart: pr.Autostart,
		exitWith: pr.Name == settings.ExitWith, restart: pr.Spec.Restart, restartOnDeps: pr.RestartOnDeps}
	u, err := unit.New(pr.Spec, unit.Options{OnLine: e.onLine(c), OnChunk: e.onChunk(c),
		Wait: e.onWait(c), OnEvent: e.onEvent(c), Sink: e.sink, Inherit: inherit})
	if err != nil {
		return nil, fmt.Errorf("process %q: %w", pr.Name, err)
	}
	c.unit = u
	c.checkTimeout = maxCheckTimeout(u.Spec())
	return c, nil
}
