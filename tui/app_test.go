package tui

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/ovrseer/ovrseer/engine"
	"github.com/ovrseer/ovrseer/flagset"
	"github.com/ovrseer/ovrseer/logger"
	"github.com/ovrseer/ovrseer/unit"
)

// uiDeadline bounds every wait for the screen.
const uiDeadline = 15 * time.Second

// testScreen is a simulation screen whose contents the test reads safely:
// they are copied to text on tview's goroutine after every Show.
type testScreen struct {
	tcell.SimulationScreen
	shown chan struct{} // signalled after every Show
	w, h  int

	mu     sync.Mutex
	text   []string
	styles [][]tcell.Style // per row, per column
}

func newTestScreen(w, h int) *testScreen {
	return &testScreen{SimulationScreen: tcell.NewSimulationScreen("UTF-8"), shown: make(chan struct{}, 1), w: w, h: h}
}

func (s *testScreen) Show() {
	s.SimulationScreen.Show()
	s.capture()
}

func (s *testScreen) Sync() {
	s.SimulationScreen.Sync()
	s.capture()
}

// Init initialises the screen at the test's size (tview calls it).
func (s *testScreen) Init() error {
	if err := s.SimulationScreen.Init(); err != nil {
		return err
	}
	s.SimulationScreen.SetSize(s.w, s.h)
	return nil
}

func (s *testScreen) capture() {
	cells, w, h := s.GetContents()
	lines := make([]string, h)
	styles := make([][]tcell.Style, h)
	for y := 0; y < h; y++ {
		var b strings.Builder
		for x := 0; x < w; x++ {
			c := cells[y*w+x]
			if len(c.Runes) == 0 {
				b.WriteByte(' ')
			} else {
				b.WriteString(string(c.Runes))
			}
			for range max(1, len(c.Runes)) {
				styles[y] = append(styles[y], c.Style)
			}
		}
		lines[y] = b.String()
	}
	s.mu.Lock()
	s.text, s.styles = lines, styles
	s.mu.Unlock()
	select {
	case s.shown <- struct{}{}:
	default:
	}
}

func (s *testScreen) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.text
}

// waitFor waits until cond holds for the screen's lines.
func (s *testScreen) waitFor(t testing.TB, what string, cond func(lines []string) bool) []string {
	t.Helper()
	deadline := time.NewTimer(uiDeadline)
	defer deadline.Stop()
	for {
		if l := s.lines(); cond(l) {
			return l
		}
		select {
		case <-s.shown:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s; screen:\n%s", what, strings.Join(s.lines(), "\n"))
		}
	}
}

// waitText waits until every one of texts is on the screen.
func (s *testScreen) waitText(t testing.TB, texts ...string) []string {
	t.Helper()
	return s.waitFor(t, strings.Join(texts, ", "), func(lines []string) bool {
		all := strings.Join(lines, "\n")
		for _, x := range texts {
			if !strings.Contains(all, x) {
				return false
			}
		}
		return true
	})
}

// styleOf returns the style of the cell at offset off (in runes) in text's
// first occurrence. (The screen tests keep cells one rune wide.)
func (s *testScreen) styleOf(t testing.TB, text string, off int) tcell.Style {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for y, l := range s.text {
		if i := strings.Index(l, text); i >= 0 {
			return s.styles[y][len([]rune(l[:i]))+off]
		}
	}
	t.Fatalf("%q is not on the screen", text)
	return tcell.StyleDefault
}

// click clicks the first cell of text's first occurrence.
func (s *testScreen) click(t testing.TB, text string) {
	t.Helper()
	for y, l := range s.lines() {
		if i := strings.Index(l, text); i >= 0 {
			x := len([]rune(l[:i]))
			s.InjectMouse(x, y, tcell.Button1, tcell.ModNone)
			s.InjectMouse(x, y, tcell.ButtonNone, tcell.ModNone)
			return
		}
	}
	t.Fatalf("%q is not on the screen", text)
}

func (s *testScreen) key(r rune) { s.InjectKey(tcell.KeyRune, r, tcell.ModNone) }

func (s *testScreen) typeText(text string) {
	for _, r := range text {
		s.key(r)
	}
}

// rowWith returns the screen line holding text, or "".
func rowWith(lines []string, text string) string {
	for _, l := range lines {
		if strings.Contains(l, text) {
			return l
		}
	}
	return ""
}

