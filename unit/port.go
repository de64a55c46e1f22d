package unit

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// portDialTimeout bounds the connection attempt that tells whether a local
// port is taken (a local refusal is immediate).
const portDialTimeout = 250 * time.Millisecond

// portInUse returns the reason a start must fail when a local port that one
// of the tcp or http checks waits for already accepts connections: the
// process would pass its check on someone else's server. "" when every such
// port is free. Checks marked External wait for a server the process does
// not own and are skipped.
func (u *Unit) portInUse() string {
	for _, c := range u.spec.Ready {
		addr, ok := localAddr(c)
		if !ok {
			continue
		}
		conn, err := net.DialTimeout("tcp", addr, portDialTimeout)
		if err != nil {
			continue
		}
		conn.Close()
		_, port, _ := net.SplitHostPort(addr)
		holder := ""
		if pid, name, ok := portHolder(port); ok {
			holder = fmt.Sprintf(" by pid %d (%s)", pid, name)
		}
		return fmt.Sprintf("port %s is already in use%s (add external = True if %s does not own this port)",
			port, holder, u.spec.Name)
	}
	return ""
}

// localAddr is the host:port a tcp or http check connects to, when that
// host is this machine (localhost, 127.0.0.0/8, ::1, 0.0.0.0, ::) and the
// check is not External.
func localAddr(c Check) (string, bool) {
	var host, port string
	switch {
	case c.External:
		return "", false
	case c.Kind == CheckTCP:
		var err error
		if host, port, err = net.SplitHostPort(c.Address); err != nil {
			return "", false
		}
	case c.Kind == CheckHTTP:
		u, err := url.Parse(c.URL)
		if err != nil {
			return "", false
		}
		host, port = u.Hostname(), u.Port()
		if port == "" {
			port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
		}
	default:
		return "", false
	}
	if port == "" || !localHost(host) {
		return "", false
	}
	return net.JoinHostPort(host, port), true
}

func localHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

// portHolder names the process listening on TCP port (decimal), as /proc
// tells it: the socket's inode from /proc/net/tcp{,6}, then the process
// holding a descriptor of it. ok is false when /proc does not say (another
// user's process, another network namespace, no /proc).
func portHolder(port string) (pid int, name string, ok bool) {
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return 0, "", false
	}
	inodes := map[string]bool{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		listeningInodes(f, uint16(p), inodes)
	}
	if len(inodes) == 0 {
		return 0, "", false
	}
	return socketOwner(inodes)
}

// listeningInodes adds the inodes of the sockets listening on port in the
// /proc/net/tcp-format file path to inodes.
func listeningInodes(path string, port uint16, inodes map[string]bool) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f) // short, kernel-made lines
	sc.Scan()                 // the header
	for sc.Scan() {
		// sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 || fields[3] != "0A" { // 0A: LISTEN
			continue
		}
		_, hexPort, found := strings.Cut(fields[1], ":")
		if p, err := strconv.ParseUint(hexPort, 16, 16); found && err == nil && uint16(p) == port {
			inodes[fields[9]] = true
		}
	}
}

// socketOwner finds the first process with a descriptor of one of the
// socket inodes and returns its pid and command name.
func socketOwner(inodes map[string]bool) (int, string, bool) {
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/[0-9]*")
	for _, fd := range fds {
		link, err := os.Readlink(fd)
		if err != nil || !strings.HasPrefix(link, "socket:[") {
			continue
		}
		if !inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] {
			continue
		}
		pid, err := strconv.Atoi(strings.Split(fd, "/")[2])
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "comm"))
		if err != nil {
			continue
		}
		return pid, strings.TrimSpace(string(comm)), true
	}
	return 0, "", false
}
