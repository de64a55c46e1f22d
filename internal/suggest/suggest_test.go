package suggest

import "testing"

func TestSuggest(t *testing.T) {
	cands := []string{"dir", "env", "deps", "restart", "stop_signal", "SIGTERM", "dependencies-ready"}
	cases := []struct{ in, want string }{
		{"dirr", "dir"},
		{"dep", "deps"},
		{"restrat", "restart"},
		{"SIGTREM", "SIGTERM"},
		{"dependencies-redy", "dependencies-ready"},
		{"stop_sigal", "stop_signal"},
		{"xyz", ""},
		{"dir", ""}, // an exact match is not a misspelling
		{"e", ""},
	}
	for _, c := range cases {
		if got := Nearest(c.in, cands); got != c.want {
			t.Errorf("Nearest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if d := Distance("kitten", "sitting"); d != 3 {
		t.Errorf("Distance(kitten, sitting) = %d, want 3", d)
	}
}

func TestSuggestNeedsSomethingInCommon(t *testing.T) {
	if got := Nearest("c", []string{"a", "b"}); got != "" {
		t.Errorf("Nearest(c) = %q, want none", got)
	}
	if got := Nearest("dc", []string{"db"}); got != "db" {
		t.Errorf("Nearest(dc) = %q, want db", got)
	}
}

func TestSwapIsOneEdit(t *testing.T) {
	if d := Distance("wbe", "web"); d != 1 {
		t.Errorf("Distance(wbe, web) = %d, want 1", d)
	}
	if got := DidYouMean("wbe", []string{"web", "api"}); got != ` (did you mean "web"?)` {
		t.Errorf("DidYouMean(wbe) = %q", got)
	}
}
