package starlib

import (
	"context"
	"io"

	"github.com/ovrseer/ovrseer/engine"
)

// Options configure loading.
type Options struct {
	Mode        string              // "dev" or "ci" (ovr.mode); "" means "dev"
	Getenv      func(string) string // os.getenv; nil means os.Getenv (the environment is read, never written)
	OvrseerPath string              // OVRSEER_PATH ("name=dir:name2=dir2"); relative dirs against the current directory
}

// Ovrfile is a loaded, validated Ovrfile.
type Ovrfile struct {
	Plan  engine.Plan // gate hooks are already in Plan.Gates; they act once Attach was called
	Hooks []HookInfo  // every registered hook, in registration order
	Files []string    // every file loaded, top-level first
	Root  string      // ovr.root
}

// HookInfo describes one registered hook.
type HookInfo struct {
	Event   engine.Type
	Name    string
	Process string
	Flag    string
}

// Load executes the Ovrfile at path and converts what it declared into a
// plan. Every problem is returned at once as an Errors value, sorted by
// position, each naming file:line:col.
func Load(path string, opts Options) (*Ovrfile, error) { panic("unimplemented") }

// Errors are the problems of one load, sorted by position.
type Errors []Error

// Error is one problem at a position.
type Error struct {
	File      string
	Line, Col int
	Builtin   string // e.g. "process", "ready.log"; "" for syntax and runtime errors
	Msg       string
	Backtrace string // for a runtime error, the Starlark backtrace
}

func (e Error) Error() string  { panic("unimplemented") }
func (e Errors) Error() string { panic("unimplemented") }

// WritePlan prints the plan for `ovrseer check`: processes per group with
// command, readiness, flags and deps; hooks; files loaded.
func (o *Ovrfile) WritePlan(w io.Writer) error { panic("unimplemented") }

// WritePlanJSON prints the plan as the JSON of SPEC §1 (`check --json`).
func (o *Ovrfile) WritePlanJSON(w io.Writer) error { panic("unimplemented") }

// Runner runs the Ovrfile's hooks against a running engine.
type Runner struct{}

// Attach binds the hooks to e: gates act through e, and ordinary hooks are
// fed from a subscription to e and run one at a time in one queue. Call it
// after engine.New and before e.Run.
func (o *Ovrfile) Attach(e *engine.Engine) *Runner { panic("unimplemented") }

// Wait runs what was queued before lifecycle:exit (each hook bounded by its
// timeout) and returns when the queue is empty or ctx ends.
func (r *Runner) Wait(ctx context.Context) { panic("unimplemented") }
