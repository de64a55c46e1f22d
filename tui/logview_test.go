package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

// drawLog draws v on a w×h simulation screen and returns its inner rows.
func drawLog(t *testing.T, v *logView, w, h int) []string {
	t.Helper()
	scr := tcell.NewSimulationScreen("UTF-8")
	if err := scr.Init(); err != nil {
		t.Fatal(err)
	}
	defer scr.Fini()
	scr.SetSize(w, h)
	v.SetRect(0, 0, w, h)
	v.Draw(scr)
	scr.Show()
	cells, sw, _ := scr.GetContents()
	var rows []string
	for y := 1; y < h-1; y++ {
		var b strings.Builder
		for x := 1; x < w-1; x++ {
			b.WriteString(string(cells[y*sw+x].Runes))
		}
		rows = append(rows, strings.TrimRight(b.String(), " "))
	}
	return rows
}

func numbered(n int) *lineStore {
	s := &lineStore{}
	for i := 1; i <= n; i++ {
		s.add([]string{fmt.Sprintf("line %d", i)}, nil)
	}
	return s
}

func TestLogViewFollowsScrollsAndSearches(t *testing.T) {
	v := newLogView()
	v.show("p", numbered(100), newViewState())
	rows := drawLog(t, v, 30, 7) // 5 inner rows
	if rows[0] != "line 96" || rows[4] != "line 100" {
		t.Fatalf("following: %q", rows)
	}
	v.page(-1)
	if rows = drawLog(t, v, 30, 7); rows[0] != "line 92" || v.follow {
		t.Fatalf("after PgUp: %q (follow %v)", rows, v.follow)
	}
	v.store.add([]string{"line 101"}, nil)
	if rows = drawLog(t, v, 30, 7); rows[0] != "line 92" {
		t.Fatalf("a paused view moved: %q", rows)
	}
	v.toTop()
	if rows = drawLog(t, v, 30, 7); rows[0] != "line 1" {
		t.Fatalf("top: %q", rows)
	}
	v.toBottom()
	if rows = drawLog(t, v, 30, 7); rows[4] != "line 101" {
		t.Fatalf("bottom: %q", rows)
	}
	if v.search("LINE 5") {
		t.Fatal("smart case: an upper-case search matched lower-case text")
	}
	// "line 59" (index 58) is the newest line containing "line 5".
	if !v.search("line 5") || v.match != 58 || v.follow {
		t.Fatalf("search: match at %d (follow %v)", v.match, v.follow)
	}
	if !v.next(-1) || v.match != 57 {
		t.Fatalf("N: match at %d", v.match)
	}
	if !v.next(1) || v.match != 58 || v.next(1) {
		t.Fatalf("n: match at %d", v.match)
	}
	if rows = drawLog(t, v, 30, 7); !strings.Contains(strings.Join(rows, "|"), "line 59") {
		t.Fatalf("the match is not shown: %q", rows)
	}
}

func TestLogViewWrapsLongLines(t *testing.T) {
	v := newLogView()
	v.show("p", &lineStore{}, newViewState())
	v.store.add([]string{"short", strings.Repeat("ab", 15) + "END"}, nil)
	rows := drawLog(t, v, 12, 7) // 10 columns, 5 rows
	want := []string{"short", "ababababab", "ababababab", "ababababab", "END"}
	if strings.Join(rows, "|") != strings.Join(want, "|") {
		t.Fatalf("wrapped: %q, want %q", rows, want)
	}
}
