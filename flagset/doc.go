// Package flagset matches log lines against named flags (RE2 patterns),
// counts matches, collects context windows and reports when a flag's count
// goes above its target (docs/ovrfile.md).
//
// A Set is owned by one goroutine at a time (the caller serialises Feed,
// Expire, Flush and Counts); it starts no goroutines and keeps no clock of its
// own: the caller passes the time with each line and asks Deadline when to
// call Expire.
//
// Feed is on the per-line path: a line that matches no flag costs a literal
// search per flag (and a regexp run only when the literal is present) and
// allocates nothing, ANSI escapes included.
package flagset
