package loadguard

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain makes the test binary its own load child: Run re-executes it
// with one of the modes below.
func TestMain(m *testing.M) {
	if Enter() {
		os.Exit(child(os.Args[1]))
	}
	os.Exit(m.Run())
}

func child(mode string) int {
	switch mode {
	case "ok":
		return 0
	case "fail":
		fmt.Fprintln(os.Stderr, "Ovrfile.star:1:1: bad")
		return ExitLoadFailed
	case "hog": // allocate without end
		var keep [][]byte
		for {
			b := make([]byte, 16<<20)
			for i := range b {
				b[i] = 1
			}
			keep = append(keep, b)
		}
	case "sleep":
		time.Sleep(time.Hour)
	}
	return 3
}

func run(mode string, limit uint64, timeout time.Duration) error {
	return Run(context.Background(), Options{Args: []string{os.Args[0], mode}, File: "Ovrfile.star", Limit: limit, Timeout: timeout})
}

func TestRunLoaded(t *testing.T) {
	if err := run("ok", 0, time.Minute); err != nil {
		t.Fatal(err)
	}
}

func TestRunLoadFailed(t *testing.T) {
	err := run("fail", 0, time.Minute)
	var le *LoadError
	if !errors.As(err, &le) || string(le.Report) != "Ovrfile.star:1:1: bad\n" {
		t.Fatalf("got %v, want the child's report", err)
	}
}

// A child that allocates without end hits the address-space limit: an
// error naming the file and the limit, not an out-of-memory kill.
func TestRunOutOfMemory(t *testing.T) {
	if raceBuild {
		t.Skip("no address-space limit under the race detector")
	}
	err := run("hog", 256<<20, time.Minute)
	if err == nil || err.Error() != "loading Ovrfile.star used more than the memory limit of 256 MiB" {
		t.Fatalf("got %v, want the memory limit", err)
	}
}

func TestRunOverTime(t *testing.T) {
	start := time.Now()
	err := run("sleep", 0, 200*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "loading Ovrfile.star took longer than 200ms") {
		t.Fatalf("got %v, want the time limit", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestEnabled(t *testing.T) {
	if !Enabled() {
		t.Error("Enter was called as a parent, yet Enabled is false")
	}
}
