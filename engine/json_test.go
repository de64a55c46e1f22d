package engine

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"
)

func TestMarshalJSON(t *testing.T) {
	at := time.Date(2026, 11, 25, 18, 40, 48, 123456789, time.FixedZone("CET", 3600))
	code, three := 2, 3
	for _, tc := range []struct {
		ev   Event
		want string
	}{
		{Event{Type: ProcessSpawn, State: "starting", Time: at, Process: "api", Group: Main, Pid: 42, Attempt: 1, Line: "ignored"},
			`{"type":"process:spawn","time":"2026-11-25T17:40:48.123Z","process":"api","group":"main","state":"starting","pid":42,"attempt":1}`},
		{Event{Type: ProcessReady, State: "ready", Time: at, Process: "db", Group: Dependencies, Pid: 7, DurationMs: 150},
			`{"type":"process:ready","time":"2026-11-25T17:40:48.123Z","process":"db","group":"dependencies","state":"ready","pid":7,"duration_ms":150}`},
		{Event{Type: ProcessExit, State: "crashed", Time: at, Process: "api", Group: Main, Pid: 42, Signal: "SIGKILL", DurationMs: 5},
			`{"type":"process:exit","time":"2026-11-25T17:40:48.123Z","process":"api","group":"main","state":"crashed","pid":42,"exit_code":null,"signal":"SIGKILL","duration_ms":5}`},
		{Event{Type: ProcessCrash, State: "crashed", Time: at, Process: "api", Group: Main, ExitCode: &code, Reason: "exit code 2", Restarts: 1, WillRestart: true, Report: "r/api.json"},
			`{"type":"process:crash","time":"2026-11-25T17:40:48.123Z","process":"api","group":"main","state":"crashed","exit_code":2,"signal":null,"reason":"exit code 2","restarts":1,"will_restart":true,"report":"r/api.json"}`},
		{Event{Type: ProcessRestart, State: "crashed", Time: at, Process: "api", Group: Main, Attempt: 2, DelayMs: 1000, Reason: "crash"},
			`{"type":"process:restart","time":"2026-11-25T17:40:48.123Z","process":"api","group":"main","state":"crashed","attempt":2,"delay_ms":1000,"reason":"crash"}`},
		{Event{Type: ProcessFailed, State: "failed", Time: at, Process: "api", Group: Main, Reason: "restarts exhausted (3)"},
			`{"type":"process:failed","time":"2026-11-25T17:40:48.123Z","process":"api","group":"main","state":"failed","reason":"restarts exhausted (3)"}`},
		{Event{Type: ProcessLog, Time: at, Process: "api", Group: Main, Stream: "stderr", Line: "say \"hi\"\t\x1b[31m"},
			`{"type":"process:log","time":"2026-11-25T17:40:48.123Z","process":"api","group":"main","stream":"stderr","line":"say \"hi\"\t\u001b[31m"}`},
		{Event{Type: FlagMatched, Time: at, Process: "api", Group: Main, Flag: "slow", Line: "b", Count: 4, Target: &three, Context: []string{"a", "b"}, Color: "red"},
			`{"type":"flag:matched","time":"2026-11-25T17:40:48.123Z","process":"api","group":"main","flag":"slow","color":"red","line":"b","count":4,"target":3,"context":["a","b"]}`},
		{Event{Type: FlagExceeded, Time: at, Process: "api", Group: Main, Flag: "slow", Color: "yellow", Count: 4},
			`{"type":"flag:exceeded","time":"2026-11-25T17:40:48.123Z","process":"api","group":"main","flag":"slow","color":"yellow","count":4,"target":null}`},
		{Event{Type: DependenciesReady, Time: at, DurationMs: 80},
			`{"type":"lifecycle:dependencies-ready","time":"2026-11-25T17:40:48.123Z","duration_ms":80}`},
		{Event{Type: MainStarted, Time: at},
			`{"type":"lifecycle:main-started","time":"2026-11-25T17:40:48.123Z"}`},
		{Event{Type: Shutdown, Time: at, Reason: "quit"},
			`{"type":"lifecycle:shutdown","time":"2026-11-25T17:40:48.123Z","reason":"quit"}`},
		{Event{Type: CleanupComplete, Time: at},
			`{"type":"lifecycle:cleanup-complete","time":"2026-11-25T17:40:48.123Z","failed":[]}`},
		{Event{Type: LifecycleError, Time: at, Process: "db", Group: Dependencies, Phase: "dependencies", Error: "boom"},
			`{"type":"lifecycle:error","time":"2026-11-25T17:40:48.123Z","process":"db","group":"dependencies","phase":"dependencies","error":"boom"}`},
		{Event{Type: LifecycleExit, Time: at, ExitCode: &code},
			`{"type":"lifecycle:exit","time":"2026-11-25T17:40:48.123Z","exit_code":2}`},
		{Event{Type: EventsDropped, Time: at, Count: 17},
			`{"type":"events:dropped","count":17}`},
	} {
		got, err := json.Marshal(tc.ev)
		if err != nil {
			t.Fatalf("%s: %v", tc.ev.Type, err)
		}
		if string(got) != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.ev.Type, got, tc.want)
		}
	}
}

