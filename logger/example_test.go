package logger_test

import (
	"fmt"
	"time"

	"github.com/ovrseer/ovrseer/logger"
)

func ExampleSplitter() {
	s := logger.NewSplitter(func(line []byte) {
		fmt.Printf("%q\n", line) // line is only valid during the call
	})
	s.Write([]byte("first\r\nsec"))
	s.Write([]byte("ond\n\nno newline"))
	s.Flush()
	// Output:
	// "first"
	// "second"
	// ""
	// "no newline"
}

func ExampleRing() {
	r := logger.NewRing(3)
	for _, text := range []string{"a", "b", "c", "d"} {
		r.Append(logger.Line{Time: time.Now(), Stream: logger.Stdout, Text: text})
	}
	for _, l := range r.Last(10) {
		fmt.Println(l.Stream, l.Text)
	}
	// Output:
	// stdout b
	// stdout c
	// stdout d
}
