//go:build race

package main

// floodLines is the lossless script's flood ($FLOOD_LINES): smaller under
// the race detector, which slows the line path about twentyfold; the plain
// test run prints the full million.
const floodLines = "200000"
