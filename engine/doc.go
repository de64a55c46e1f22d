// Package engine runs a Plan of dependency, main and cleanup processes
// through the lifecycle of docs/ovrfile.md and publishes the events of docs/events.md.
//
// Goroutines. Run's own goroutine is the lifecycle goroutine: it alone
// owns the run's state (phase, what started, what is ready, exit code) and
// is driven by a mailbox of notes (unit events, shutdown requests, finished
// stops and gates) and by timers, never by polling. Each process is a
// unit.Unit with its own goroutine; its callbacks translate unit events
// into Events, publish them and post a note, and never block. Gates run
// one list at a time on a goroutine of their own, so a gate may call the
// control API while the lifecycle goroutine keeps handling notes; a stop
// the lifecycle waits for has a small goroutine that posts when the
// process group is gone. When Run returns every unit is closed and only a
// gate that ignored the cancellation of a forced shutdown may still run.
//
// The process set. The processes, their links and the plan are one
// immutable table behind an atomic pointer: any goroutine loads it once
// per call. Only the lifecycle goroutine swaps it, when it applies a
// reload (Reload, reload.go); indices only grow, so a note naming a
// process a reload retired stays valid and is ignored or applied to its
// successor. The log line path never touches the table.
//
// Events. Each Subscription has its own queue under its own short lock;
// publishing appends to every subscriber's queue (the subscriber list is
// copy-on-write) and never waits for a reader. A process's log lines are
// published a chunk (one read of its pipe) at a time, under one lock and
// with one wake-up per subscriber, and queued compactly (entry); Each
// hands them to a reader without building a batch. A record
// (SubscribeOptions.Record) keeps everything: when it holds a process's
// full share, that process's pipe reader waits after the chunk, outside the
// unit's line lock, until the record takes its lines (or is closed, or the
// unit closes); nothing else ever waits for a subscriber. A view that
// falls behind loses process:log events beyond its LogBuffer, counted per
// process in an events:dropped event at the point of loss; every other
// event is kept, in order. lifecycle:exit is the last event: Done is
// closed after it.
//
// Every exported method of Engine and Subscription is safe for concurrent
// use. New must be followed by Run, which is what closes the units.
package engine
