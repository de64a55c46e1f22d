package engine

import (
	"context"
	"syscall"

	"github.com/ovrseer/ovrseer/crashrep"
	"github.com/ovrseer/ovrseer/logger"
	"github.com/ovrseer/ovrseer/unit"
)

// Options configure an Engine beyond its Plan.
type Options struct {
	// Sink receives crash reports; nil means crashrep.Dir{Path:
	// Plan.Settings.CrashDir} (or none when that is empty).
	Sink crashrep.Sink
}

// Engine runs a Plan through the lifecycle of SPEC §3.
type Engine struct{}

// New validates the plan and prepares (but does not start) its processes.
func New(plan Plan, opts Options) (*Engine, error) { panic("unimplemented") }

// Run runs the whole lifecycle and returns the exit code of SPEC §3 step 7.
// Cancelling ctx starts the orderly shutdown (like Quit). Run returns after
// lifecycle:exit was published and every process group is gone.
func (e *Engine) Run(ctx context.Context) int { panic("unimplemented") }

// Subscribe returns a subscription that sees every event published from now
// on. Subscribe before Run to see them all.
func (e *Engine) Subscribe(opts SubscribeOptions) *Subscription { panic("unimplemented") }

// Quit requests the orderly shutdown (exit 0 unless something failed); a
// second request forces it (exit 130).
func (e *Engine) Quit() { panic("unimplemented") }

// Signal requests the orderly shutdown because ovrseer got sig (exit 128+n);
// a second request forces it. SIGPIPE stands for a closed stdout.
func (e *Engine) Signal(sig syscall.Signal) { panic("unimplemented") }

// Exit requests the orderly shutdown with an explicit exit code (ctx.exit).
func (e *Engine) Exit(code int, reason string) { panic("unimplemented") }

// Start starts a declared process.
func (e *Engine) Start(name string) error { panic("unimplemented") }

// Stop stops a process and waits (bounded by its stop timeout) until its
// group is gone.
func (e *Engine) Stop(name string) error { panic("unimplemented") }

// Restart restarts a process, resetting its restart count.
func (e *Engine) Restart(name string) error { panic("unimplemented") }

// RestartAll restarts every running process.
func (e *Engine) RestartAll() { panic("unimplemented") }

// Send writes a line to a process's stdin.
func (e *Engine) Send(name, line string) error { panic("unimplemented") }

// RunOnce starts a process (or joins its current run) and waits for its first
// exit; no restart policy applies to that run.
func (e *Engine) RunOnce(ctx context.Context, name string) (exitCode int, err error) {
	panic("unimplemented")
}

// WaitReady blocks until the process is ready, ctx ends, or it fails.
func (e *Engine) WaitReady(ctx context.Context, name string) error { panic("unimplemented") }

// ProcessStatus is a snapshot of one process.
type ProcessStatus struct {
	Name   string
	Group  Group
	Status unit.Status
}

// Snapshot returns every process in plan order.
func (e *Engine) Snapshot() []ProcessStatus { panic("unimplemented") }

// Logs returns up to n recent lines of a process, oldest first.
func (e *Engine) Logs(name string, n int) ([]logger.Line, error) { panic("unimplemented") }

// Phase reports the current lifecycle phase ("starting", "running",
// "stopping", "cleanup", "exited").
func (e *Engine) Phase() string { panic("unimplemented") }

// HookLine publishes a line of hook output as a process:log event of the
// pseudo-process "hook:NAME" (group "hooks").
func (e *Engine) HookLine(hook string, stream logger.Stream, text string) { panic("unimplemented") }

// ReportError publishes a lifecycle:error event (a failing hook, ...).
// process may be "".
func (e *Engine) ReportError(phase, process string, err error) { panic("unimplemented") }
