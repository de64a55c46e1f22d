package starlib

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/plans")

// testOpts are deterministic load options for tests.
func testOpts() Options {
	env := map[string]string{"APP_HOME": "/opt/app"}
	return Options{Mode: "ci", Getenv: func(k string) string { return env[k] }, Print: func(string) {}, MaxSteps: 1_000_000}
}

// TestPlanGolden loads each testdata/plans/*.star and compares the printed
// plan (text, then JSON) with its .golden file.
func TestPlanGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/plans/*.star")
	if err != nil || len(files) == 0 {
		t.Fatalf("no plans: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			o, err := Load(file, testOpts())
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			o.Warnings = nil // they depend on what this machine has installed (executables_test.go)
			var buf bytes.Buffer
			if err := o.WritePlan(&buf); err != nil {
				t.Fatal(err)
			}
			buf.WriteString("--- json\n")
			if err := o.WritePlanJSON(&buf); err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(file, ".star") + ".golden"
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got := buf.String(); got != string(want) {
				t.Errorf("plan of %s differs from %s (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", file, golden, got, want)
			}
		})
	}
}

// TestErrors loads each bad Ovrfile of testdata/errors and compares its
// problems with the file's "# want: LINE:COL: message" comments (in order;
// a problem in another file is written "FILE:LINE:COL: message", FILE
// relative to testdata/errors).
func TestErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.star")
	if err != nil || len(files) == 0 {
		t.Fatalf("no error files: %v", err)
	}
	total := 0
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			want := wantComments(t, file)
			if len(want) == 0 {
				t.Fatalf("%s has no # want: comments", file)
			}
			_, err := Load(file, testOpts())
			errs, ok := err.(Errors)
			if !ok {
				t.Fatalf("Load returned %T %v, want Errors", err, err)
			}
			var got []string
			for _, e := range errs {
				s := e.Error()
				s = strings.TrimPrefix(s, file+":")
				s = strings.TrimPrefix(s, "testdata/errors/")
				got = append(got, s)
				if e.Line == 0 {
					t.Errorf("error without a line: %v", e)
				}
			}
			total += len(got)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("errors of %s:\n--- got\n%s\n--- want\n%s", file, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
	if total < 25 {
		t.Errorf("only %d errors covered, want at least 25", total)
	}
}

func wantComments(t *testing.T, file string) []string {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for line := range strings.SplitSeq(string(src), "\n") {
		if _, w, ok := strings.Cut(line, "# want: "); ok {
			want = append(want, strings.TrimSpace(w))
		}
	}
	return want
}
