package crashrep

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func sampleReport() *Report {
	code := 2
	return &Report{
		ProcessName: "api", Group: "main", Command: "sh", Args: []string{"-c", "./api"},
		Pid: 4242, ExitCode: &code, Reason: "exit code 2",
		Timestamp: time.Date(2026, 11, 25, 17, 40, 48, 123456789, time.UTC),
		UptimeMs:  5300, Restarts: 1, WillRestart: true,
		Flags: map[string]int{"errors": 3}, LastLogs: []string{"one", "two"},
	}
}

func TestReportJSONKeys(t *testing.T) {
	data, err := json.Marshal(sampleReport())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"args", "command", "exitCode", "flags", "group", "lastLogs", "pid",
		"processName", "reason", "restarts", "signal", "timestamp", "uptimeMs", "willRestart"}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	if m["timestamp"] != "2026-11-25T17:40:48.123Z" {
		t.Errorf("timestamp %v", m["timestamp"])
	}
	if m["signal"] != nil || m["exitCode"] != 2.0 || m["pid"] != 4242.0 {
		t.Errorf("signal %v exitCode %v", m["signal"], m["exitCode"])
	}
}

func TestReportJSONEmpty(t *testing.T) {
	sig := "SIGKILL"
	r := Report{Signal: &sig, Timestamp: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", -7200))}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"args":[]`, `"flags":{}`, `"lastLogs":[]`, `"exitCode":null`, `"pid":null`,
		`"signal":"SIGKILL"`, `"timestamp":"2026-01-02T05:04:05.000Z"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("%s lacks %s", data, want)
		}
	}
}

func TestReportJSONRoundTrip(t *testing.T) {
	r := sampleReport()
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	want := *r
	want.Timestamp = want.Timestamp.Truncate(time.Millisecond)
	if !back.Timestamp.Equal(want.Timestamp) {
		t.Fatalf("timestamp %v, want %v", back.Timestamp, want.Timestamp)
	}
	back.Timestamp = want.Timestamp
	if !reflect.DeepEqual(back, want) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", back, want)
	}
}

func TestReportJSONUntrustedLogs(t *testing.T) {
	r := sampleReport()
	r.LastLogs = []string{"bad \xff\xfe utf8", "nul \x00 esc \x1b[2J", `[red]"quoted"</script>`, "\u2028"}
	r.ProcessName = "x\xffy"
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) || !utf8.Valid(data) {
		t.Fatalf("invalid JSON: %q", data)
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.LastLogs[0] != "bad \uFFFD\uFFFD utf8" || back.LastLogs[1] != "nul \x00 esc \x1b[2J" ||
		back.LastLogs[2] != `[red]"quoted"</script>` {
		t.Fatalf("logs came back as %q", back.LastLogs)
	}
}
