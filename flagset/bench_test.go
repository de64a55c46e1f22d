package flagset

import (
	"fmt"
	"testing"
	"time"
)

// benchFlags are five flags a real Ovrfile might declare.
func benchFlags() []Flag {
	return []Flag{
		{Name: "db-errors", Pattern: `\b(ERROR|FATAL):`, Color: Red, Context: 3, Target: 0},
		{Name: "slow", Pattern: `took [0-9]{4,}ms`, Target: 10},
		{Name: "panic", Pattern: `panic:|goroutine \d+ \[`, Color: Red, Context: 5, Target: NoTarget},
		{Name: "refused", Pattern: `connection refused`, Color: Orange, Target: NoTarget},
		{Name: "5xx", Pattern: `status=5\d\d`, Color: Purple, Context: 1, Target: NoTarget},
	}
}

// benchLines are ~100-byte lines, one in a hundred matching a flag.
func benchLines() []string {
	lines := make([]string, 1000)
	for i := range lines {
		lines[i] = fmt.Sprintf("2026-11-25T17:40:48.%03dZ INFO http: GET /api/v1/users/%05d status=200 took %dms bytes=5120", i, i*7, i%97)
	}
	for i := 50; i < len(lines); i += 100 {
		switch i / 100 % 4 {
		case 0:
			lines[i] = "2026-11-25 17:40:48.123 UTC [4242] ERROR: duplicate key value violates unique constraint"
		case 1:
			lines[i] = "2026-11-25T17:40:48.123Z WARN http: GET /api/v1/report status=200 took 4312ms bytes=5120"
		case 2:
			lines[i] = "2026-11-25T17:40:48.123Z ERROR dial tcp 127.0.0.1:5432: connect: connection refused"
		case 3:
			lines[i] = "2026-11-25T17:40:48.123Z INFO http: POST /api/v1/users status=503 took 2ms bytes=31"
		}
	}
	return lines
}

func BenchmarkFeed5Flags(b *testing.B) { benchFeed(b, benchFlags(), benchLines()) }

func BenchmarkFeedANSI(b *testing.B) {
	line := "\x1b[2m2026-11-25T17:40:48.123Z\x1b[0m \x1b[32mINFO\x1b[0m http: GET /api/v1/users/00042 status=200 took 12ms"
	benchFeed(b, benchFlags(), []string{line})
}

// BenchmarkFeedFold is BenchmarkFeed5Flags with a case-insensitive flag
// added, whose prefilter ignores ASCII case.
func BenchmarkFeedFold(b *testing.B) {
	benchFeed(b, append(benchFlags(), Flag{Name: "oom", Pattern: `(?i)out of memory`, Target: NoTarget}), benchLines())
}

// benchFeed feeds lines, round and round, to a set of flags and reports
// ns/line.
func benchFeed(b *testing.B, flags []Flag, lines []string) {
	s, err := Compile(flags)
	if err != nil {
		b.Fatal(err)
	}
	hits := make([]Hit, 0, 16)
	now := time.Now()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		hits = s.Feed(hits[:0], lines[i], now)
		if i++; i == len(lines) {
			i = 0
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/line")
}
