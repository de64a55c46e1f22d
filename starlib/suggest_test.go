package starlib

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
		if got := suggest(c.in, cands); got != c.want {
			t.Errorf("suggest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if d := levenshtein("kitten", "sitting"); d != 3 {
		t.Errorf("levenshtein(kitten, sitting) = %d, want 3", d)
	}
}

func TestSuggestNeedsSomethingInCommon(t *testing.T) {
	if got := suggest("c", []string{"a", "b"}); got != "" {
		t.Errorf("suggest(c) = %q, want none", got)
	}
	if got := suggest("dc", []string{"db"}); got != "db" {
		t.Errorf("suggest(dc) = %q, want db", got)
	}
}
