package crashrep

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFallback(t *testing.T) {
	dir := t.TempDir()
	blocked := filepath.Join(dir, "file") // a file where the directory should be
	if err := os.WriteFile(blocked, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	good, spare := filepath.Join(dir, "good"), filepath.Join(dir, "spare")
	r := &Report{ProcessName: "api"}

	path, err := Fallback{Primary: Dir{Path: good}, Secondary: Dir{Path: spare}}.Write(r)
	if err != nil || filepath.Dir(path) != good {
		t.Errorf("primary fine: %q, %v; want a report in %s", path, err, good)
	}

	path, err = Fallback{Primary: Dir{Path: filepath.Join(blocked, "reports")}, Secondary: Dir{Path: spare}}.Write(r)
	var moved *FallbackError
	if !errors.As(err, &moved) || moved.Path != path || filepath.Dir(path) != spare {
		t.Fatalf("primary blocked: %q, %v; want a report in %s and a FallbackError", path, err, spare)
	}
	if _, statErr := os.Stat(path); statErr != nil {
		t.Errorf("the fallback report is not on disk: %v", statErr)
	}
	if !strings.Contains(err.Error(), "not a directory") || !strings.Contains(err.Error(), "written to "+path+" instead") {
		t.Errorf("error %q does not say why and where", err)
	}

	path, err = Fallback{Primary: Dir{Path: filepath.Join(blocked, "a")}, Secondary: Dir{Path: filepath.Join(blocked, "b")}}.Write(r)
	if err == nil || path != "" || errors.As(err, &moved) {
		t.Errorf("both blocked: %q, %v; want no path and the errors", path, err)
	}

	path, err = Fallback{Primary: Dir{Path: filepath.Join(blocked, "a")}}.Write(r)
	if err == nil || path != "" {
		t.Errorf("no secondary: %q, %v; want the primary's error", path, err)
	}
}
