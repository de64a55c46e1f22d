package flagset_test

import (
	"fmt"
	"time"

	"github.com/ovrseer/ovrseer/flagset"
)

func ExampleSet() {
	s, err := flagset.Compile([]flagset.Flag{
		{Name: "db-errors", Pattern: `\b(ERROR|FATAL):`, Color: flagset.Red, Context: 1, Target: 0},
	})
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 11, 25, 17, 40, 48, 0, time.UTC)
	var hits []flagset.Hit
	for _, line := range []string{
		"LOG: checkpoint starting",
		"\x1b[31mERROR:\x1b[0m relation \"users\" does not exist", // colours are ignored
		"STATEMENT: SELECT * FROM users",
		"LOG: checkpoint complete",
	} {
		now = now.Add(time.Millisecond)
		hits = s.Feed(hits, line, now)
	}
	for _, h := range hits {
		fmt.Printf("%s %s count=%d target=%d context=%q\n", h.Kind, h.Flag, h.Count, h.Target, h.Context)
	}
	fmt.Println(s.Counts())
	// Output:
	// exceeded db-errors count=1 target=0 context=[]
	// matched db-errors count=1 target=0 context=["LOG: checkpoint starting" "\x1b[31mERROR:\x1b[0m relation \"users\" does not exist" "STATEMENT: SELECT * FROM users"]
	// map[db-errors:1]
}
