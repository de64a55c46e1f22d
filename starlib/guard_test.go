package starlib

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ovrseer/ovrseer/engine"
)

// A call that ignores cancellation (a long builtin) is abandoned shortly
// after the deadline, never waited on.
func TestGuardedAbandonsACallStuckInABuiltin(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	release := make(chan struct{})
	defer close(release)
	var cancelled string
	start := time.Now()
	err := guarded(ctx, 1<<40, func(why string) { cancelled = why }, func() string { return "took too long" },
		func() error { <-release; return nil })
	var ab *abandonedError
	if !errors.As(err, &ab) || !strings.Contains(err.Error(), "took too long; abandoned") {
		t.Fatalf("got %v, want the call abandoned", err)
	}
	if cancelled != "took too long" {
		t.Errorf("cancel was called with %q", cancelled)
	}
	if d := time.Since(start); d > abandonGrace+10*time.Second {
		t.Errorf("abandoned after %s", d)
	}
}

// A load that allocates without end is stopped by its memory budget.
func TestLoadMemoryBudget(t *testing.T) {
	err := loadSrc(t, `
keep = []
for i in range(100000):
    keep.append("x" * 1000000 + str(i))
`, func(o *Options) { o.MemoryBudget = 64 << 20; o.LoadTimeout = time.Minute })
	if err == nil || !strings.Contains(err.Error(), "memory budget exceeded (the heap grew by more than 64 MiB)") {
		t.Fatalf("got %v, want the memory budget", err)
	}
}

// A hook's timeout holds inside builtins: a hook building and printing
// huge values ends at its timeout, the queue goes on.
func TestHookTimeoutHoldsInsideBuiltins(t *testing.T) {
	start := time.Now()
	r := runOvrfile(t, `
process("app", "echo up; exec sleep 30", ready = ready.log("up"))

def hog(ctx):
    big = ["y" * 1000000] * 4000000
    for i in range(1000000):
        x = sorted(big)
        s = str(big)

def after(ctx):
    ctx.exit(3)

on("main-ready", hog, timeout = "300ms")
on("lifecycle:error", after)
`, func(o *Options) { o.HookMaxSteps = 1 << 40 })
	if r.code != 3 {
		r.dump(t)
		t.Fatalf("exit code %d, want 3", r.code)
	}
	if r.index(engine.LifecycleError, "hook:hog", "timed out after 300ms") < 0 {
		r.dump(t)
		t.Error("no lifecycle:error for the timeout")
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("the run took %s", d)
	}
}
