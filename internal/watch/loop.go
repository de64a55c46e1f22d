package watch

import (
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/ovrseer/ovrseer/internal/glob"
)

func (w *Watcher) loop() {
	defer w.wg.Done()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-w.done:
			timer.Stop()
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.event(ev)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if w.opts.OnError != nil {
				w.opts.OnError("", limitHint(err))
			}
		case <-timer.C:
			w.fire(time.Now())
		}
		if next, ok := w.next(); ok {
			timer.Reset(max(time.Until(next), 0))
		}
	}
}

// event handles one inotify event: a new directory under a deep root is
// watched (and scanned), any other path is a change for the targets whose
// globs match it.
func (w *Watcher) event(ev fsnotify.Event) {
	if ignoredPath(ev.Name, w.opts.Outputs) {
		return
	}
	now := time.Now()
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() && w.dirs[filepath.Dir(ev.Name)] {
			w.add("", ev.Name, true, true)
		}
	}
	if ev.Op == fsnotify.Chmod && !touched(ev.Name, now) {
		return // attributes only: chmod, chown
	}
	w.changed(ev.Name, now)
}

// touchWindow is how close to the event a file's modification time must
// be for an attribute change to count as a change (touched).
const touchWindow = 2 * time.Second

// touched says whether an attribute change of p set its modification
// time to now, as `touch` does: that is a change, unlike a chmod.
func touched(p string, now time.Time) bool {
	fi, err := os.Lstat(p)
	if err != nil || fi.IsDir() {
		return false
	}
	d := now.Sub(fi.ModTime())
	return d < touchWindow && d > -touchWindow
}

// changed records a change of the absolute path p for every target that
// watches it.
func (w *Watcher) changed(p string, now time.Time) {
	for i, t := range w.targets {
		rel, err := filepath.Rel(t.Dir, p)
		if err != nil || rel == ".." || len(rel) > 2 && rel[:3] == "../" {
			continue
		}
		rel = filepath.ToSlash(rel)
		for _, g := range t.Globs {
			if !glob.Match(g, rel) {
				continue
			}
			c := w.pending[i]
			if c == nil {
				c = &change{file: rel, first: now}
				w.pending[i] = c
			}
			c.last = now
			break
		}
	}
}

// due is when c is reported: quiet for the debounce, or MaxDelay after
// its first event.
func (w *Watcher) due(c *change) time.Time {
	d := c.last.Add(w.opts.Debounce)
	if limit := c.first.Add(w.opts.MaxDelay); limit.Before(d) {
		return limit
	}
	return d
}

func (w *Watcher) next() (time.Time, bool) {
	var next time.Time
	for _, c := range w.pending {
		if d := w.due(c); next.IsZero() || d.Before(next) {
			next = d
		}
	}
	return next, !next.IsZero()
}

// fire reports every change that is due.
func (w *Watcher) fire(now time.Time) {
	for i, c := range w.pending {
		if w.due(c).After(now) {
			continue
		}
		delete(w.pending, i)
		if w.opts.OnChange != nil {
			w.opts.OnChange(w.targets[i].Name, c.file)
		}
	}
}
