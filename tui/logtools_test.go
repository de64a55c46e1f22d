package tui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/ovrseer/ovrseer/engine"
)

// startWith is startUI with options.
func startWith(t *testing.T, opts Options, procs ...engine.Process) *harness {
	t.Helper()
	return startHarness(t, 120, 30, opts, procs...)
}

// & shows only matching lines; stderr lines are marked; T shows times; w
// cuts long lines; S saves the history and shows where.
func TestUILogFilterStderrTimesWrapSave(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("x", 150) + "TAIL"
	p := shProc("app", engine.Main, `echo "GET /a"; echo "POST /b"; echo "oops" >&2; echo "GET /c"; echo "`+long+`"; exec sleep 30`)
	h := startWith(t, Options{SaveDir: dir}, p)
	scr := h.scr
	scr.waitText(t, "GET /c", "TAIL")

	if fg, _, _ := scr.styleOf(t, "▍oops", 0).Decompose(); fg != tcell.PaletteColor(1) {
		t.Errorf("the stderr line's mark has colour %v, want red", fg)
	}
	if strings.Contains(rowWith(scr.lines(), "GET /a"), "▍") {
		t.Error("a stdout line is marked as stderr")
	}

	scr.key('&')
	scr.typeText("GET")
	scr.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
	lines := scr.waitText(t, "&GET: 2 lines", "GET /a", "GET /c")
	if all := strings.Join(lines, "\n"); strings.Contains(all, "POST /b") || strings.Contains(all, "oops") {
		t.Errorf("the filter shows other lines:\n%s", all)
	}
	scr.key('&')
	scr.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
	scr.waitText(t, "POST /b")

	scr.key('T')
	scr.waitFor(t, "timestamps", func(l []string) bool {
		return regexp.MustCompile(`\d\d:\d\d:\d\d\.\d\d\d GET /a`).MatchString(strings.Join(l, "\n"))
	})
	scr.key('T')
	scr.key('w')
	scr.waitFor(t, "the long line cut", func(l []string) bool {
		return strings.Contains(strings.Join(l, "\n"), "no wrap") && !strings.Contains(strings.Join(l, "\n"), "TAIL")
	})

	scr.key('S')
	lines = scr.waitText(t, "saved ", dir)
	files, _ := filepath.Glob(filepath.Join(dir, "ovrseer-app-*.log"))
	if len(files) != 1 {
		t.Fatalf("saved files %v; screen:\n%s", files, strings.Join(lines, "\n"))
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "stderr oops\n") || !strings.Contains(string(b), "stdout GET /a\n") {
		t.Errorf("saved log:\n%s", b)
	}
	h.quit(t)
}
