package crashrep_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ovrseer/ovrseer/crashrep"
)

func ExampleDir_Write() {
	dir, err := os.MkdirTemp("", "crash")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	code := 2
	r := &crashrep.Report{
		ProcessName: "../api", Group: "main", Command: "sh", Args: []string{"-c", "./api"},
		Pid: 4242, ExitCode: &code, Reason: "exit code 2",
		Timestamp: time.Date(2026, 11, 25, 17, 40, 48, 123e6, time.UTC),
		UptimeMs:  5300, Restarts: 1, WillRestart: true,
		Flags: map[string]int{"errors": 3}, LastLogs: []string{"listening on :8080", "panic: boom"},
	}
	path, err := crashrep.Dir{Path: dir}.Write(r)
	if err != nil {
		panic(err)
	}
	fmt.Println(filepath.Base(path))

	data, _ := os.ReadFile(path)
	var back map[string]any
	json.Unmarshal(data, &back)
	fmt.Println(back["processName"], back["timestamp"], back["exitCode"], back["signal"])
	// Output:
	// _api-5cf919d2-20261125T174048.123Z.json
	// ../api 2026-11-25T17:40:48.123Z 2 <nil>
}
