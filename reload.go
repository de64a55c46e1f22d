package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/internal/watch"
	"github.com/ovrseer/ovrseer/logger"
	"github.com/ovrseer/ovrseer/starlib"
)

// reloader reloads the Ovrfile of a running stack (docs/ovrfile.md,
// reload): now on SIGUSR1 and POST /v1/reload (`ovrseer reload`), and,
// with settings(reload = True), when the Ovrfile or a file it loaded
// changes. It loads as the first load did (the load child first when
// enabled), applies the command line's selection and overrides, stages
// the new hooks and hands the plan to the engine. Every error is reported
// as lifecycle:error of phase "reload" and changes nothing. One reload
// runs at a time.
type reloader struct {
	cfg    config // with file set to the Ovrfile's absolute path
	e      *engine.Engine
	runner *starlib.Runner

	mu      sync.Mutex // one reload at a time; guards the fields below
	ovr     *starlib.Ovrfile
	watcher *watch.Watcher // settings(reload = True): the loaded files
	watched []string       // ... which are these
	stagers []func(engine.Plan) (unstage func())
	stopped bool

	kick chan struct{} // cap 1: a reload asked for by a signal or a file change
	quit chan struct{}
	done chan struct{}
}

func newReloader(cfg config, ovr *starlib.Ovrfile, e *engine.Engine, runner *starlib.Runner) *reloader {
	cfg.file = ovr.Files[0]
	return &reloader{cfg: cfg, e: e, runner: runner, ovr: ovr,
		kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
}

// follow registers stage, called with each plan before the engine applies
// it (a consumer of the process set that must know it when the reload's
// events come: the log files); unstage, if not nil, undoes it when the
// reload was not applied. stage runs under the reload's lock.
func (rl *reloader) follow(stage func(engine.Plan) (unstage func())) {
	rl.mu.Lock()
	rl.stagers = append(rl.stagers, stage)
	rl.mu.Unlock()
}

// start begins serving the asynchronous triggers: a signal or a file
// change during the startup waits until the stack runs, then reloads.
func (rl *reloader) start() {
	if rl.ovr.Plan.Settings.Reload {
		rl.mu.Lock()
		rl.watchLocked(rl.ovr.Files)
		rl.mu.Unlock()
	}
	go func() {
		defer close(rl.done)
		for {
			select {
			case <-rl.kick:
			case <-rl.quit:
				return
			}
			select {
			case <-rl.e.Running():
			case <-rl.e.Done():
				return
			case <-rl.quit:
				return
			}
			rl.reload()
		}
	}()
}

// ask asks for a reload without waiting for it (SIGUSR1, a file change).
func (rl *reloader) ask() {
	select {
	case rl.kick <- struct{}{}:
	default: // one is already asked for: it will load the file as it is then
	}
}

// stop ends the triggers and the watcher.
func (rl *reloader) stop() {
	close(rl.quit)
	<-rl.done
	rl.mu.Lock()
	defer rl.mu.Unlock()
	rl.stopped = true
	if rl.watcher != nil {
		rl.watcher.Close()
		rl.watcher = nil
	}
}

// current is the Ovrfile last applied (GET /v1/plan shows it).
func (rl *reloader) current() *starlib.Ovrfile {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	return rl.ovr
}

// reload loads the Ovrfile and applies it; it returns the errors (nil when
// applied), each also published as lifecycle:error of phase "reload".
func (rl *reloader) reload() []string {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if rl.stopped {
		return []string{"the run is over"}
	}
	ovr, plan, errs := rl.load()
	if rl.watcher != nil {
		rl.rewatchLocked(ovr, errs) // before anything is said: an edit right after it is seen
	}
	if errs == nil {
		errs = rl.apply(ovr, plan)
	}
	if errs != nil {
		for _, msg := range errs {
			rl.e.ReportError("reload", "", errors.New(msg))
		}
		return errs
	}
	rl.ovr = ovr
	return nil
}

// apply stages what follows the process set, then hands plan to the
// engine; when it is not applied, the staging is undone.
func (rl *reloader) apply(ovr *starlib.Ovrfile, plan engine.Plan) []string {
	undo := []func(){rl.runner.Stage(ovr)}
	for _, stage := range rl.stagers {
		if unstage := stage(plan); unstage != nil {
			undo = append(undo, unstage)
		}
	}
	if _, err := rl.e.Reload(plan); err != nil {
		for _, f := range undo {
			f()
		}
		return []string{strings.TrimPrefix(err.Error(), "engine: ")}
	}
	return nil
}

// load loads the Ovrfile as the first load did and applies the command
// line to its plan; on failure it returns the problems, one per entry
// (each with file:line, a runtime error with its backtrace).
func (rl *reloader) load() (*starlib.Ovrfile, engine.Plan, []string) {
	var out bytes.Buffer
	print := func(msg string) { rl.e.HookLine("reload", logger.Stdout, msg) } // not on the terminal the UI holds
	ovr, _ := loadWith(rl.cfg, &out, print)
	if ovr == nil {
		return nil, engine.Plan{}, problems(out.String())
	}
	plan := ovr.Plan
	err := selectProcesses(&plan, rl.cfg.names, rl.cfg.noDeps)
	if err == nil {
		err = applyOverrides(&plan.Settings, rl.cfg)
	}
	if err != nil {
		return nil, engine.Plan{}, []string{err.Error()}
	}
	return ovr, plan, nil
}

// problems splits what load printed into one message per problem: a line
// indented by two spaces (a backtrace) belongs to the one before.
func problems(text string) []string {
	var out []string
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		switch {
		case line == "":
		case strings.HasPrefix(line, "  ") && len(out) > 0:
			out[len(out)-1] += "\n" + line
		default:
			out = append(out, strings.TrimPrefix(line, "ovrseer: "))
		}
	}
	if len(out) == 0 {
		out = []string{"the Ovrfile could not be loaded"}
	}
	return out
}

