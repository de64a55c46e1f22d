// Package crashrep defines the crash report of a supervised process (docs/crash-reports.md)
// and the sinks that store it.
//
// A Report is plain data. A Dir is safe for concurrent use, by goroutines or
// by processes: it coordinates only through the file system (exclusive
// creates and hard links), so two reports never overwrite each other. Nothing
// here starts goroutines; Dir.Write blocks on disk I/O, so a caller that must
// bound the wait runs it on a goroutine of its own with a deadline.
package crashrep
