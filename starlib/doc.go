// Package starlib loads an Ovrfile.star with go.starlark.net, turns what it
// declares into an engine.Plan, and runs its hooks with a ctx that acts on the
// engine.
//
// Loading is single-threaded and has no side effects. A Runner owns one
// goroutine, the worker of the ordinary hook queue; gate hooks run on the
// engine's lifecycle goroutine. Each hook invocation gets a fresh Starlark
// thread.
package starlib
