package starlib

import (
	"fmt"
	"os"
)

func ExampleLoad() {
	o, err := Load("testdata/plans/defaults.star", Options{Mode: "dev"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range o.Plan.Processes {
		fmt.Println(p.Group, p.Name, p.Spec.Argv, p.Spec.Restart)
	}
	// Output:
	// dependencies dep [sh -c sleep 100] never
	// main app [./app --port 8080] on-failure
	// cleanup bye [sh -c echo bye] never
}

func ExampleErrors() {
	_, err := Load("testdata/errors/names.star", Options{})
	if errs, ok := err.(Errors); ok {
		fmt.Println(errs[0])
		fmt.Println(len(errs), "problems")
	}
	// Output:
	// testdata/errors/names.star:3:1: process: deps: unknown process "dbb" (did you mean "db"?)
	// 8 problems
}

func ExampleOvrfile_WritePlan() {
	o, err := Load("testdata/plans/defaults.star", Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	o.WritePlan(os.Stdout)
	// Output:
	// dependencies:
	//   dep: "sleep 100"
	//     restart: never (max 3, backoff 1s..30s); stop: SIGTERM, then SIGKILL after 10s; log_lines 1000
	// main:
	//   app: ["./app", "--port", "8080"]
	//     restart: on-failure (max 3, backoff 1s..30s); stop: SIGTERM, then SIGKILL after 10s; log_lines 1000
	// cleanup:
	//   bye: "echo bye"
	//     restart: never (max 3, backoff 1s..30s); stop: SIGTERM, then SIGKILL after 10s; log_lines 1000
	// settings:
	//   crash_dir crash-reports, cleanup_timeout 1m
	// hooks:
	//   (none)
	// files:
	//   defaults.star
}
