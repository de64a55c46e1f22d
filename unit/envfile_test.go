package unit

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A dotenv file's syntax, env winning over it, ${VAR}/$VAR expansion from
// the files and ovrseer's environment, $$ a literal $.
func TestEnviron(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.env")
	b := filepath.Join(dir, "b.env")
	os.WriteFile(a, []byte("# comment\n\nexport A=1\nB = \"two words\\n\" \nC='$LIT'\nD=plain # note\nE=${A}x\n"), 0o600)
	os.WriteFile(b, []byte("A=override\n"), 0o600)
	t.Setenv("OVR_TEST_OUTER", "outer")
	s := Spec{EnvFiles: []string{a, b}, Env: []string{"D=env", "F=${A}-$OVR_TEST_OUTER-$$-${UNSET_OVR_X}.", "G=$1"}}
	got, err := s.environ()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"A=1", "B=two words\n", "C=$LIT", "D=plain", "E=1x", "A=override",
		"D=env", "F=override-outer-$-.", "G=$1"}
	if !slices.Equal(got, want) {
		t.Errorf("environ:\n got %q\nwant %q", got, want)
	}
	s.EnvFiles = append(s.EnvFiles, filepath.Join(dir, "missing.env"))
	if _, err := s.environ(); err == nil || !strings.Contains(err.Error(), "missing.env") {
		t.Errorf("missing file: error %v, want one naming it", err)
	}
	os.WriteFile(b, []byte("not a pair\n"), 0o600)
	if _, err := s.environ(); err == nil || !strings.Contains(err.Error(), "b.env:1") {
		t.Errorf("bad line: error %v, want file:line", err)
	}
}
