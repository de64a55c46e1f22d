package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/internal/loadguard"
	"github.com/ovrseer/ovrseer/internal/watchdog"
	"github.com/ovrseer/ovrseer/starlib"
	"github.com/ovrseer/ovrseer/tui"
)

// Bounds on the waits after the engine returned.
const (
	hookDrainTimeout   = time.Minute     // queued hooks, each also bounded by its own timeout
	outputDrainTimeout = 5 * time.Second // the printer and the events file
)

// runStack runs the Ovrfile (the main job) and returns the exit code.
func runStack(cfg config, stdout, stderr io.Writer) int {
	reloads := catchReload() // kept until the process is gone, like the others
	ovr, code := load(cfg, stderr)
	if ovr == nil {
		return code
	}
	ctl, code := lockRun(ovr, stderr)
	if ctl == nil {
		return code
	}
	defer ctl.close()
	printWarnings(stderr, ovr)
	plan := ovr.Plan
	if err := selectProcesses(&plan, cfg.names, cfg.noDeps); err != nil {
		fmt.Fprintf(stderr, "ovrseer: %v\n", err)
		return exitUsage
	}
	if err := applyOverrides(&plan.Settings, cfg); err != nil {
		fmt.Fprintf(stderr, "ovrseer: %v\n", err)
		return exitUsage
	}
	if cfg.ui == uiTUI {
		if err := terminalOK(); err != nil {
			fmt.Fprintf(stderr, "ovrseer: --tui: %v\n", err)
			return exitUsage
		}
	}
	// From here until the process is gone ovrseer's signals are caught: a
	// late one never kills it (before, Ctrl-C simply ends a load).
	sigs := reloads.catchAll()
	e, err := engine.New(plan, engine.Options{Info: engine.RunInfo{
		Version: versionNumber(), Ovrfile: ovr.Files[0], Mode: cfg.mode(), Root: ovr.Root}, Outputs: absPaths(cfg.events)})
	if err != nil {
		fmt.Fprintf(stderr, "ovrseer: %v\n", err)
		return exitUsage
	}
	watchdog.OnLost(func(err error) { e.ReportError(e.Phase(), "", err) })
	var events *eventsFile
	if cfg.events != "" {
		if events, err = openEvents(cfg.events); err != nil {
			fmt.Fprintf(stderr, "ovrseer: %v\n", err)
			return exitUsage
		}
	}
	logs := newLogFiles(plan)
	if logs != nil {
		if err := logs.check(); err != nil {
			fmt.Fprintf(stderr, "ovrseer: %v\n", err)
			return exitUsage
		}
	}
	runner := ovr.Attach(e)
	rl := newReloader(cfg, ovr, e, runner)

	// Every subscriber is in place before Run, so none misses an event.
	var ui *uiRun
	outputs := &outputs{}
	if chooseUI(cfg, isTerminal(os.Stdin), isTerminal(stdout)) == uiTUI {
		ui = startUI(e)
	} else {
		p := newPrinter(e, plan, cfg, stdout, onStdoutError(e, stderr, &outputs.failed))
		outputs.start(p.Run, e.Subscribe(engine.SubscribeOptions{Record: true}))
	}
	if events != nil {
		outputs.start(events.Run, events.attach(e, stderr))
	}
	if logs != nil {
		outputs.start(logs.Run, logs.attach(e, stderr))
	}
	rl.follow(func(next engine.Plan) func() { // a reload may bring the first log file
		if logs == nil && len(filesOf(next)) > 0 {
			logs = logFilesFor(plan.Settings, nil) // the files come with the reload's event
			outputs.start(logs.Run, logs.attach(e, stderr))
		}
		if logs == nil {
			return nil
		}
		return logs.stage(next)
	})
	ctl.serve(cfg, rl, e, stderr)
	signals := sigs.forward(e, rl.ask)
	defer signals.stop() // until the end: a second request forces the waits below
	rl.start()
	code = e.Run(context.Background())
	rl.stop()

	hookCtx, cancel := context.WithTimeout(signals.forced, hookDrainTimeout)
	runner.Wait(hookCtx)
	cancel()
	if ui != nil {
		ui.finish(stderr)
		p := newPrinter(e, plan, cfg, stdout, nil)
		p.SetExitCode(code)
		p.Summary()
	}
	if !outputs.wait(outputDrainTimeout) {
		fmt.Fprintln(stderr, "ovrseer: output did not drain in time")
	}
	if events != nil {
		if err := events.Close(); err != nil {
			fmt.Fprintf(stderr, "ovrseer: %v\n", err)
		}
		outputs.failed.Store(outputs.failed.Load() || events.Failed())
	}
	if logs != nil {
		outputs.failed.Store(outputs.failed.Load() || logs.Failed())
	}
	if outputs.failed.Load() && code == 0 {
		code = 1 // a record failed after the engine chose the code
	}
	return code
}

// load finds and loads the Ovrfile; on failure it prints why and returns
// nil and the exit code.
func load(cfg config, stderr io.Writer) (*starlib.Ovrfile, int) { return loadWith(cfg, stderr, nil) }

