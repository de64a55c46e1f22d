// Package tui shows a running engine to a person. For now it holds the
// headless printer of SPEC §8 (prefixed, batched plain output for pipes, CI
// and terminals until the tview UI exists).
//
// A Headless printer is driven by one goroutine, the one that calls Run; it
// drains its Source there and writes only from there. Nothing else in a
// Headless is meant to be called concurrently.
package tui
