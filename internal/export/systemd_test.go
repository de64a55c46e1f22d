package export

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// writeUnits exports path as systemd units into a new directory with root
// as --root and returns the directory.
func writeUnits(t *testing.T, path, root string) (string, Result) {
	t.Helper()
	res := mustExport(t, load(t, path), Options{Format: "systemd", Root: root})
	dir := t.TempDir()
	for _, f := range res.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, res
}

// knownWarnings are what systemd before 254 says about the backoff keys
// (they are ignored there; the comment above them says so).
var knownWarnings = regexp.MustCompile(`Unknown key( name)? '(RestartSteps|RestartMaxDelaySec)' in section \[Service\], ignoring\.$`)

// TestSystemdAnalyzeVerify runs systemd-analyze verify on the units of each
// input, with --root a directory holding every binary they name: any
// message but the known pre-254 warnings fails.
func TestSystemdAnalyzeVerify(t *testing.T) {
	tool, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed (install the systemd package to run this check)")
	}
	root := t.TempDir()
	for _, bin := range []string{"bin/postgres", "bin/vacuum", "services/api/bin/api", "services/api/bin/ready-probe"} {
		p := filepath.Join(root, bin)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, path := range inputs {
		t.Run(name, func(t *testing.T) {
			dir, res := writeUnits(t, path, root)
			args := []string{"verify", "--man=no"}
			for _, f := range res.Files {
				args = append(args, filepath.Join(dir, f.Name))
			}
			cmd := exec.Command(tool, args...)
			cmd.Env = append(os.Environ(), "SYSTEMD_LOG_LEVEL=notice")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
			}
			sc := bufio.NewScanner(bytes.NewReader(out))
			for sc.Scan() {
				if line := sc.Text(); !knownWarnings.MatchString(line) {
					t.Errorf("systemd-analyze verify: %s", line)
				}
			}
		})
	}
}

// unitGraph is the ordering of a set of units: edges[a][b] when
// systemd stops a before b (a is After= b, or b is Before= a).
type unitGraph struct{ edges map[string]map[string]bool }

func parseUnits(t *testing.T, res Result) unitGraph {
	t.Helper()
	g := unitGraph{edges: map[string]map[string]bool{}}
	edge := func(a, b string) {
		if g.edges[a] == nil {
			g.edges[a] = map[string]bool{}
		}
		g.edges[a][b] = true
	}
	for _, f := range res.Files {
		for _, line := range strings.Split(string(f.Data), "\n") {
			key, value, ok := strings.Cut(line, "=")
			if !ok || strings.HasPrefix(line, "#") {
				continue
			}
			for _, other := range strings.Fields(value) {
				switch key {
				case "After":
					edge(f.Name, other)
				case "Before":
					edge(other, f.Name)
				}
			}
		}
	}
	return g
}

// stopsBefore reports whether systemd stops a before b (transitively).
func (g unitGraph) stopsBefore(a, b string) bool {
	seen := map[string]bool{}
	var walk func(string) bool
	walk = func(u string) bool {
		if u == b {
			return true
		}
		if seen[u] {
			return false
		}
		seen[u] = true
		for next := range g.edges[u] {
			if walk(next) {
				return true
			}
		}
		return false
	}
	return a != b && walk(a)
}

// TestCleanupOrdering holds the cleanup units to the lifecycle: on stop,
// every cleanup command runs after every main service stopped and before
// any dependency stops, the cleanups one after another in declaration
// order; and no ordering cycle.
func TestCleanupOrdering(t *testing.T) {
	res := mustExport(t, load(t, inputs["full"]), Options{Format: "systemd", Root: goldenRoot})
	g := parseUnits(t, res)
	unit := func(n string) string { return "ovrseer-full-" + n + ".service" }
	cleanups := []string{"drain", "notify", "vacuum"}
	for i, c := range cleanups {
		for _, m := range []string{"api", "worker"} {
			if !g.stopsBefore(unit(m), unit(c)) {
				t.Errorf("main %s does not stop before cleanup %s", m, c)
			}
		}
		for _, d := range []string{"postgres", "migrate"} {
			if !g.stopsBefore(unit(c), unit(d)) {
				t.Errorf("cleanup %s does not run before dependency %s stops", c, d)
			}
		}
		if i > 0 && !g.stopsBefore(unit(cleanups[i-1]), unit(c)) {
			t.Errorf("cleanup %s does not run before %s (declaration order)", cleanups[i-1], c)
		}
	}
	for u := range g.edges {
		if g.stopsBefore(u, u) || cyclic(g, u) {
			t.Errorf("ordering cycle through %s", u)
		}
	}
	for _, f := range res.Files {
		if f.Name != "ovrseer-full.target" && !strings.Contains(string(f.Data), "\nPartOf=ovrseer-full.target\n") {
			t.Errorf("%s: not PartOf the stack target", f.Name)
		}
	}
}

func cyclic(g unitGraph, u string) bool {
	for next := range g.edges[u] {
		if g.stopsBefore(next, u) {
			return true
		}
	}
	return false
}
