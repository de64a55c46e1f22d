package export

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ovrseer/ovrseer/starlib"
	"github.com/ovrseer/ovrseer/unit"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// goldenRoot stands for the Ovrfile's directory in the golden files.
const goldenRoot = "/srv/app"

// inputs are the Ovrfiles the golden files are made from.
var inputs = map[string]string{
	"examples": "../../examples/Ovrfile.star",
	"full":     "testdata/full/Ovrfile.star",
}

func load(t *testing.T, path string) *starlib.Ovrfile {
	t.Helper()
	o, err := starlib.Load(path, starlib.Options{Mode: "dev", Getenv: func(string) string { return "" }, Print: func(string) {}})
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return o
}

func mustExport(t *testing.T, o *starlib.Ovrfile, opts Options) Result {
	t.Helper()
	res, err := Export(o, opts)
	if err != nil {
		t.Fatalf("export %s: %v", opts.Format, err)
	}
	return res
}

// render is every file of res, then the notes, as one text to compare.
func render(res Result) []byte {
	var b bytes.Buffer
	for _, f := range res.Files {
		b.WriteString("=== " + f.Name + "\n")
		b.Write(f.Data)
	}
	b.WriteString("=== stderr\n")
	for _, n := range res.Notes {
		b.WriteString(n.String() + "\n")
	}
	return b.Bytes()
}

// TestGolden exports each input in each format with --root /srv/app and
// compares with testdata/golden/NAME.FORMAT (go test -update rewrites them).
func TestGolden(t *testing.T) {
	for name, path := range inputs {
		o := load(t, path)
		for _, format := range Formats {
			t.Run(name+"."+format, func(t *testing.T) {
				got := render(mustExport(t, o, Options{Format: format, Root: goldenRoot}))
				golden := filepath.Join("testdata", "golden", name+"."+format)
				if *update {
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", golden, got)
				}
			})
		}
	}
}

// TestDeterministic: the same plan, loaded twice, gives byte-identical
// files and notes.
func TestDeterministic(t *testing.T) {
	for _, format := range Formats {
		a := render(mustExport(t, load(t, inputs["full"]), Options{Format: format}))
		b := render(mustExport(t, load(t, inputs["full"]), Options{Format: format}))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two exports of the same plan differ", format)
		}
	}
}

func TestStackName(t *testing.T) {
	o := load(t, inputs["full"])
	res := mustExport(t, o, Options{Format: "nomad"})
	if res.Files[0].Name != "full.json" {
		t.Errorf("default name: got %s, want full.json (the Ovrfile's directory)", res.Files[0].Name)
	}
	res = mustExport(t, o, Options{Format: "systemd", Name: "shop"})
	if res.Files[0].Name != "ovrseer-shop.target" {
		t.Errorf("--name shop: got %s", res.Files[0].Name)
	}
	for _, bad := range []string{"a b", "-x", "a/b", strings.Repeat("x", 65)} {
		if _, err := Export(o, Options{Format: "systemd", Name: bad}); err == nil {
			t.Errorf("--name %q: no error", bad)
		}
	}
	if _, err := Export(o, Options{Format: "upstart"}); err == nil || !strings.Contains(err.Error(), "systemd, nomad") {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := Export(o, Options{Format: "nomad", Root: "relative"}); err == nil {
		t.Error("relative --root: no error")
	}
}

// TestRootResolvesPaths: without --root, paths are the Ovrfile's real
// directory, absolute; a bare command name is looked up in PATH now.
func TestRootResolvesPaths(t *testing.T) {
	dir := t.TempDir()
	ovrfile := filepath.Join(dir, "Ovrfile.star")
	src := `process("p", ["true"], dir = "sub")` + "\n" + `process("q", ["./run.sh"], dir = "sub")` + "\n"
	if err := os.WriteFile(ovrfile, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	res := mustExport(t, load(t, ovrfile), Options{Format: "systemd"})
	all := string(render(res))
	for _, want := range []string{
		"WorkingDirectory=" + filepath.Join(dir, "sub") + "\n",
		"ExecStart=" + filepath.Join(dir, "sub", "run.sh") + "\n",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
	if !strings.Contains(all, "ExecStart=/") || strings.Contains(all, "ExecStart=true") {
		t.Errorf("true not resolved to an absolute path:\n%s", all)
	}
	src = `process("p", ["no-such-command-ovrseer"])` + "\n"
	if err := os.WriteFile(ovrfile, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(load(t, ovrfile), Options{Format: "nomad"}); err == nil || !strings.Contains(err.Error(), "p: command \"no-such-command-ovrseer\" not found") {
		t.Errorf("missing command: %v", err)
	}
}

// TestUserPassedThrough: user becomes User= in a system unit and the task's
// User in Nomad, as written (never resolved to a uid by the export).
func TestUserPassedThrough(t *testing.T) {
	for _, format := range []string{"systemd", "nomad"} {
		o := load(t, filepath.Join("testdata", "full", "Ovrfile.star"))
		o.Plan.Processes[0].Spec.User = &unit.Credential{Name: "postgres", Uid: 999}
		out := string(render(mustExport(t, o, Options{Format: format, Root: "/srv/full"})))
		want := map[string]string{"systemd": "\nUser=postgres\n", "nomad": `"User": "postgres"`}[format]
		if !strings.Contains(out, want) {
			t.Errorf("%s: no %q in\n%s", format, want, out)
		}
	}
}
