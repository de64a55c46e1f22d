package engine

import (
	"context"
	"time"

	"github.com/ovrseer/ovrseer/unit"
)

// Group is one of the three process groups.
type Group string

const (
	Dependencies Group = "dependencies"
	Main         Group = "main"
	Cleanup      Group = "cleanup"

	// Hooks is the group of the pseudo-processes "hook:NAME" (HookLine).
	Hooks Group = "hooks"
)

// Plan is everything a run needs, as plain data. Processes keep declaration
// order; cleanup processes run in that order.
type Plan struct {
	Processes []Process
	Settings  Settings
	Gates     Gates
}

// Process is one declared process. Spec.Name and Spec.Group must match Name
// and Group (New fills Spec.Name/Spec.Group when empty).
type Process struct {
	Name  string
	Group Group
	Spec  unit.Spec
	Deps  []string // names in the same group that must be ready first
	// After holds the deps whose condition is not "ready" (after.go).
	After map[string]DepCond
	// ReplicaOf is the declared name of a copy NAME-i (replicas): Start,
	// Stop, Restart and ctx.stop of that name act on every copy (replicas.go).
	ReplicaOf string
	Autostart bool   // main only: false means started only on request
	LogFile   string // absolute path its lines are appended to; "" for none (docs/ovrfile.md, log files)

	// RestartOnDeps: stopped when a process in Deps restarts, started
	// again once it is ready (docs/ovrfile.md, restart_on_deps).
	RestartOnDeps bool
	// Watch are globs relative to Spec.Dir ("**" any depth): a change
	// restarts the process (docs/ovrfile.md, watch).
	Watch []string
}

// Settings are the run-wide settings (docs/ovrfile.md).
type Settings struct {
	CrashDir       string        // "" means no reports are written
	Timeout        time.Duration // whole run; 0 means none; expiry exits 124
	ExitWith       string        // process whose first exit ends the run with its code
	CleanupTimeout time.Duration // 0 means 60 s

	// Log files (docs/ovrfile.md): ovrseer.log goes to LogDir ("" for
	// none); each process's file is its Process.LogFile.
	LogDir      string
	LogFormat   string // "text" or "json"
	LogMaxSize  int    // MiB before a file is rotated
	LogMaxFiles int    // rotated files kept

	// Reload: reload the Ovrfile when it or a file it loaded changes
	// (docs/ovrfile.md, reload). The caller watches the files; the engine
	// only applies what Reload is given.
	Reload bool
}

// Gate is a hook that must finish before the lifecycle goes on. A gate that
// returns an error on DependenciesReady aborts startup (the remaining gates
// of that point are skipped); on the other points the error is reported and
// the shutdown goes on. The engine publishes each gate error as
// lifecycle:error (process "hook:NAME", phase the gate point, e.g.
// "dependencies-ready"), so Run need not report it. Run's ctx is cancelled
// when the shutdown begins while a DependenciesReady gate runs (what the
// cancelled gate returns is not reported; the lifecycle waits for it to
// return) and when the shutdown is forced (the lifecycle waits no more). A
// gate runs on its own goroutine and may call the Engine's control API
// (Start, WaitReady, RunOnce, ...).
type Gate struct {
	Name string
	Run  func(ctx context.Context, ev Event) error
}

// Gates are run in order at their lifecycle points.
type Gates struct {
	DependenciesReady []Gate
	MainStopped       []Gate
	CleanupComplete   []Gate
}
