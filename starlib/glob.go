package starlib

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"go.starlark.net/starlark"

	"github.com/ovrseer/ovrseer/internal/glob"
)

// glob is ctx.glob(pattern): the sorted paths matching pattern, where "**"
// is any number of directories. A relative pattern is relative to ovr.root
// and so are the paths returned; an absolute one returns absolute paths.
func (c *hookCtx) glob(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var pattern string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &pattern); err != nil {
		return nil, err
	}
	paths, err := globFiles(c.ctx, c.h.rt.root, pattern)
	if err != nil {
		return nil, err
	}
	out := make([]starlark.Value, len(paths))
	for i, p := range paths {
		out[i] = starlark.String(p)
	}
	return starlark.NewList(out), nil
}

// globFiles walks only below the pattern's literal prefix, and no deeper
// than the pattern reaches unless it has "**". It stops when ctx ends and
// after maxGlob matches.
func globFiles(ctx context.Context, root, pattern string) ([]string, error) {
	if pattern == "" {
		return nil, errors.New("empty pattern")
	}
	full := pattern
	if !filepath.IsAbs(pattern) {
		full = filepath.Join(root, pattern)
	}
	segs := strings.Split(filepath.ToSlash(filepath.Clean(full)), "/")
	lit := 0
	for lit < len(segs) && !glob.HasMeta(segs[lit]) {
		lit++
	}
	base, rest := "/"+path.Join(segs[:lit]...), segs[lit:]
	for _, s := range rest {
		if _, err := path.Match(s, ""); err != nil {
			return nil, fmt.Errorf("bad pattern %q: %w", pattern, err)
		}
	}
	deep := slices.Contains(rest, "**")
	var found []string
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			return nil // unreadable or gone: not a match
		}
		rel, _ := filepath.Rel(base, p)
		var parts []string
		if rel != "." {
			parts = strings.Split(filepath.ToSlash(rel), "/")
		}
		if glob.MatchSegments(rest, parts) {
			if len(found) == maxGlob {
				return fmt.Errorf("more than %d paths match %q", maxGlob, pattern)
			}
			found = append(found, p)
		}
		if d.IsDir() && !deep && len(parts) >= len(rest) && p != base {
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("glob %q: %w", pattern, err)
	}
	if !filepath.IsAbs(pattern) {
		for i, p := range found {
			found[i] = relTo(root, p)
		}
	}
	slices.Sort(found)
	return found, nil
}
