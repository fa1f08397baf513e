//go:build !unix

package sse

import "net"

// peerGone cannot peek here: a closed peer is noticed at the next write.
func peerGone(net.Conn) bool { return false }
