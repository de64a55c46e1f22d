package engine

import (
	"fmt"
	"path/filepath"
	"reflect"

	"github.com/ovrseer/ovrseer/internal/watch"
	"github.com/ovrseer/ovrseer/unit"
)

// watchTargets are the watch globs of the current plan.
func (r *run) watchTargets() []watch.Target {
	var targets []watch.Target
	for _, pr := range r.e.tab().plan.Processes {
		if len(pr.Watch) > 0 {
			targets = append(targets, watch.Target{Name: pr.Name, Dir: pr.Spec.Dir, Globs: pr.Watch})
		}
	}
	return targets
}

// restartWatch starts the watcher again when a reload changed the globs
// (a change seen but not yet acted on is lost with the old one).
func (r *run) restartWatch() {
	if targets := r.watchTargets(); !reflect.DeepEqual(targets, r.watched) {
		r.unwatch()
		r.unwatch = r.startWatch(targets)
	}
}

// startWatch starts the run's one watcher for targets (docs/ovrfile.md,
// watch) and returns what stops it.
func (r *run) startWatch(targets []watch.Target) (stop func()) {
	r.watched = targets
	if len(targets) == 0 {
		return func() {}
	}
	outputs := append([]string(nil), r.e.outputs...)
	for _, d := range []string{r.e.tab().plan.Settings.CrashDir, r.e.tab().plan.Settings.LogDir} {
		if d != "" {
			outputs = append(outputs, d)
		}
	}
	for i, o := range outputs {
		if abs, err := filepath.Abs(o); err == nil {
			outputs[i] = abs
		}
	}
	w, err := watch.New(targets, watch.Options{Outputs: outputs, OnChange: r.e.watchChanged,
		OnError: func(name string, err error) { r.e.ReportError(r.e.Phase(), name, err) }})
	if err != nil {
		r.e.ReportError(r.e.Phase(), "", err)
		return func() {}
	}
	return w.Close
}

// watchChanged restarts a watched process whose file changed: only while
// running, and never one the user stopped (or one not started yet).
func (e *Engine) watchChanged(name, file string) {
	if !phase(e.phase.Load()).running() {
		return
	}
	p := e.tab().byName[name]
	if p == nil {
		return
	}
	switch p.current() {
	case unit.StateStopped, unit.StatePending, unit.StateStopping:
		return
	}
	e.RestartFor(name, fmt.Sprintf("watch: %s changed", file))
}
