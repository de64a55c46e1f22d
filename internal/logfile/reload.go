package logfile

import (
	"maps"
	"slices"
)

// Stage readies the process files of a reloaded plan (docs/ovrfile.md,
// reload): they replace Options.Files at the next lifecycle:reload event
// the Writer is fed, so the lines of a process added by that reload go to
// its file. A process whose file did not change keeps its open file; one
// removed keeps it until the run ends (its last lines). Stage may be called
// from any goroutine; unstage (when the reload was not applied) drops them.
func (w *Writer) Stage(files map[string]string) (unstage func()) {
	set := &fileSet{files: maps.Clone(files)}
	w.mu.Lock()
	w.staged = append(w.staged, set)
	w.mu.Unlock()
	return func() {
		w.mu.Lock()
		w.staged = slices.DeleteFunc(w.staged, func(s *fileSet) bool { return s == set })
		w.mu.Unlock()
	}
}

// fileSet is the process files of one reload.
type fileSet struct{ files map[string]string }

// reloaded applies the oldest staged file set: it runs on the goroutine
// that feeds the Writer, at a lifecycle:reload event.
func (w *Writer) reloaded() {
	w.mu.Lock()
	if len(w.staged) == 0 {
		w.mu.Unlock()
		return
	}
	set := w.staged[0]
	w.staged = w.staged[1:]
	w.mu.Unlock()
	byPath := make(map[string]*file, len(w.all))
	for _, f := range w.all {
		byPath[f.path] = f
	}
	for _, name := range sortedKeys(set.files) {
		path := set.files[name]
		f := byPath[path]
		if f == nil {
			f = newFile(path, w.opts.MaxSize, w.opts.MaxFiles, w.opts.OnError)
			byPath[path] = f
			w.all = append(w.all, f)
			if w.opened {
				w.openFile(f)
			}
		}
		w.files[name] = f
	}
	w.lastName, w.lastFile = "", nil
}
