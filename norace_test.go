//go:build !race

package main

// floodLines is the lossless script's flood ($FLOOD_LINES).
const floodLines = "1000000"
