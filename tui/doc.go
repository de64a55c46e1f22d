// Package tui shows a running engine to a person: the tview terminal UI of
// docs/cli.md (Run) and the headless printer of docs/cli.md, "Output" (Headless).
//
// Run owns two goroutines: tview's event loop, which owns every widget and
// all UI state, and one drain goroutine that reads the engine subscription
// and hands over coalesced updates with QueueUpdateDraw at most ~30 times a
// second. Engine commands that may block run on short-lived goroutines of
// their own, and their results come back through the drain.
//
// A Headless printer is driven by the goroutine that calls its Run; it
// drains its Source there and writes only from there. Nothing else in a
// Headless is meant to be called concurrently.
package tui
