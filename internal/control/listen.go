package control

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// refusedResponse is written to a connection from another user before it
// is closed, so that the client can say why.
var refusedResponse = httpResponse(403, "Forbidden", `{"error": "refused: this ovrseer belongs to another user"}`+"\n")

// httpResponse is a whole HTTP/1.1 response that closes the connection.
func httpResponse(code int, status, body string) string {
	return fmt.Sprintf("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s",
		code, status, len(body), body)
}

// listen replaces a stale socket at path (the caller holds the lock, so
// whatever is there is stale) and listens there with mode 0600.
func listen(path string) (*peerListener, error) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("control: stale socket: %w", err)
	}
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("control: %w", err)
	}
	l.SetUnlinkOnClose(false) // removed by the server, once
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, fmt.Errorf("control: %w", err)
	}
	return &peerListener{UnixListener: l, uid: os.Getuid()}, nil
}

// peerListener accepts only connections whose peer (SO_PEERCRED) runs as
// this user or as root; others get a 403 and are closed.
type peerListener struct {
	*net.UnixListener
	uid int
}

func (l *peerListener) Accept() (net.Conn, error) {
	for {
		c, err := l.AcceptUnix()
		if err != nil {
			return nil, err
		}
		uid, err := peerUID(c)
		if err == nil && (uid == l.uid || uid == 0) {
			return c, nil
		}
		go refuse(c)
	}
}

// peerUID is the uid of the process at the other end of c.
func peerUID(c *net.UnixConn) (int, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *unix.Ucred
	var credErr error
	err = raw.Control(func(fd uintptr) {
		cred, credErr = unix.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	})
	if err != nil {
		return -1, err
	}
	if credErr != nil {
		return -1, credErr
	}
	return int(cred.Uid), nil
}

// refuse answers 403 and closes c, all bounded by a deadline. What the
// client sent is read (up to 64 KiB) before the close, which would
// otherwise reset the connection before the client read the answer.
func refuse(c *net.UnixConn) {
	c.SetDeadline(time.Now().Add(time.Second))
	c.Write([]byte(refusedResponse))
	c.CloseWrite()
	io.Copy(io.Discard, io.LimitReader(c, 64<<10))
	c.Close()
}
