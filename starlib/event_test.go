package starlib

import (
	"slices"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/ovrseer/ovrseer/engine"
)

// fullEvent has every field of engine.Event set to a value that is not
// None in ctx.event.
func fullEvent(typ engine.Type) engine.Event {
	code, target := 3, 5
	return engine.Event{Type: typ, Time: time.Now(), Process: "p", Group: engine.Main, State: "ready",
		Pid: 1, Attempt: 2, DurationMs: 3, ExitCode: &code, Signal: "SIGKILL", Reason: "r",
		Restarts: 1, WillRestart: true, Report: "/r", DelayMs: 4, Stream: "stdout", Line: "l",
		Flag: "f", Count: 6, Target: &target, Context: []string{"c"}, Phase: "ph", Error: "e",
		Failed: []string{"x"}}
}

// TestCtxEventHasEveryField: ctx.event carries every field engine's table
// (Type.Fields) lists for its type, and None for the rest of AllFields, so
// a field added to the table but not to fieldValue fails here.
func TestCtxEventHasEveryField(t *testing.T) {
	for _, typ := range append(slices.Clone(engine.Types), engine.EventsDropped) {
		v := eventValue(fullEvent(typ))
		for _, f := range engine.AllFields {
			got, err := v.Attr(f)
			if err != nil {
				t.Fatalf("%s: ctx.event.%s: %v", typ, f, err)
			}
			if want := slices.Contains(typ.Fields(), f); (got != starlark.None) != want {
				t.Errorf("%s: ctx.event.%s = %v, want set: %v", typ, f, got, want)
			}
		}
	}
}
