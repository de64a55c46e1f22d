package starlib

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ovrseer/ovrseer/engine"
)

func TestGlobFiles(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"a.star", "b.txt", "lib/c.star", "lib/deep/d.star", "lib/deep/e.txt", "other/f.star"} {
		mustWrite(t, filepath.Join(root, f), "")
	}
	ctx := context.Background()
	for pattern, want := range map[string][]string{
		"*.star":         {"a.star"},
		"**/*.star":      {"a.star", "lib/c.star", "lib/deep/d.star", "other/f.star"},
		"lib/**":         {"lib", "lib/c.star", "lib/deep", "lib/deep/d.star", "lib/deep/e.txt"},
		"lib/*/*.txt":    {"lib/deep/e.txt"},
		"*/c.star":       {"lib/c.star"},
		"lib/c.star":     {"lib/c.star"},
		"nope/*":         nil,
		"missing.star":   nil,
		"lib/**/d.star":  {"lib/deep/d.star"},
		"[ab].*":         {"a.star", "b.txt"},
		"./lib/../*.txt": {"b.txt"},
	} {
		got, err := globFiles(ctx, root, pattern)
		if err != nil {
			t.Errorf("glob %q: %v", pattern, err)
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("glob %q = %q, want %q", pattern, got, want)
		}
	}
	abs, err := globFiles(ctx, "/elsewhere", filepath.Join(root, "lib", "*.star"))
	if err != nil || !slices.Equal(abs, []string{filepath.Join(root, "lib", "c.star")}) {
		t.Errorf("absolute glob = %q, %v", abs, err)
	}
	if _, err := globFiles(ctx, root, "[x"); err == nil || !strings.Contains(err.Error(), "bad pattern") {
		t.Errorf("bad pattern: %v", err)
	}
}

func TestCtxGlob(t *testing.T) {
	r := runOvrfile(t, `
process("app", "echo up; exec sleep 30", ready = ready.log("up"))

def list(ctx):
    ctx.log("found " + ",".join(ctx.glob("**/*.star")))
    ctx.exit(0)

on("main-ready", list)
`)
	if r.index(engine.ProcessLog, "hook:list", "found Ovrfile.star") < 0 {
		r.dump(t)
		t.Fatal("ctx.glob did not find the Ovrfile")
	}
}