// rewatchLocked watches the files ovr loaded or, when the load failed,
// also the files its problems name (a file a broken load() brought in:
// fixing it reloads). rl.mu is held.
func (rl *reloader) rewatchLocked(ovr *starlib.Ovrfile, problems []string) {
	files := withProblemFiles(rl.watched, problems)
	if ovr != nil {
		files = ovr.Files
	}
	if !slices.Equal(files, rl.watched) {
		rl.watchLocked(files)
	}
}

// problemFile is the file:line:col: a problem starts with.
var problemFile = regexp.MustCompile(`^([^:\n]+):[0-9]+:[0-9]+: `)

// withProblemFiles returns files and, after them, the existing files the
// problems name that are not among them.
func withProblemFiles(files, problems []string) []string {
	out := slices.Clone(files)
	for _, p := range problems {
		m := problemFile.FindStringSubmatch(p)
		if m == nil {
			continue
		}
		abs, err := filepath.Abs(m[1]) // shown relative to the current directory
		if err != nil || slices.Contains(out, abs) {
			continue
		}
		if info, err := os.Stat(abs); err == nil && info.Mode().IsRegular() {
			out = append(out, abs)
		}
	}
	return out
}

// watchLocked (re)starts the watcher of the loaded files. rl.mu is held.
func (rl *reloader) watchLocked(files []string) {
	if rl.watcher != nil {
		rl.watcher.Close()
		rl.watcher = nil
	}
	rl.watched = files
	t := watch.Target{Name: "ovrfile", Dir: string(filepath.Separator)}
	for _, f := range files {
		t.Globs = append(t.Globs, globQuote(strings.TrimPrefix(filepath.ToSlash(f), "/")))
	}
	w, err := watch.New([]watch.Target{t}, watch.Options{
		OnChange: func(string, string) { rl.ask() },
		OnError:  func(_ string, err error) { rl.e.ReportError("reload", "", err) },
	})
	if err != nil {
		rl.e.ReportError("reload", "", fmt.Errorf("settings(reload = True): %w", err))
		return
	}
	rl.watcher = w
}

// globQuote escapes the glob characters of a path.
func globQuote(p string) string {
	var b strings.Builder
	for _, r := range p {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
