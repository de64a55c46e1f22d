// Package logger turns a child's byte stream into lines and keeps the most
// recent lines in a fixed-size ring.
//
// A Splitter is owned by the one goroutine that reads a stream; it is not safe
// for concurrent use. A Ring is safe for one writer and any number of
// concurrent readers. Neither starts goroutines.
package logger
