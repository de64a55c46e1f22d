package unit

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// listen holds a local listener for the test.
func listen(t *testing.T, network, addr string) *net.TCPListener {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("listen %s %s: %v", network, addr, err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln.(*net.TCPListener)
}

func port(ln net.Listener) int { return ln.Addr().(*net.TCPAddr).Port }

// A start whose local port is taken fails before anything is spawned,
// naming the holder (here this test, then a child process of its own).
func TestPortInUseFailsTheStart(t *testing.T) {
	self, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Skip("no /proc")
	}
	ln := listen(t, "tcp", "127.0.0.1:0")
	p := port(ln)
	for _, c := range []Check{
		{Kind: CheckTCP, Address: fmt.Sprintf("127.0.0.1:%d", p)},
		{Kind: CheckTCP, Address: fmt.Sprintf("0.0.0.0:%d", p)},
		{Kind: CheckHTTP, URL: fmt.Sprintf("http://localhost:%d/health", p)},
	} {
		rec := newRecorder()
		spec := childSpec("sleep")
		spec.Name = "redis"
		spec.Ready = []Check{c}
		u := newUnit(t, spec, rec.options())
		u.Start()
		crash := rec.next(t, 5*time.Second, EventCrash)
		want := fmt.Sprintf("port %d is already in use by pid %d (%s) (add external = True if redis does not own this port)",
			p, os.Getpid(), strings.TrimSpace(string(self)))
		if crash.Reason != want || crash.WillRestart {
			t.Errorf("%s: crash %s\nwant reason %q", c, fmtEvent(crash), want)
		}
		f := rec.next(t, 5*time.Second, EventFailed)
		if n := len(rec.all(EventSpawn, EventExit)); n != 0 || f.Reason != want || u.Status().Pid != 0 {
			t.Errorf("%s: spawned anyway: %s", c, rec.summary())
		}
	}
}

func TestPortHeldByChild(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	p := port(ln)
	f, err := ln.File()
	if err != nil {
		t.Fatal(err)
	}
	holder := exec.Command("sleep", "1000")
	holder.ExtraFiles = []*os.File{f} // the child keeps the listening socket
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { holder.Process.Kill(); holder.Wait() })
	f.Close()
	ln.Close() // only the child holds it now

	rec := newRecorder()
	spec := childSpec("sleep")
	spec.Name = "cache"
	spec.Restart, spec.MaxRestarts, spec.Backoff = RestartOnFailure, 1, 10*time.Millisecond
	spec.Ready = []Check{{Kind: CheckTCP, Address: fmt.Sprintf("localhost:%d", p)}}
	u := newUnit(t, spec, rec.options())
	u.Start()
	fail := rec.next(t, 5*time.Second, EventFailed)
	want := fmt.Sprintf("port %d is already in use by pid %d (sleep) (add external = True if cache does not own this port)",
		p, holder.Process.Pid)
	crashes := rec.all(EventCrash)
	// A failed start is a crash for the restart policy: one restart, then failed.
	if len(crashes) != 2 || crashes[0].Reason != want || !crashes[0].WillRestart || fail.Reason != "restarts exhausted (1)" {
		t.Errorf("events: %s\nwant reason %q", rec.summary(), want)
	}
	if n := len(rec.all(EventSpawn)); n != 0 {
		t.Errorf("spawned %d times", n)
	}
}

// external = True: the process waits for a server it does not own.
func TestPortExternal(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	rec := newRecorder()
	spec := childSpec("sleep")
	spec.Ready = []Check{{Kind: CheckTCP, Address: ln.Addr().String(), External: true}}
	u := newUnit(t, spec, rec.options())
	u.Start()
	if e := rec.next(t, 5*time.Second, EventReady, EventCrash); e.Kind != EventReady {
		t.Fatalf("got %s", rec.summary())
	}
	closedWithin(t, u.Stop(), 5*time.Second)
}

func TestLocalAddr(t *testing.T) {
	for _, tc := range []struct {
		c    Check
		want string
	}{
		{Check{Kind: CheckTCP, Address: "127.0.0.1:6391"}, "127.0.0.1:6391"},
		{Check{Kind: CheckTCP, Address: "127.1.2.3:6391"}, "127.1.2.3:6391"},
		{Check{Kind: CheckTCP, Address: "[::1]:5432"}, "[::1]:5432"},
		{Check{Kind: CheckTCP, Address: "[::]:5432"}, "[::]:5432"},
		{Check{Kind: CheckTCP, Address: "0.0.0.0:5432"}, "0.0.0.0:5432"},
		{Check{Kind: CheckTCP, Address: "LocalHost:80"}, "LocalHost:80"},
		{Check{Kind: CheckHTTP, URL: "http://localhost/health"}, "localhost:80"},
		{Check{Kind: CheckHTTP, URL: "https://127.0.0.1/"}, "127.0.0.1:443"},
		{Check{Kind: CheckHTTP, URL: "http://[::1]:8080/"}, "[::1]:8080"},
		{Check{Kind: CheckTCP, Address: "db.internal:5432"}, ""},
		{Check{Kind: CheckTCP, Address: "10.0.0.1:5432"}, ""},
		{Check{Kind: CheckTCP, Address: "127.0.0.1:6391", External: true}, ""},
		{Check{Kind: CheckLog, Pattern: "x"}, ""},
	} {
		got, ok := localAddr(tc.c)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("localAddr(%s) = %q, %v; want %q", tc.c, got, ok, tc.want)
		}
	}
}
