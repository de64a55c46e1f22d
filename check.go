package main

import (
	"fmt"
	"io"
)

// check loads and validates the Ovrfile and prints its plan; it starts
// nothing.
func check(cfg config, stdout, stderr io.Writer) int {
	ovr, code := load(cfg, stderr)
	if ovr == nil {
		return code
	}
	ovr.ShowSecrets = cfg.secrets
	write := ovr.WritePlan
	if cfg.json {
		write = ovr.WritePlanJSON
	}
	if err := write(stdout); err != nil {
		fmt.Fprintf(stderr, "ovrseer: print plan: %v\n", err)
		return 1
	}
	return exitOK
}
