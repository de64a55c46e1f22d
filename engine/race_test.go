//go:build race

package engine

// floodLines is smaller under the race detector, which slows the line path
// about twentyfold; the plain test run prints the full million.
const floodLines = 200_000