// Untrusted bytes give valid JSON that decodes to the same text where it
// was valid UTF-8.
func TestMarshalJSONUntrusted(t *testing.T) {
	for _, line := range []string{
		"\xff\xfe invalid", "nul \x00 bell \x07", "[red]tags[-] \x1b[2J", "half \xe2\x82", "sep \u2028 \u2029", "ünïcödé ✓",
	} {
		b, err := Event{Type: ProcessLog, Line: line}.MarshalJSON()
		if err != nil || !json.Valid(b) {
			t.Fatalf("%q: invalid JSON %s (%v)", line, b, err)
		}
		var back struct{ Line string }
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(line) // encoding/json's own replacement of invalid bytes
		var wantLine string
		json.Unmarshal(want, &wantLine)
		if back.Line != wantLine {
			t.Errorf("%q decoded as %q, want %q", line, back.Line, wantLine)
		}
	}
}

func TestAppendTime(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2026, 1, 2, 3, 4, 5, 6_999_999, time.UTC),
		time.Date(999, 12, 31, 23, 59, 59, 999_999_999, time.FixedZone("X", -7200)),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		{},
	} {
		want := at.UTC().Format("2006-01-02T15:04:05.000Z07:00")
		if got := string(appendTime(nil, at)); got != want {
			t.Errorf("appendTime(%v) = %s, want %s", at, got, want)
		}
	}
}

func BenchmarkAppendJSON(b *testing.B) {
	ev := Event{Type: ProcessLog, Time: time.Now(), Process: "api", Group: Main, Stream: "stdout",
		Line: "GET /api/v1/items 200 took 12ms user=42 request_id=0123456789abcdef"}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = ev.AppendJSON(buf[:0])
	}
}

// TestJSONFieldsMatchTable: for every type, the JSON carries exactly the
// fields Type.Fields lists (which ctx.event in starlib also uses), and
// AllFields holds every one of them.
func TestJSONFieldsMatchTable(t *testing.T) {
	all := map[string]bool{}
	for _, f := range AllFields {
		all[f] = true
	}
	for _, typ := range append(slices.Clone(Types), EventsDropped) {
		zero := 0
		ev := Event{Type: typ, Time: time.Now(), Process: "p", Group: Main, ExitCode: &zero, Target: &zero}
		var m map[string]any
		if err := json.Unmarshal(ev.AppendJSON(nil), &m); err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		for _, k := range []string{"type", "time", "process", "group"} {
			delete(m, k)
		}
		got := slices.Sorted(maps.Keys(m))
		want := slices.Sorted(slices.Values(typ.Fields()))
		if !slices.Equal(got, want) {
			t.Errorf("%s: JSON fields %v, table %v", typ, got, want)
		}
		for _, f := range want {
			if !all[f] {
				t.Errorf("%s: field %q missing from AllFields", typ, f)
			}
		}
	}
}
