package starlib

import (
	"bytes"
	"path/filepath"
	"testing"
)

// An option whose default is none may be given as None: the plan is the
// one without it (settings(env_file = None) is how docs/ovrfile.md writes
// the default).
func TestNoneIsLeftOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Ovrfile.star")
	plan := func(src string) string {
		t.Helper()
		mustWrite(t, path, src)
		o, err := Load(path, testOpts())
		if err != nil {
			t.Fatalf("%s\n%v", src, err)
		}
		var b bytes.Buffer
		if err := o.WritePlanJSON(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	without := plan(`process("a", "true")` + "\n" + `settings()`)
	with := plan(`process("a", "true", ready = None, user = None, stop_cmd = None, health = None, env_file = None, log_file = None)` +
		"\n" + `settings(env_file = None, log_dir = None, timeout = None, exit_with = None)`)
	if with != without {
		t.Errorf("with None:\n%s\nwithout:\n%s", with, without)
	}
}
