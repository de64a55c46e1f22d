package starlib

import (
	"context"
	"fmt"
	"runtime/metrics"
	"time"
)

// Limits of a load or one hook invocation beyond its steps and wall clock
// (docs/ovrfile.md "Limits").
const (
	// abandonGrace is how long a cancelled thread may take to return
	// before it is abandoned: a builtin does not see cancellation, so
	// one still running is left behind, never waited on.
	abandonGrace = time.Second
	// defaultMemoryBudget bounds how much the heap may grow while one
	// load or hook runs; past it the thread is cancelled. The operators
	// and builtins refuse single values over their size limits, so growth
	// is gradual and a poll every memoryPoll catches it.
	defaultMemoryBudget = 512 << 20
	memoryPoll          = 20 * time.Millisecond
)

// guarded runs Starlark: call runs on a goroutine of its own while the
// caller watches ctx and the heap. When ctx ends or the heap grows past
// budget, cancel is called with the reason why (reason() for the
// former) to cancel the threads; if call has not returned abandonGrace
// later it is abandoned, and guarded returns errAbandoned wrapped with
// the reason. The abandoned goroutine ends on its own when its builtin
// returns, since its thread is cancelled.
func guarded(ctx context.Context, budget uint64, cancel func(why string), reason func() string, call func() error) error {
	done := make(chan error, 1)
	go func() { done <- call() }()
	tick := time.NewTicker(memoryPoll)
	defer tick.Stop()
	base := heapBytes()
	var why string
	for why == "" {
		select {
		case err := <-done:
			return err
		case <-ctx.Done():
			why = reason()
		case <-tick.C:
			if h := heapBytes(); h > base && h-base > budget {
				why = fmt.Sprintf("memory budget exceeded (the heap grew by more than %d MiB)", budget>>20)
			}
		}
	}
	cancel(why)
	select {
	case err := <-done:
		return err
	case <-time.After(abandonGrace):
		return &abandonedError{why}
	}
}

// abandonedError is a thread left running inside a builtin.
type abandonedError struct{ why string }

func (e *abandonedError) Error() string {
	return e.why + "; abandoned: a builtin was still running " + abandonGrace.String() + " later"
}

// heapBytes is the size of the heap's objects, live or not yet swept.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
