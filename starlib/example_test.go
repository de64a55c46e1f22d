package starlib

import (
	"errors"
	"io/fs"
	"os"
	"testing"
)

const examplePath = "../examples/Ovrfile.star"

// TestExampleLoads loads the shipped example in both modes. It is skipped
// only while examples/Ovrfile.star does not exist.
func TestExampleLoads(t *testing.T) {
	if _, err := os.Stat(examplePath); errors.Is(err, fs.ErrNotExist) {
		t.Skip("examples/Ovrfile.star does not exist yet")
	}
	for _, mode := range []string{"dev", "ci"} {
		opts := testOpts()
		opts.Mode = mode
		o, err := Load(examplePath, opts)
		if err != nil {
			t.Fatalf("mode %s: %v", mode, err)
		}
		if len(o.Plan.Processes) == 0 {
			t.Errorf("mode %s: the example declares no process", mode)
		}
	}
}

// BenchmarkLoadExample measures loading examples/Ovrfile.star (the docs/ovrfile.md
// example testdata/plans/spec.star while the example does not exist).
func BenchmarkLoadExample(b *testing.B) {
	path := examplePath
	if _, err := os.Stat(path); err != nil {
		path = "testdata/plans/spec.star"
	}
	for b.Loop() {
		if _, err := Load(path, testOpts()); err != nil {
			b.Fatal(err)
		}
	}
}
