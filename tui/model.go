package tui

import (
	"time"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/unit"
)

// maxViewLines is the history the UI keeps of a process whose ring size it
// does not know (an engine that does not say).
const maxViewLines = 5000

// lineStore is one process's history: as many lines as its ring holds
// (log_lines). The texts are the strings the ring holds (the events carry
// them), so the store costs a string header per line, not a copy of the
// bytes. Lines are addressed by absolute index (counted since the first
// line), so a scrolled view stays put while old lines are dropped from
// the front.
type lineStore struct {
	lines []string
	meta  []lineMeta // per line: time and stream
	first int        // absolute index of lines[0]
	limit int        // lines kept; 0 means maxViewLines
}

// size is the number of lines the store keeps.
func (s *lineStore) size() int {
	if s.limit > 0 {
		return s.limit
	}
	return maxViewLines
}

// add appends ls, dropping the oldest lines beyond the limit (in batches,
// so appending stays amortised O(1)).
func (s *lineStore) add(ls []string, ms []lineMeta) {
	s.lines = append(s.lines, ls...)
	s.meta = append(s.meta, ms...)
	for len(s.meta) < len(s.lines) {
		s.meta = append(s.meta, 0) // not known
	}
	limit := s.size()
	if over := len(s.lines) - limit; over > limit/4 {
		s.first += over
		s.lines = append(s.lines[:0:0], s.lines[over:]...)
		s.meta = append(s.meta[:0:0], s.meta[over:]...)
	}
}

// metaAt returns the meta of the line at absolute index i.
func (s *lineStore) metaAt(i int) lineMeta { return s.meta[i-s.first] }

// end is one past the absolute index of the last line.
func (s *lineStore) end() int { return s.first + len(s.lines) }

// at returns the line at absolute index i (first <= i < end).
func (s *lineStore) at(i int) string { return s.lines[i-s.first] }

// section is a group of the process list, in display order.
type section struct {
	group engine.Group
	title string
}

var sections = []section{
	{engine.Dependencies, "Dependencies"},
	{engine.Main, "Main"},
	{engine.Cleanup, "Cleanup"},
	{engine.Hooks, "Hooks"},
}

// procView is what the UI shows of one process (or hook pseudo-process).
type procView struct {
	name     string
	group    engine.Group
	state    unit.State
	restarts int
	hook     bool
	sys      bool        // ovrseer's own entry
	stdin    bool        // Send can write to it
	status   unit.Status // the latest snapshot's
	// nextRestart is when a restart is due (process:restart), zero if none.
	nextRestart time.Time
	flags       []flagCount // in the order they were first seen
	lines       lineStore
	view        viewState // where its log was left
}

// flagCount is one flag's count in one process.
type flagCount struct {
	name     string
	color    string // flagset colour name
	count    int
	exceeded bool
	targeted bool // it has a target
}

// flag returns the named flag's counter, adding it if needed.
func (p *procView) flag(name string) *flagCount {
	for i := range p.flags {
		if p.flags[i].name == name {
			return &p.flags[i]
		}
	}
	p.flags = append(p.flags, flagCount{name: name, color: "yellow"})
	return &p.flags[len(p.flags)-1]
}

// running reports whether the process has (or is about to have) a live
// process, so that `s` means stop rather than start.
func (p *procView) running() bool {
	switch p.state {
	case unit.StateStarting, unit.StateReady, unit.StateStopping:
		return true
	}
	return false
}

// procSet holds the processes in display order: by section, then in plan
// order (hooks in order of their first line).
type procSet struct {
	list   []*procView
	byName map[string]*procView
}

func newProcSet(snap []engine.ProcessStatus) *procSet {
	s := &procSet{byName: make(map[string]*procView, len(snap))}
	s.list = append(s.list, &procView{name: sysName, sys: true, state: unit.StateReady, view: newViewState()})
	for _, sec := range sections {
		for _, ps := range snap {
			if ps.Group == sec.group {
				p := &procView{name: ps.Name, group: ps.Group, view: newViewState()}
				s.list = append(s.list, p)
				s.byName[p.name] = p
			}
		}
	}
	s.setStatus(snap)
	return s
}

// follow makes the set hold snap's processes (a reload added or removed
// some, docs/ovrfile.md): the ones kept keep their lines and view, new ones
// take their place in plan order, removed ones go; ovrseer's entry and the
// hooks stay. It reports whether the list changed.
func (s *procSet) follow(snap []engine.ProcessStatus) bool {
	var procs, hooks []*procView
	for _, p := range s.list {
		switch {
		case p.hook:
			hooks = append(hooks, p)
		case !p.sys:
			procs = append(procs, p)
		}
	}
	var want []engine.ProcessStatus
	for _, sec := range sections {
		for _, ps := range snap {
			if ps.Group == sec.group {
				want = append(want, ps)
			}
		}
	}
	same := len(want) == len(procs)
	for i := 0; same && i < len(want); i++ {
		same = want[i].Name == procs[i].name && want[i].Group == procs[i].group
	}
	if same {
		return false
	}
	list := []*procView{s.list[0]} // ovrseer's entry
	byName := make(map[string]*procView, len(want)+len(hooks))
	for _, ps := range want {
		p := s.byName[ps.Name]
		if p == nil || p.hook {
			p = &procView{name: ps.Name, view: newViewState()}
		}
		p.group = ps.Group
		list = append(list, p)
		byName[p.name] = p
	}
	for _, h := range hooks {
		list = append(list, h)
		byName[h.name] = h
	}
	s.list, s.byName = list, byName
	return true
}

// index is the position of the named process in the list, or -1.
func (s *procSet) index(name string) int {
	for i, p := range s.list {
		if p.name == name {
			return i
		}
	}
	return -1
}

// setStatus applies a snapshot's states, restarts and flag counts.
func (s *procSet) setStatus(snap []engine.ProcessStatus) {
	for _, ps := range snap {
		p := s.byName[ps.Name]
		if p == nil {
			continue
		}
		p.state, p.restarts = ps.Status.State, ps.Status.Restarts
		p.status, p.stdin, p.lines.limit = ps.Status, ps.Stdin, ps.LogLines
		for name, n := range ps.Status.Flags {
			if n > 0 || hasFlag(p, name) {
				p.flag(name).count = n
			}
		}
	}
}

func hasFlag(p *procView, name string) bool {
	for _, f := range p.flags {
		if f.name == name {
			return true
		}
	}
	return false
}

// get returns the named process, creating a hook pseudo-process (at the
// end of the list, in the Hooks section) on its first line.
func (s *procSet) get(name string, group engine.Group) *procView {
	if p := s.byName[name]; p != nil {
		return p
	}
	if group != engine.Hooks {
		return nil
	}
	p := &procView{name: name, group: engine.Hooks, hook: true, state: unit.StateReady, view: newViewState()}
	s.list = append(s.list, p)
	s.byName[name] = p
	return p
}

// counts returns how many processes are up, down with an error, and in
// total (hooks not counted).
func (s *procSet) counts() (up, crashed, failed, total int) {
	for _, p := range s.list {
		if p.hook || p.sys {
			continue
		}
		total++
		switch p.state {
		case unit.StateStarting, unit.StateReady:
			up++
		case unit.StateCrashed:
			crashed++
		case unit.StateFailed:
			failed++
		}
	}
	return up, crashed, failed, total
}
