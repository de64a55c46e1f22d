// Package engine runs a Plan of dependency, main and cleanup processes
// through the lifecycle of SPEC §3 and publishes the events of SPEC §4.
//
// Run owns the lifecycle goroutine; each process is a unit.Unit with its own
// goroutine. Every exported method of Engine and Subscription is safe for
// concurrent use. Publishing never blocks on a subscriber.
package engine
