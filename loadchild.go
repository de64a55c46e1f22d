package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ovrseer/ovrseer/internal/loadguard"
)

// loadTimeout is the wall-clock limit of loading an Ovrfile.
const loadTimeout = 5 * time.Second

// loadChildGrace is how long a load child may run beyond the load's own
// wall clock (which it enforces itself) before the parent kills it.
const loadChildGrace = 10 * time.Second

// loadChild is the whole life of a load child (internal/loadguard): load
// the Ovrfile as the parent would, printing its errors, and report
// through the exit code.
func loadChild(args []string) int {
	cfg, err := parseArgs(args, os.Getenv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ovrseer: %v\n", err)
		return loadguard.ExitLoadFailed
	}
	if _, code := load(cfg, os.Stderr); code != exitOK {
		return loadguard.ExitLoadFailed
	}
	return exitOK
}

// loadInChild loads the Ovrfile at path in a child under the memory limit
// first; on failure it prints why (the child's own report, or the limit
// it hit) and returns the exit code.
func loadInChild(path string, stderr io.Writer) int {
	err := loadguard.Run(context.Background(), loadguard.Options{
		Args: os.Args, File: path, Timeout: loadTimeout + loadChildGrace,
	})
	var failed *loadguard.LoadError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &failed):
		stderr.Write(failed.Report)
	default:
		fmt.Fprintf(stderr, "ovrseer: %v\n", err)
	}
	return exitUsage
}
