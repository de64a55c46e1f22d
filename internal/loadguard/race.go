//go:build race

package loadguard

// raceBuild: the race detector maps terabytes of shadow memory, so an
// address-space limit cannot be applied; the child still runs (and the
// in-process memory budget of the load still holds).
const raceBuild = true
