package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ovrseer/ovrseer/internal/watchdog"
)

// TestMain makes the test binary double as the ovrseer command for the
// scripts in testdata/script. With OVRSEER_TEST_PIDFILE set it records its
// pid there first, so a script can signal it.
func TestMain(m *testing.M) {
	if code, ok := watchdog.Main(); ok { // ovrseer's watchdog: this binary re-executed
		os.Exit(code)
	}
	testscript.Main(m, map[string]func(){
		"ovrseer": func() {
			if p := os.Getenv("OVRSEER_TEST_PIDFILE"); p != "" && os.Getenv("OVRSEER_LOADGUARD_LIMIT") == "" { // not a load child
				if err := os.WriteFile(p, []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
					os.Stderr.WriteString("pidfile: " + err.Error() + "\n")
					os.Exit(99)
				}
			}
			main()
		},
		"slowcat": slowcat,
	})
}

// slowcat copies stdin to stdout line by line, pausing 2 ms after every
// 1,000 lines: a reader slower than ovrseer's output.
func slowcat() {
	r := bufio.NewReaderSize(os.Stdin, 64<<10)
	w := bufio.NewWriterSize(os.Stdout, 64<<10)
	for n := 1; ; n++ {
		line, err := r.ReadSlice('\n')
		w.Write(line)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			break
		}
		if n%1000 == 0 {
			w.Flush()
			time.Sleep(2 * time.Millisecond)
		}
	}
	w.Flush()
}

// goraceQuickExit keeps a race-enabled ovrseer from sleeping 1 s when it
// exits (the race runtime's default), which every script would pay per run.
const goraceQuickExit = "atexit_sleep_ms=0"

// TestScripts runs the real binary end to end (testdata/script/*.txtar).
func TestScripts(t *testing.T) {
	examples, err := filepath.Abs("examples")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", examples)
			env.Setenv("COMPAT", filepath.Join(filepath.Dir(examples), "testdata", "compat"))
			env.Setenv("GORACE", goraceQuickExit)
			env.Setenv("FLOOD_LINES", floodLines)
			return nil
		},
		Cmds: scriptCmds,
		Condition: func(cond string) (bool, error) {
			if cond == "root" { // [!root] skip 'why': a test that needs to be root
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}
