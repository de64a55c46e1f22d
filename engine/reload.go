package engine

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/ovrseer/ovrseer/unit"
)

// A reload (docs/ovrfile.md, reload) replaces the plan of a running stack
// by a new one. The lifecycle goroutine applies it between two notes: it
// builds the next table (table.go), swaps it in, publishes
// lifecycle:reload and acts on the difference, by name:
//
//   - an added process starts as it would have at startup, once its deps
//     are ready: a dependency at once, a main process if autostart; a
//     cleanup process runs at the shutdown;
//   - a removed process is gone from Snapshot at once; it is stopped (its
//     exit is still published) and its unit closed;
//   - a changed process (any option) gets a new core whose unit continues
//     the old one's history (unit.Inherit: its log ring, restart and
//     attempt counts). Its running restart_on_deps dependents are held
//     first, then the old process is stopped; once it is gone the new one
//     starts with process:restart, reason "reload". One that was pending
//     or stopped stays so, under its new declaration;
//   - an unchanged process keeps its core: its pid, counts, flags and ring.
//
// The run-wide settings stay: a change is reported (ReloadDiff.Settings,
// and a lifecycle:error of phase "reload") and takes effect at the next
// run. Gates come from the new plan; the watcher is started again when the
// watch globs changed (watch.go).

// ReloadDiff is what a reload changed: the names lifecycle:reload carries,
// in plan order (removed ones in the old plan's), and the settings() keywords
// whose values differ (not applied).
type ReloadDiff struct {
	Added, Removed, Changed []string
	Settings                []string
}

// ErrNotRunning is returned by Reload outside the phase running (while the
// stack starts or stops).
var ErrNotRunning = errors.New("a reload applies only while the stack runs")

// reloadReq is a reload handed to the lifecycle goroutine.
type reloadReq struct {
	plan     Plan
	settings []string
	reply    chan reloadReply // cap 1
}

type reloadReply struct {
	diff ReloadDiff
	err  error
}

// Reload applies plan in place of the running one and returns what
// changed. It returns an error, and changes nothing, when plan is invalid
// or the stack is not in phase running (ErrNotRunning, ErrOver). The
// plan's Settings are compared, not applied. Reload waits until the
// lifecycle goroutine applied it (not until the processes started).
func (e *Engine) Reload(plan Plan) (ReloadDiff, error) {
	if err := reloadable(phase(e.phase.Load())); err != nil {
		return ReloadDiff{}, err
	}
	kept := e.tab().plan.Settings // the same in every table
	changed := settingsDiff(kept, plan.Settings)
	plan.Settings = kept
	plan = normalize(plan)
	if err := plan.Validate(); err != nil {
		return ReloadDiff{}, fmt.Errorf("engine: reload: %w", err)
	}
	req := &reloadReq{plan: plan, settings: changed, reply: make(chan reloadReply, 1)}
	e.mbox.Post(note{kind: noteReload, reload: req})
	select {
	case rep := <-req.reply:
		return rep.diff, rep.err
	case <-e.runDone: // the run ended before the note was handled
		return ReloadDiff{}, fmt.Errorf("engine: reload: %w", ErrOver)
	}
}

// reloadable says why a reload cannot be applied in phase ph, or nil.
func reloadable(ph phase) error {
	switch {
	case ph.running():
		return nil
	case ph.starting():
		return fmt.Errorf("engine: the stack is still starting: %w", ErrNotRunning)
	case ph == phaseExited:
		return fmt.Errorf("engine: reload: %w", ErrOver)
	}
	return fmt.Errorf("engine: the stack is shutting down: %w", ErrNotRunning)
}

