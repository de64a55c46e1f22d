package starlib

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUserOption(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("user = needs the tests to run as root to resolve a spawnable user")
	}
	path := filepath.Join(t.TempDir(), "Ovrfile.star")
	mustWrite(t, path, `process("a", "true", user = "nobody")`+"\n"+`process("b", "true", user = 0)`)
	o, err := Load(path, testOpts())
	if err != nil {
		t.Fatal(err)
	}
	a, b := o.Plan.Processes[0].Spec.User, o.Plan.Processes[1].Spec.User
	if a == nil || a.Name != "nobody" || a.Uid == 0 || a.Home == "" {
		t.Errorf("user nobody = %+v", a)
	}
	if b == nil || b.Name != "root" || b.Uid != 0 {
		t.Errorf("user 0 = %+v", b)
	}
}

func TestUserOptionErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{`process("a", "true", user = "no-such-user-xyz")`, `:1:1: process: user: unknown user "no-such-user-xyz"`},
		{`process("a", "true", user = [])`, `user: got list, want a user name or uid`},
		{`process("a", "true", user = "")`, `user: empty user name`},
	}
	for _, c := range cases {
		if err := loadSrc(t, c.src); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.src, err, c.want)
		}
	}
	// Not root: refused, naming the user.
	defer func(f func() int) { geteuid = f }(geteuid)
	geteuid = func() int { return 1000 }
	err := loadSrc(t, `process("a", "true", user = "root")`)
	if err == nil || !strings.Contains(err.Error(), `running as "root" needs ovrseer to run as root (it runs as uid 1000)`) {
		t.Errorf("not root: got %v", err)
	}
}
