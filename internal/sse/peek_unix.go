//go:build unix

package sse

import (
	"errors"
	"net"
	"syscall"
)

// peerGone reports, without blocking and without a reader goroutine per
// stream, whether the peer closed conn: a peek at the socket reads end of
// file or an error. Anything the client sent stays unread.
func peerGone(conn net.Conn) bool {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	gone := false
	var b [1]byte
	err = rc.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		gone = (n == 0 && err == nil) ||
			(err != nil && !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.EINTR))
		return true // never wait for data
	})
	return gone || err != nil
}
