package ansi_test

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/ovrseer/ovrseer/internal/ansi"
	"github.com/ovrseer/ovrseer/internal/ansi/ansitest"
)

// FuzzAppendSafe: whatever comes in, what goes out holds no escape or
// control sequence but SGR (and tabs), keeps the SGR sequences in order and
// leaves printable text as it is.
func FuzzAppendSafe(f *testing.F) {
	for _, c := range ansitest.Cases {
		f.Add(c.In)
	}
	f.Add("\x1b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15m\x1b[\x1b]\x1bP\x1b(\x1b#")
	f.Fuzz(func(t *testing.T, in string) {
		out := string(ansi.AppendSafe(nil, in))
		var sgrOut []string
		for s := out; len(s) > 0; {
			k, n := ansi.Next(s)
			tok := s[:n]
			switch {
			case k == ansi.SGR:
				sgrOut = append(sgrOut, tok)
			case k == ansi.Control && tok == "\t":
			case k == ansi.Text:
				if !utf8.ValidString(tok) || hasC1(tok) {
					t.Fatalf("AppendSafe(%q) = %q: unsafe text %q", in, out, tok)
				}
			default:
				t.Fatalf("AppendSafe(%q) = %q: kind %d token %q", in, out, k, tok)
			}
			s = s[n:]
		}
		var sgrIn []string
		for s := ansi.Final(in); len(s) > 0; {
			k, n := ansi.Next(s)
			if k == ansi.SGR {
				sgrIn = append(sgrIn, s[:n])
			}
			s = s[n:]
		}
		if len(sgrIn) != len(sgrOut) {
			t.Fatalf("AppendSafe(%q) = %q: SGR %q became %q", in, out, sgrIn, sgrOut)
		}
		for i := range sgrIn {
			if sgrIn[i] != sgrOut[i] {
				t.Fatalf("AppendSafe(%q) = %q: SGR %q became %q", in, out, sgrIn, sgrOut)
			}
		}
		if got, want := ansi.Safe(in), onlyTabs(in) && utf8.ValidString(in) && !hasC1(in); got != want {
			t.Fatalf("Safe(%q) = %v, want %v", in, got, want)
		}
		if ansi.Safe(in) && out != in {
			t.Fatalf("AppendSafe(%q) = %q changed a safe line", in, out)
		}
		if again := ansi.AppendSafe(nil, out); !bytes.Equal(again, []byte(out)) {
			t.Fatalf("AppendSafe(%q) = %q, not a fixed point", out, again)
		}
		if ansi.Plain(in) && utf8.ValidString(in) && !hasC1(in) && out != in {
			t.Fatalf("AppendSafe(%q) = %q changed printable text", in, out)
		}
		if st := ansi.Strip(in); !ansi.Plain(st) && !onlyTabs(st) {
			t.Fatalf("Strip(%q) = %q keeps control bytes", in, st)
		}
	})
}

func hasC1(s string) bool {
	for _, r := range s {
		if r >= 0x80 && r < 0xa0 {
			return true
		}
	}
	return false
}

func onlyTabs(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < 0x20 || s[i] == 0x7f) && s[i] != '\t' {
			return false
		}
	}
	return true
}
