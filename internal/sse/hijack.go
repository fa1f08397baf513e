package sse

import (
	"net"

	"github.com/valyala/fasthttp"
)

// Hijack takes the request's connection over once the handler chain has
// set every header and hands it to open with the response head, written
// as fasthttp would write it for a chunked body that ends with the
// connection. The server must keep hijacked connections
// (Server.KeepHijackedConns): a waiting stream then keeps no goroutine,
// buffer or request context of the server.
func Hijack(fc *fasthttp.RequestCtx, open func(conn net.Conn, head []byte)) {
	fc.HijackSetNoResponse(true) // the stream writes the headers itself
	fc.Hijack(func(conn net.Conn) {
		h := &fc.Response.Header
		h.SetContentLength(-1)
		h.SetConnectionClose()
		if raw, ok := conn.(interface{ UnsafeConn() net.Conn }); ok {
			conn = raw.UnsafeConn() // fasthttp's wrapper reads from a buffer it reuses
		}
		open(conn, h.AppendBytes(nil))
	})
}
