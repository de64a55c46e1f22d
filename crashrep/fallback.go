package crashrep

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Fallback writes to Primary and, when that fails (a crash directory that
// cannot be created or written), to Secondary, so that no report is lost.
// A report written to Secondary is returned with its path and a
// *FallbackError saying why it is not in Primary.
type Fallback struct {
	Primary, Secondary Sink
}

// FallbackError reports a report written to the secondary sink.
type FallbackError struct {
	Path string // where the report went
	Err  error  // why the primary sink failed
}

func (e *FallbackError) Error() string {
	return fmt.Sprintf("%v; written to %s instead", e.Err, e.Path)
}

func (e *FallbackError) Unwrap() error { return e.Err }

// Write implements Sink.
func (f Fallback) Write(r *Report) (string, error) {
	path, err := f.Primary.Write(r)
	if err == nil || path != "" || f.Secondary == nil { // written (only the final sync may have failed), or nowhere else to go
		return path, err
	}
	path, err2 := f.Secondary.Write(r)
	if err2 != nil {
		return "", errors.Join(err, err2)
	}
	return path, &FallbackError{Path: path, Err: err}
}

// CacheDir is where reports go when the crash directory cannot be written:
// the user's own cache directory ($XDG_CACHE_HOME/ovrseer/crash-reports,
// else ~/.cache/ovrseer/crash-reports), never a directory others can
// write. With neither variable set it is nil.
func CacheDir() Sink {
	dir, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	return Dir{Path: filepath.Join(dir, "ovrseer", "crash-reports")}
}
