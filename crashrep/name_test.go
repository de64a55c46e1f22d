package crashrep

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var safeRE = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]*$`)

func TestSafeName(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when only the shape is checked
	}{
		{"api", "api"},
		{"db-1.main_x", "db-1.main_x"},
		{"../../x", ""},
		{"a/b", ""},
		{".", ""},
		{"..", ""},
		{"", ""},
		{".hidden", ""},
		{"名前", ""},
		{strings.Repeat("é", 150), ""},
		{strings.Repeat("a", 300), ""},
	}
	for _, tt := range tests {
		got := safeName(tt.in)
		if tt.want != "" && got != tt.want {
			t.Errorf("safeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !safeRE.MatchString(got) || len(got) > maxNameLen+9 {
			t.Errorf("safeName(%q) = %q: not a safe, short name", tt.in, got)
		}
		if got != tt.in && !regexp.MustCompile(`-[0-9a-f]{8}$`).MatchString(got) {
			t.Errorf("safeName(%q) = %q: changed but no hash appended", tt.in, got)
		}
	}
}

func TestSafeNameNoCollisions(t *testing.T) {
	names := []string{"a/b", "a_b", "a b", "a//b", "a\\b", ".a_b", "..a_b", "", ".", "..", "/", "//",
		strings.Repeat("x", 200), strings.Repeat("x", 201)}
	seen := map[string]string{}
	for _, n := range names {
		s := safeName(n)
		if prev, ok := seen[s]; ok {
			t.Errorf("safeName(%q) = safeName(%q) = %q", n, prev, s)
		}
		seen[s] = n
	}
}

func TestFileName(t *testing.T) {
	ts := time.Date(2026, 11, 25, 18, 40, 48, 123456789, time.FixedZone("CET", 3600))
	if got, want := fileName("api", ts, 1), "api-20261125T174048.123Z.json"; got != want {
		t.Errorf("fileName = %q, want %q", got, want)
	}
	if got, want := fileName("api", ts, 3), "api-20261125T174048.123Z-3.json"; got != want {
		t.Errorf("fileName = %q, want %q", got, want)
	}
	if n := len(fileName(safeName(strings.Repeat("é", 300)), ts, maxCollisions)); n >= 255 {
		t.Errorf("file name is %d bytes", n)
	}
}
