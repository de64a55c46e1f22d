package starlib

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzLoad: no input panics or hangs the loader, and every problem it
// reports has a message.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.star")
	for _, s := range seeds {
		src, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(`def f(): f()` + "\nf()"))
	f.Add([]byte(`x = [1] * 1000000` + "\nprocess('a', str(x)[:10])"))
	// The limits inside builtins (docs/ovrfile.md "Limits").
	f.Add([]byte(`x = json.decode("[" * 3000000 + "]" * 3000000)`))
	f.Add([]byte("x = []\nfor i in range(300000):\n    x = [x]\ns = str(x)\nd = {tuple([x]): 1}"))
	f.Add([]byte("t = ()\nfor i in range(300000):\n    t = (t,)\nd = {t: 1}"))
	f.Add([]byte(`x = list(range(100000000))`))
	f.Add([]byte("s = 'x'\nfor i in range(40):\n    s = s + s"))
	f.Add([]byte("n = 3\nfor i in range(40):\n    n = n * n"))
	f.Add([]byte(`load("../../../../dev/zero", "x")`))
	dir := f.TempDir()
	path := filepath.Join(dir, "Ovrfile.star")
	f.Fuzz(func(t *testing.T, src []byte) {
		opts := testOpts()
		opts.MaxSteps = 1_000_000
		opts.LoadTimeout = time.Second
		start := time.Now()
		o, err := load(path, src, opts)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("load took %s", d)
		}
		var errs Errors
		switch {
		case err == nil:
			if err := o.WritePlan(io.Discard); err != nil {
				t.Fatal(err)
			}
			if err := o.WritePlanJSON(io.Discard); err != nil {
				t.Fatal(err)
			}
		case errors.As(err, &errs):
			for _, e := range errs {
				if e.Msg == "" {
					t.Fatalf("problem without a message: %#v", e)
				}
			}
		default:
			t.Fatalf("load returned %T: %v", err, err)
		}
	})
}
