package web

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// trustedProxies are the configured trusted_proxies as prefixes.
type trustedProxies []netip.Prefix

// parseTrustedProxies reads IPs and CIDRs (config validation already
// refused anything else; a leftover bad entry is skipped).
func parseTrustedProxies(list []string) trustedProxies {
	var out trustedProxies
	for _, p := range list {
		if pfx, err := netip.ParsePrefix(p); err == nil {
			out = append(out, pfx.Masked())
		} else if ip, err := netip.ParseAddr(p); err == nil {
			out = append(out, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
		}
	}
	return out
}

func (t trustedProxies) contains(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range t {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// clientIP is the address rate limits count: the peer, or, when the peer is
// a trusted proxy, the right-most X-Forwarded-For address that is not a
// trusted proxy. Everything left of it was written by the client and may be
// invented; values that are not IP addresses are skipped. (Fiber's c.IP()
// returns the raw header, so "<chosen>, 127.0.0.1" or "not-an-ip-N" became
// fresh rate-limit keys.)
func clientIP(c *fiber.Ctx, trusted trustedProxies) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.Context().RemoteIP().String()
	}
	peer = peer.Unmap()
	if !trusted.contains(peer) {
		return peer.String()
	}
	var hops []string
	for _, h := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
		hops = append(hops, strings.Split(string(h), ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			continue
		}
		if ip = ip.Unmap(); !trusted.contains(ip) {
			return ip.String()
		}
	}
	return peer.String()
}