// shProc is a process running a shell command.
func shProc(name string, group engine.Group, cmd string) engine.Process {
	return engine.Process{Name: name, Group: group, Autostart: true,
		Spec: unit.Spec{Argv: []string{"sh", "-c", cmd}, StopTimeout: 2 * time.Second}}
}

// harness runs a real engine and the UI on a simulation screen.
type harness struct {
	e      *engine.Engine
	scr    *testScreen
	uiErr  chan error
	code   chan int
	cancel context.CancelFunc
}

// startUI runs the UI, waits for its first frame (so it has subscribed),
// then runs the engine.
func startUI(t testing.TB, procs ...engine.Process) *harness {
	t.Helper()
	return startHarness(t, 120, 30, Options{}, procs...)
}

// startHarness is startUI on a w×h screen with opts (its Screen is set).
func startHarness(t testing.TB, w, h int, opts Options, procs ...engine.Process) *harness {
	t.Helper()
	e, err := engine.New(engine.Plan{Processes: procs}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := &harness{e: e, scr: newTestScreen(w, h), uiErr: make(chan error, 1), code: make(chan int, 1)}
	opts.Screen = hs.scr
	go func() { hs.uiErr <- Run(e, opts) }()
	hs.scr.waitText(t, "Processes")
	ctx, cancel := context.WithCancel(context.Background())
	hs.cancel = cancel
	go func() { hs.code <- e.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-hs.code:
		case <-time.After(uiDeadline):
			t.Error("engine did not finish")
		}
	})
	return hs
}

// quit presses q and expects the UI and the engine to finish.
func (h *harness) quit(t testing.TB) int {
	t.Helper()
	h.scr.key('q')
	deadline := time.NewTimer(uiDeadline)
	defer deadline.Stop()
	var code int
	select {
	case code = <-h.code:
		h.code <- code // for the cleanup
	case <-deadline.C:
		t.Fatal("q did not end the run")
	}
	select {
	case err := <-h.uiErr:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-deadline.C:
		t.Fatal("Run did not return after lifecycle:exit")
	}
	checkNoUIGoroutines(t)
	return code
}

// checkNoUIGoroutines fails if the drain or a control call's goroutine
// outlives Run (it polls the goroutine list until a deadline).
func checkNoUIGoroutines(t testing.TB) {
	t.Helper()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(5 * time.Second)
	defer deadline.Stop()
	for {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "tui.(*drain).run(") && !strings.Contains(stacks, "tui.(*ui).run.func1(") {
			return
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("a UI goroutine outlived Run:\n%s", stacks)
		}
	}
}

