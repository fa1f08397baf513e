package clientip

import (
	"net/netip"
	"testing"
)

// A rate limit keyed by what the client wrote would let a guesser pick a
// fresh key per request: only the proxies' own entries count.
func TestOf(t *testing.T) {
	trusted := ParseTrusted([]string{"10.0.0.0/8", "127.0.0.1", "bad"})
	proxy, client := netip.MustParseAddr("10.1.2.3"), netip.MustParseAddr("203.0.113.9")
	cases := []struct {
		name string
		peer netip.Addr
		xff  []string
		want string
	}{
		{"untrusted peer: header ignored", client, []string{"198.51.100.1"}, "203.0.113.9"},
		{"trusted proxy: right-most foreign hop", proxy, []string{"1.1.1.1, 198.51.100.7", "10.9.9.9"}, "198.51.100.7"},
		{"garbage skipped", proxy, []string{"198.51.100.7, not-an-ip-1"}, "198.51.100.7"},
		{"only proxies: the peer", proxy, []string{"127.0.0.1"}, "10.1.2.3"},
		{"v4-mapped peer", netip.MustParseAddr("::ffff:203.0.113.9"), nil, "203.0.113.9"},
	}
	for _, c := range cases {
		var fwd [][]byte
		for _, h := range c.xff {
			fwd = append(fwd, []byte(h))
		}
		if got := trusted.Of(c.peer, fwd); got != c.want {
			t.Errorf("%s: Of = %q, want %q", c.name, got, c.want)
		}
	}
}