// reload applies req on the lifecycle goroutine.
func (r *run) reload(req *reloadReq) {
	err := reloadable(phase(r.e.phase.Load()))
	if err == nil && r.stopping {
		err = fmt.Errorf("engine: the stack is shutting down: %w", ErrNotRunning)
	}
	if err != nil {
		req.reply <- reloadReply{err: err}
		return
	}
	old := r.e.tab()
	again := map[string]bool{} // changed processes that run again
	next, d, err := r.e.nextTable(old, req.plan, func(p *proc) bool {
		again[p.name] = r.restartsOnReload(p)
		return again[p.name]
	})
	if err != nil {
		req.reply <- reloadReply{err: fmt.Errorf("engine: reload: %w", err)}
		return
	}
	d.Settings = req.settings
	for len(r.views) < len(next.all) {
		r.views = append(r.views, view{})
	}
	r.e.table.Store(next)
	names := ReloadDiff{Added: d.Added, Removed: d.Removed, Changed: d.Changed}
	r.publish(Event{Type: LifecycleReload, Reload: &names})
	if len(d.Settings) > 0 {
		r.publish(Event{Type: LifecycleError, Phase: "reload", Error: fmt.Sprintf(
			"settings changed (%s): they take effect at the next run", strings.Join(d.Settings, ", "))})
	}
	for _, name := range d.Removed {
		r.retire(old.byName[name])
	}
	for _, name := range d.Changed {
		r.replace(old.byName[name], next.byName[name], again[name])
	}
	r.restartWatch()
	r.startUnblocked(Dependencies)
	r.startUnblocked(Main)
	r.startWanted()
	r.checkMainStarted()
	req.reply <- reloadReply{diff: d}
}

// restartsOnReload reports whether p, whose declaration changed, runs
// again under the new one: unless it is pending (never started, or held
// with no dependency restart to wait for) or stopped.
func (r *run) restartsOnReload(p *proc) bool {
	switch p.current() {
	case unit.StatePending:
		return r.holds[p.idx] != nil
	case unit.StateStopped:
		return false
	}
	return true
}

// nextTable builds the table of plan after old: unchanged processes keep
// their cores, added and changed ones get new ones (a changed one
// continuing its predecessor's unit; restarts says whether it runs again).
func (e *Engine) nextTable(old *table, plan Plan, restarts func(*proc) bool) (*table, ReloadDiff, error) {
	var d ReloadDiff
	cores := make([]*core, len(plan.Processes))
	var made []*core
	for i, pr := range plan.Processes {
		prev := old.byName[pr.Name]
		if prev != nil && reflect.DeepEqual(prev.decl, pr) {
			cores[i] = prev.core
			continue
		}
		var inherit *unit.Inherit
		if prev != nil {
			inherit = &unit.Inherit{From: prev.unit}
			if restarts(prev) {
				inherit.Reason = "reload"
			}
			d.Changed = append(d.Changed, pr.Name)
		} else {
			d.Added = append(d.Added, pr.Name)
		}
		c, err := e.newCore(pr, len(old.all)+len(made), plan.Settings, inherit)
		if err != nil {
			for _, m := range made {
				m.unit.Close()
			}
			return nil, ReloadDiff{}, err
		}
		made = append(made, c)
		cores[i] = c
	}
	next := newTable(plan, old, cores)
	for _, p := range old.procs {
		if next.byName[p.name] == nil {
			d.Removed = append(d.Removed, p.name)
		}
	}
	return next, d, nil
}

// settingsDiff returns the settings() keywords whose values differ.
func settingsDiff(a, b Settings) []string {
	var out []string
	add := func(differ bool, name string) {
		if differ {
			out = append(out, name)
		}
	}
	add(a.CrashDir != b.CrashDir, "crash_dir")
	add(a.Timeout != b.Timeout, "timeout")
	add(a.ExitWith != b.ExitWith, "exit_with")
	add(a.CleanupTimeout != b.CleanupTimeout, "cleanup_timeout")
	add(a.LogDir != b.LogDir, "log_dir")
	add(a.LogFormat != b.LogFormat, "log_format")
	add(a.LogMaxSize != b.LogMaxSize, "log_max_size")
	add(a.LogMaxFiles != b.LogMaxFiles, "log_max_files")
	add(a.Reload != b.Reload, "reload")
	return out
}
