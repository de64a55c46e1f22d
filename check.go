package main

import (
	"fmt"
	"io"

	"github.com/ovrseer/ovrseer/starlib"
)

// check loads and validates the Ovrfile and prints its plan; it starts
// nothing.
func check(cfg config, stdout, stderr io.Writer) int {
	ovr, code := load(cfg, stderr)
	if ovr == nil {
		return code
	}
	ovr.ShowSecrets = cfg.secrets
	printWarnings(stderr, ovr)
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

// printWarnings prints the Ovrfile's warnings (commands that cannot start
// as declared), one per line.
func printWarnings(w io.Writer, ovr *starlib.Ovrfile) {
	for _, msg := range ovr.Warnings {
		fmt.Fprintf(w, "ovrseer: warning: %s\n", msg)
	}
}
