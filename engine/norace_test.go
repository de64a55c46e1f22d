//go:build !race

package engine

// floodLines is how many lines the flood test's child prints.
const floodLines = 1_000_000