// loadWith is load with print() at load time going to print (nil: stderr).
func loadWith(cfg config, stderr io.Writer, print func(string)) (*starlib.Ovrfile, int) {
	path, err := findOvrfile(cfg.file)
	if err != nil {
		fmt.Fprintf(stderr, "ovrseer: %v\n", err)
		return nil, exitUsage
	}
	if loadguard.Enabled() { // memory-bounded in a child first (loadchild.go)
		if code := loadInChild(path, stderr); code != exitOK {
			return nil, code
		}
	}
	ovr, err := starlib.Load(path, starlib.Options{Mode: cfg.mode(), OvrseerPath: os.Getenv("OVRSEER_PATH"), LoadTimeout: loadTimeout, Print: print})
	if err != nil {
		printLoadError(stderr, err)
		return nil, exitUsage
	}
	return ovr, exitOK
}

// printLoadError prints every problem of a load, one per line, each
// runtime error followed by its Starlark backtrace.
func printLoadError(w io.Writer, err error) {
	var errs starlib.Errors
	if !errors.As(err, &errs) {
		fmt.Fprintf(w, "ovrseer: %v\n", err)
		return
	}
	for _, e := range errs {
		fmt.Fprintln(w, e.Error())
		if e.Backtrace != "" {
			fmt.Fprintln(w, "  "+strings.ReplaceAll(strings.TrimRight(e.Backtrace, "\n"), "\n", "\n  "))
		}
	}
}

// findOvrfile resolves -f (default Ovrfile.star in the current directory)
// and explains where it looked when there is nothing there.
func findOvrfile(file string) (string, error) {
	explicit := file != ""
	if !explicit {
		file = "Ovrfile.star"
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", fmt.Errorf("ovrfile: %w", err)
	}
	info, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		return "", fmt.Errorf("no Ovrfile.star in %s (looked for %s); write one, or try the example: ovrseer -f examples/Ovrfile.star",
			filepath.Dir(abs), abs)
	case errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("no Ovrfile at %s (from -f %s); try the example: ovrseer -f examples/Ovrfile.star", abs, file)
	case err != nil:
		return "", fmt.Errorf("ovrfile: %w", err)
	case info.IsDir():
		return "", fmt.Errorf("%s is a directory; -f takes the path of an Ovrfile.star", abs)
	}
	return abs, nil
}

// applyOverrides lets the command line win over settings(). A relative
// --crash-dir resolves against the current directory.
func applyOverrides(s *engine.Settings, cfg config) error {
	if cfg.crashDir != "" {
		dir, err := filepath.Abs(cfg.crashDir)
		if err != nil {
			return fmt.Errorf("--crash-dir: %w", err)
		}
		s.CrashDir = dir
	}
	if cfg.timeout > 0 {
		s.Timeout = cfg.timeout
	}
	return nil
}

// outputs are the subscribers draining the engine's events.
type outputs struct {
	done   []<-chan struct{}
	failed atomic.Bool // a record's destination failed
}

// onStdoutError handles the headless printer's first write error: a closed
// pipe or a hung-up terminal starts the shutdown; any other failure (a
// full disk) is a failed record: the printer writes no more, the user is
// told on stderr and the run fails (docs/events.md).
func onStdoutError(e *engine.Engine, stderr io.Writer, failed *atomic.Bool) func(error) {
	return func(err error) {
		if errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.EIO) {
			outputLost(e, err) // a dead output: never a second request
			return
		}
		failed.Store(true)
		fmt.Fprintf(stderr, "ovrseer: stdout: %v; no longer written\n", err)
		e.RecordFailed("stdout", err)
	}
}

// newPrinter returns the headless printer of docs/cli.md, "Output", for this run; onErr
// gets its first write error.
func newPrinter(e *engine.Engine, plan engine.Plan, cfg config, stdout io.Writer, onErr func(error)) *tui.Headless {
	names := make([]string, len(plan.Processes))
	for i, p := range plan.Processes {
		names[i] = p.Name
	}
	return tui.NewHeadless(stdout, tui.HeadlessOptions{
		Names:        names,
		Color:        useColor(cfg.color, stdout),
		Raw:          cfg.raw,
		Snapshot:     e.Snapshot,
		ExitWith:     plan.Settings.ExitWith,
		OnWriteError: onErr,
	})
}

// start drains sub with drain on a goroutine of its own.
func (o *outputs) start(drain func(tui.Source), sub *engine.Subscription) {
	done := make(chan struct{})
	o.done = append(o.done, done)
	go func() {
		defer close(done)
		drain(sub)
	}()
}

// wait reports whether every output finished within d.
func (o *outputs) wait(d time.Duration) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for _, done := range o.done {
		select {
		case <-done:
		case <-deadline.C:
			return false
		}
	}
	return true
}

// chooseUI decides between the terminal UI and headless output: --tui and
// --no-tui win; otherwise the UI when stdin and stdout are terminals and the
// mode is not ci.
func chooseUI(cfg config, stdinTTY, stdoutTTY bool) uiMode {
	switch {
	case cfg.ui != uiAuto:
		return cfg.ui
	case stdinTTY && stdoutTTY && !cfg.ci:
		return uiTUI
	}
	return uiHeadless
}

// useColor decides --color: always wins over NO_COLOR; auto colours only a
// terminal and only when NO_COLOR is unset or empty.
func useColor(mode colorMode, stdout io.Writer) bool {
	switch mode {
	case colorAlways:
		return true
	case colorNever:
		return false
	}
	return os.Getenv("NO_COLOR") == "" && isTerminal(stdout)
}

func isTerminal(v any) bool {
	f, ok := v.(interface{ Fd() uintptr })
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// absPaths returns the non-empty paths made absolute.
func absPaths(paths ...string) []string {
	var out []string
	for _, p := range paths {
		if p == "" {
			continue
		}
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		out = append(out, p)
	}
	return out
}
