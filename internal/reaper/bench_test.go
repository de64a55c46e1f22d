package reaper

import (
	"bufio"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
)

// BenchmarkStart50 starts 50 shells that print a line and exec sleep, from
// 50 goroutines at once (as 50 dependencies start), and waits for the 50
// lines: compare with a plain sh loop doing the same (bench/deps50.sh).
func BenchmarkStart50(b *testing.B) {
	const n = 50
	for b.Loop() {
		r, w, err := os.Pipe()
		if err != nil {
			b.Fatal(err)
		}
		children := make([]*Child, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				cmd := sh("echo ready; exec sleep 1000")
				cmd.Stdout = w
				c, err := Start(cmd)
				if err != nil {
					b.Error(err)
					return
				}
				children[i] = c
			})
		}
		sc := bufio.NewScanner(r)
		for range n {
			if !sc.Scan() {
				b.Fatal("pipe closed early")
			}
		}
		wg.Wait()
		b.StopTimer()
		w.Close()
		r.Close()
		for _, c := range children {
			if c != nil {
				syscall.Kill(c.Pid, syscall.SIGKILL)
				<-c.Exited()
			}
		}
		b.StartTimer()
	}
}

// BenchmarkShLoop50 is the baseline: the same 50 shells from a sh loop.
func BenchmarkShLoop50(b *testing.B) {
	script := `i=0; while [ $i -lt 50 ]; do sh -c 'echo ready; exec sleep 1000' & i=$((i+1)); done; wait`
	for b.Loop() {
		r, w, err := os.Pipe()
		if err != nil {
			b.Fatal(err)
		}
		cmd := &exec.Cmd{Path: "/bin/sh", Args: []string{"sh", "-c", script}, Stdout: w, SysProcAttr: &syscall.SysProcAttr{Setpgid: true}}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(r)
		for range 50 {
			if !sc.Scan() {
				b.Fatal("pipe closed early")
			}
		}
		b.StopTimer()
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		w.Close()
		r.Close()
		b.StartTimer()
	}
}

// BenchmarkEscapes is one scan for escapes with 50 children running (one
// runs each time a process's group is gone: 50 at the shutdown of a
// 50-process stack), on a machine with whatever else runs on it.
func BenchmarkEscapes(b *testing.B) {
	var children []*Child
	for range 50 {
		c, err := Start(sh("exec sleep 1000"))
		if err != nil {
			b.Fatal(err)
		}
		children = append(children, c)
	}
	b.Cleanup(func() {
		for _, c := range children {
			syscall.Kill(c.Pid, syscall.SIGKILL)
			<-c.Exited()
		}
	})
	for b.Loop() {
		Release(Escapes(func(string) bool { return true }))
	}
}

// BenchmarkGroupEscapes looks for the escapes of a leader without
// children, as a stop of each of 50 processes does.
func BenchmarkGroupEscapes(b *testing.B) {
	c, err := Start(sh("exec sleep 1000"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		syscall.Kill(c.Pid, syscall.SIGKILL)
		<-c.Exited()
	})
	for b.Loop() {
		Release(GroupEscapes(c.Pid, "test"))
	}
}