func TestUIListsLogsFlagsAndQuits(t *testing.T) {
	api := shProc("api", engine.Main, `echo '[red]not markup[-]'; echo 'ERROR one'; echo 'ERROR two'; printf '\033[31mcoloured\033[0m end\n'; exec sleep 30`)
	api.Spec.Flags = []flagset.Flag{{Name: "errors", Pattern: "ERROR", Color: flagset.Red, Target: 1}}
	h := startUI(t,
		shProc("db", engine.Dependencies, `echo db is up; exec sleep 30`),
		api,
		shProc("tidy", engine.Cleanup, `echo tidied`),
	)
	scr := h.scr
	lines := scr.waitText(t, "Dependencies", "Main", "Cleanup", "db is up")
	for _, name := range []string{"db", "api", "tidy"} {
		if rowWith(lines, " "+name) == "" {
			t.Errorf("process %s not listed:\n%s", name, strings.Join(lines, "\n"))
		}
	}
	scr.waitFor(t, "db ready", func(l []string) bool { return strings.Contains(rowWith(l, "● db"), "db") })

	scr.key('j')
	lines = scr.waitText(t, "[red]not markup[-]", "coloured end", "ERROR two", "api (follow)")
	if strings.Contains(strings.Join(lines, "\n"), "db is up") {
		t.Error("the log still shows db's lines after selecting api")
	}
	scr.waitFor(t, "api's flag count 2", func(l []string) bool { return strings.Contains(rowWith(l, "● api"), "api errors 2") })
	if fg, _, attr := scr.styleOf(t, "coloured end", 0).Decompose(); fg != tcell.PaletteColor(1) {
		t.Errorf("ANSI red rendered as %v (attrs %v)", fg, attr)
	}
	if fg, _, attr := scr.styleOf(t, "api errors 2", 0).Decompose(); attr&tcell.AttrReverse != 0 || fg == tcell.ColorRed {
		t.Errorf("the process name is drawn in the flag's style")
	}
	if fg, _, attr := scr.styleOf(t, "api errors 2", 4).Decompose(); fg != tcell.ColorRed || attr&tcell.AttrReverse == 0 {
		t.Errorf("the exceeded count 2 has colour %v attrs %v, want red reversed", fg, attr)
	}

	scr.key('f')
	scr.waitText(t, "Flags: 3 ", "errors #1: ERROR one", "errors exceeded")
	scr.InjectKey(tcell.KeyUp, 0, tcell.ModNone)
	scr.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
	scr.waitText(t, "errors in api at")
	scr.InjectKey(tcell.KeyEscape, 0, tcell.ModNone)
	scr.waitFor(t, "the context window closed", func(l []string) bool {
		return !strings.Contains(strings.Join(l, "\n"), "errors in api at")
	})

	scr.key('?')
	scr.waitText(t, "Keys (j/k scroll, Esc close)", "toggle follow")
	scr.InjectKey(tcell.KeyEscape, 0, tcell.ModNone)
	scr.waitText(t, "● db")
	scr.click(t, "● db")
	scr.waitText(t, "db (follow)", "db is up")

	if code := h.quit(t); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

func TestUIStdinSearchStopAndHooks(t *testing.T) {
	echo := shProc("echo", engine.Main, `echo first; echo needle one; echo middle; while read l; do echo "got $l"; done`)
	echo.Spec.Stdin = true
	h := startUI(t, echo, shProc("other", engine.Main, `echo other; exec sleep 30`))
	scr := h.scr
	scr.waitText(t, "needle one", "middle")

	scr.key('i')
	scr.waitText(t, "stdin of echo")
	scr.typeText("hello")
	scr.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
	scr.waitText(t, "got hello")

	scr.key('i')
	scr.InjectKey(tcell.KeyCtrlS, 0, tcell.ModCtrl)
	scr.typeText("s3cret")
	lines := scr.waitText(t, "******")
	if strings.Contains(strings.Join(lines, "\n"), "s3cret") {
		t.Error("the secret is shown")
	}
	scr.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
	scr.waitText(t, "got s3cret")

	scr.key('/')
	scr.typeText("needle")
	scr.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
	scr.waitText(t, "paused at", "/needle")
	scr.key('G')
	scr.waitText(t, "echo (follow, /needle 1/1)")

	scr.key('j')
	scr.waitText(t, "other (follow)")
	scr.key('s')
	scr.waitFor(t, "other stopped", func(l []string) bool { return rowWith(l, "■ other") != "" })
	scr.key('s')
	scr.waitFor(t, "other started again", func(l []string) bool { return rowWith(l, "● other") != "" })
	scr.key('r')
	scr.waitText(t, "restart other: done")

	h.e.HookLine("notify", logger.Stdout, "hook says [hi]")
	scr.waitText(t, "Hooks", "hook:notify")
	scr.key('j')
	scr.waitText(t, "hook says [hi]")

	h.quit(t)
}

func TestUIKeepsUpWithAFlood(t *testing.T) {
	h := startUI(t, shProc("flood", engine.Main, `awk 'BEGIN { for (i = 1; i <= 100000; i++) print "line " i }'; exec sleep 30`))
	h.scr.waitText(t, "line 100000")
	h.quit(t)
}

func TestUISecondQuitForces(t *testing.T) {
	stubborn := shProc("stubborn", engine.Main, `trap '' TERM; echo stubborn here; while :; do sleep 0.1; done`)
	stubborn.Spec.StopTimeout = time.Minute
	h := startUI(t, stubborn)
	h.scr.waitText(t, "stubborn here")
	h.scr.waitFor(t, "stubborn ready", func(l []string) bool { return rowWith(l, "● stubborn") != "" })
	h.scr.key('q')
	h.scr.waitText(t, "q again forces")
	if code := h.quit(t); code != 130 {
		t.Errorf("exit code %d, want 130 (forced)", code)
	}
}
