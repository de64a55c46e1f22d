// Package starlib loads an Ovrfile.star with go.starlark.net, turns what it
// declares into an engine.Plan, and runs its hooks with a ctx that acts on the
// engine (docs/ovrfile.md).
//
// Loading (Load) is single-threaded and has no side effects: the builtins
// (dependency, process, cleanup, ready.*, flag, on, settings, os.getenv,
// ovr.*, struct, json) only record declarations, with the position of each
// call; the plan is converted and validated after execution, and every
// problem is returned at once as Errors, sorted by position. Each file runs
// on its own thread under a step limit; one wall-clock timer cancels them
// all. An Ovrfile is immutable once loaded, and its hook functions are
// frozen, so hooks may run on any goroutine.
//
// Attach binds the hooks to an engine. Gate hooks (dependencies-ready,
// main-stopped, cleanup-complete) are in Plan.Gates and run wherever the
// engine calls them. Every other hook goes through one queue: the Runner owns
// one goroutine, which takes events from an engine subscription and runs the
// matching hooks one at a time, in event order; the engine never waits for
// it. Each hook invocation gets a fresh Starlark thread, a step limit and its
// timeout; ctx.sh commands run in their own session and their process group
// is killed when they end, time out or the hook is cancelled. Runner.Wait
// may be called from any goroutine.
package starlib
