// Package unit supervises one process from a plain Spec: spawn in its own
// session, readiness checks, both output streams read continuously into a
// ring and a flag set, crash reports, restarts with backoff, and stopping the
// whole process group.
//
// Each Unit has one goroutine that owns its state (an actor loop over
// commands, the exit of the child and timers); two pipe readers and one
// waiter run beside it. Everything a unit has to say goes through the
// functions in Options; unit never imports engine.
package unit
