// Package watch restarts processes when files they watch change: one
// inotify watcher (fsnotify) for every glob of a run, directories added as
// they appear, a change reported once the tree has been quiet for the
// debounce (at most MaxDelay after its first event), editors' temporaries
// and ovrseer's own outputs ignored (docs/ovrfile.md, watch).
package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Target is one process's globs, relative to Dir.
type Target struct {
	Name  string
	Dir   string
	Globs []string
}

// Options tune a Watcher. OnChange and OnError are called from its
// goroutine, one at a time.
type Options struct {
	Outputs  []string      // absolute paths never watched (crash dir, log dir, events file)
	Debounce time.Duration // quiet time before a change is reported; 0: 300 ms
	MaxDelay time.Duration // a change is reported at most this long after its first event; 0: 2 s
	OnChange func(name, file string)
	OnError  func(name string, err error)
}

// Watcher is the run's one watcher.
type Watcher struct {
	fsw     *fsnotify.Watcher
	targets []Target
	opts    Options
	dirs    map[string]bool // watched directories: true when their tree is
	pending map[int]*change
	done    chan struct{}
	wg      sync.WaitGroup
}

// change is a target's changes not reported yet.
type change struct {
	file        string // the first changed file, relative to the target's Dir
	first, last time.Time
}

// New starts watching. A directory that cannot be watched is reported
// through OnError (running out of inotify watches names the sysctl); the
// rest is watched anyway.
func New(targets []Target, opts Options) (*Watcher, error) {
	if opts.Debounce <= 0 {
		opts.Debounce = 300 * time.Millisecond
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = 2 * time.Second
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, limitHint(fmt.Errorf("watch: %w", err))
	}
	w := &Watcher{fsw: fsw, targets: targets, opts: opts, dirs: map[string]bool{},
		pending: map[int]*change{}, done: make(chan struct{})}
	for _, t := range targets {
		for _, g := range t.Globs {
			dir, deep := root(t.Dir, g)
			w.add(t.Name, dir, deep, false)
		}
	}
	w.wg.Add(1)
	go w.loop()
	return w, nil
}

// Close stops watching and waits for the goroutine.
func (w *Watcher) Close() {
	close(w.done)
	w.fsw.Close()
	w.wg.Wait()
}

// limitHint names the sysctl to raise when inotify ran out of watches
// (ENOSPC) or instances (EMFILE).
func limitHint(err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("%w: out of inotify watches, raise fs.inotify.max_user_watches (sysctl); the process runs unwatched", err)
	case errors.Is(err, syscall.EMFILE):
		return fmt.Errorf("%w: out of inotify instances, raise fs.inotify.max_user_instances (sysctl); the process runs unwatched", err)
	}
	return err
}

// add watches dir (and its tree when deep). With scan, every file found
// counts as a change (a directory that just appeared may already hold
// files that were created before its watch).
func (w *Watcher) add(name, dir string, deep, scan bool) {
	if ignoredPath(dir, w.opts.Outputs) {
		return
	}
	if had, ok := w.dirs[dir]; !ok || (deep && !had) {
		if err := w.fsw.Add(dir); err != nil {
			if !errors.Is(err, fs.ErrNotExist) && w.opts.OnError != nil {
				w.opts.OnError(name, limitHint(fmt.Errorf("watch %s: %w", dir, err)))
			}
			return
		}
		w.dirs[dir] = deep
	}
	if !deep && !scan {
		return
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		switch {
		case e.IsDir() && deep:
			w.add(name, p, true, scan)
		case scan:
			w.changed(p, time.Now())
		}
	}
}
